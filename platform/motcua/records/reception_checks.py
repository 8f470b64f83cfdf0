"""Checks of a reception at the counter that no notebook can make (no I/O): the papers
staff ticked against those the procedure asks for, the day of filing, and the moment
against office hours."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from motcua.expressions.context import EvalContext
from motcua.i18n import T, Text
from motcua.notebooks import evaluate
from motcua.notebooks.model import DocumentItem, Notebook
from motcua.notebooks.outputs import DocumentsOutput


def asked_documents(
    nb: Notebook, raw_values: dict[str, Any], context: EvalContext, field_types: Any
) -> list[DocumentItem]:
    """Return the documents ``nb`` asks for with ``raw_values`` (their conditions run)."""
    evaluation = evaluate(nb, raw_values, context, field_types=field_types)
    return [
        item
        for output in evaluation.outputs.values()
        if isinstance(output, DocumentsOutput)
        for item in output.items
    ]


def missing_documents(asked: Iterable[DocumentItem], ticked: Iterable[str]) -> Text | None:
    """Return which documents the procedure asks for (with these values) were not ticked
    as received, or None when all were; a dossier at the counter is taken with its papers."""
    have = set(ticked)
    missing = [item.name.get("vi") or item.key for item in asked if item.key not in have]
    if not missing:
        return None
    return T(
        "Chưa đánh dấu đã nhận: {names}",
        "Not ticked as received: {names}",
        names="; ".join(missing),
    )


FILING_DAYS_BACK = 30  # a dossier entered at the counter was filed at most this long ago


def filing_day_problems(nb: Notebook, values: dict[str, Any], today: date) -> dict[str, Text]:
    """Return ``{field: error}`` for the date fields that default to ``today()`` (the day of
    filing, as the notebook says) whose value is after ``today`` or more than
    :data:`FILING_DAYS_BACK` days before it (a typo such as 2020 or 2030)."""
    problems: dict[str, Text] = {}
    earliest = today - timedelta(days=FILING_DAYS_BACK)
    for fdef in nb.fields():
        if fdef.type != "date" or (fdef.default_expression or "").replace(" ", "") != "today()":
            continue
        value = values.get(fdef.name)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value[:10])
            except ValueError:
                continue
        if isinstance(value, date) and not earliest <= value <= today:
            problems[fdef.name] = T(
                "“{label}” phải từ {earliest} đến hôm nay {today}",
                "“{label}” must be between {earliest} and today, {today}",
                label=fdef.label["vi"],
                earliest=f"{earliest:%d/%m/%Y}",
                today=f"{today:%d/%m/%Y}",
            )
    return problems


def outside_office_hours(calendar: Any, moment: datetime) -> Text | None:
    """Return a warning when ``moment`` is not in the office hours of a working day of
    ``calendar`` (a :class:`motcua.calendar.WorkCalendar`), else None.

    Not an error: a ward may receive on a Saturday morning. It tells staff that the
    computer's clock may be wrong, or that the deadline starts at the next opening.
    """
    hours = calendar.office_hours
    periods = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in hours.periods)
    at = moment.strftime("%H:%M %d/%m/%Y")
    if not calendar.is_working_day(moment.date()):
        return T(
            "Tiếp nhận lúc {at}, ngày nghỉ: kiểm tra đồng hồ máy tính; thời hạn tính từ ngày làm việc tiếp theo",
            "Received at {at}, a day off: check the computer's clock; the deadline runs from the next working day",
            at=at,
        )
    if any(opens <= moment.time() <= closes for opens, closes in hours.periods):
        return None
    return T(
        "Tiếp nhận lúc {at}, ngoài giờ làm việc ({periods}): kiểm tra đồng hồ máy tính",
        "Received at {at}, outside office hours ({periods}): check the computer's clock",
        at=at,
        periods=periods,
    )
