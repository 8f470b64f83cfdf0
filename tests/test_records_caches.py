"""The caches behind a fast POST /api/v1/records never serve stale answers.

Compiled expressions and plans are cached by content, parsed notebooks by published
version, plugin settings only within one request, and ``api_token.last_used_at`` is
written at most once a minute: a new version, a plugin toggle and a revoked token all
count from the very next request.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime, timedelta

import pytest

from conftest import ward_of
from motcua import clock
from motcua.accounts import service as accounts
from motcua.accounts.models import ApiToken, Membership, User
from motcua.accounts.service import create_token, grant_role, revoke_role, verify_token
from motcua.calendar import CalendarOverride, WorkCalendar, work_calendar
from motcua.db import database
from motcua.db.connection import is_sqlite
from motcua.errors import NotFound
from motcua.expressions import ExpressionError, FunctionLibrary, ValueType, compile_expression
from motcua.notebooks import read_ipynb
from motcua.notebooks.graph import build_plan
from motcua.notebooks.model import Cell
from motcua.notebooks.serialize import notebook_from_dict, notebook_to_dict
from motcua.notebooks.service import import_notebook, publish, publish_province
from motcua.notebooks.store import NotebookVersion
from motcua.plugin_api import hookimpl
from motcua.plugins import plugin_host
from motcua.plugins.models import PluginSetting
from motcua.plugins.store import disable_plugin, enable_plugin
from motcua.records.models import Record
from motcua.records.procedures import procedure
from motcua.tenancy.models import CalendarOverride as WardDay
from motcua.tenancy.models import ProvinceCalendarOverride, Tenant
from plugin_support import build_app
from records_support import CERTIFY, FORMS, publish_form, sample_values

APPLICANT = {"name": "Nguyễn Thị Hoa", "id_number": "024096003333", "phone": "0977111222"}


def _post(client, token: str):  # noqa: ANN001, ANN202
    return client.post(
        "/api/v1/records",
        json={"procedure": CERTIFY, "values": sample_values(CERTIFY), "applicant": APPLICANT},
        headers={"Authorization": f"Bearer {token}"},
    )


# ---------------------------------------------------------------- expressions and plans


def test_an_expression_is_compiled_once_per_library() -> None:
    first = compile_expression("so_ban * 2 + 1")
    assert compile_expression("so_ban * 2 + 1") is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.source = "1"  # type: ignore[misc]
    doubled = FunctionLibrary.default().extended(
        "gap_doi", lambda x: x * 2, params=[ValueType.NUMBER], returns=ValueType.NUMBER
    )
    own = compile_expression("gap_doi(so_ban)", functions=doubled)
    assert compile_expression("gap_doi(so_ban)", functions=doubled) is own
    # Another library never gets that entry: there the function does not exist.
    for _ in range(2):  # errors are not cached: they raise every time
        with pytest.raises(ExpressionError):
            compile_expression("gap_doi(so_ban)")
    other = FunctionLibrary.default().extended(
        "gap_doi", lambda x: x * 3, params=[ValueType.NUMBER], returns=ValueType.NUMBER
    )
    tripled = compile_expression("gap_doi(so_ban)", functions=other)
    assert tripled is not own
    context = _context()
    assert own.evaluate({"so_ban": 2}, context) == 4
    assert tripled.evaluate({"so_ban": 2}, context) == 6


def test_a_plan_is_shared_by_equal_content_and_not_by_changed_content() -> None:
    nb = read_ipynb(FORMS / f"{CERTIFY}.ipynb")
    again = notebook_from_dict(notebook_to_dict(nb))
    assert again is not nb and build_plan(again) is build_plan(nb)
    changed = _with_total_pages(nb)
    plan = build_plan(changed)
    assert plan is not build_plan(nb)
    assert "tong-so-trang" in plan.cells and "tong-so-trang" not in build_plan(nb).cells


def test_a_published_version_is_parsed_once_and_a_new_one_used_at_once(
    app, client, users, ward_a
) -> None:  # noqa: ANN001
    first = publish_form(ward_a, CERTIFY)
    row = NotebookVersion.get_by_id(first.id)
    assert row.notebook() is NotebookVersion.get_by_id(first.id).notebook()
    _, token = create_token(ward_a, users.staff_a)
    before = _post(client, token)
    assert before.status_code == 201, before.get_json()
    assert before.get_json()["notebook_version_id"] == first.id
    assert "tong_so_trang" not in before.get_json()["data"]

    import_notebook(ward_a, _with_total_pages(row.notebook()), actor="test")
    second = publish(ward_a, CERTIFY, toolkit=ward_of(ward_a).toolkit, actor="test")
    assert second.id != first.id
    after = _post(client, token)
    assert after.status_code == 201, after.get_json()
    body = after.get_json()
    values = sample_values(CERTIFY)
    assert body["notebook_version_id"] == second.id
    assert body["data"]["tong_so_trang"] == values["so_trang"] * values["so_ban"]


def test_the_created_record_answers_with_the_events_it_has(app, client, users, ward_a) -> None:  # noqa: ANN001
    publish_form(ward_a, CERTIFY)
    _, token = create_token(ward_a, users.staff_a)
    created = _post(client, token).get_json()
    fetched = client.get(
        f"/api/v1/records/{created['code']}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert created["events"] == fetched["events"]
    assert [e["action"] for e in created["events"]] == ["receive"]


def test_receiving_through_the_api_takes_nine_statements(app, client, users, ward_a) -> None:  # noqa: ANN001
    """A guard against queries creeping back (19 before the caches, then 10; the ward
    calendar is one statement now; BEGIN/COMMIT not counted)."""
    publish_form(ward_a, CERTIFY)
    _, token = create_token(ward_a, users.staff_a)
    assert _post(client, token).status_code == 201  # warms the caches, stamps last_used_at
    seen: list[object] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = seen.append  # type: ignore[method-assign]
    peewee_log = logging.getLogger("peewee")
    level = peewee_log.level
    peewee_log.addHandler(handler)
    peewee_log.setLevel(logging.DEBUG)
    try:
        assert _post(client, token).status_code == 201
    finally:
        peewee_log.removeHandler(handler)
        peewee_log.setLevel(level)
    statements = [r.msg[0] for r in seen if isinstance(r.msg, tuple)]  # type: ignore[attr-defined]
    # The audit row's hash chain reads the ward's chain head (and takes the ward's chain
    # lock first on PostgreSQL): the price of a tamper-evident audit log (motcua.audit_chain).
    chain = 1 if is_sqlite(database.obj) else 2
    assert len(statements) <= 9 + chain, "\n".join(statements)


def test_the_procedure_is_loaded_without_its_content_once_parsed(app, ward_a) -> None:  # noqa: ANN001
    """One narrow statement per reception (id, number, hash); the notebook comes from the
    per-version parse cache, and a newly published version is read by the next call."""
    first = publish_form(ward_a, CERTIFY)
    parsed = procedure(ward_a, CERTIFY).notebook
    statements = _statements(lambda: procedure(ward_a, CERTIFY))
    assert len(statements) == 1 and '"content"' not in statements[0], statements
    again = procedure(ward_a, CERTIFY)
    assert again.notebook is parsed and (again.version_id, again.version_number) == (first.id, first.number)
    import_notebook(ward_a, _with_total_pages(parsed), actor="test")
    second = publish(ward_a, CERTIFY, toolkit=ward_of(ward_a).toolkit, actor="test")
    newer = procedure(ward_a, CERTIFY)
    assert (newer.version_id, newer.version_number) == (second.id, second.number)
    assert "tong-so-trang" in {cell.id for cell in newer.notebook.cells}


def test_a_province_version_is_inherited_by_the_next_reception(app, ward_a, ward_b) -> None:  # noqa: ANN001
    nb = read_ipynb(FORMS / f"{CERTIFY}.ipynb")
    publish_province(ward_a.province_code, nb, toolkit=ward_of(ward_a).toolkit, actor="tinh")
    inherited = procedure(ward_a, CERTIFY)
    assert NotebookVersion.get_by_id(inherited.version_id).source == "province"
    assert procedure(ward_a, CERTIFY).version_id == inherited.version_id  # nothing new: no new copy
    publish_province(ward_a.province_code, _with_total_pages(nb), toolkit=ward_of(ward_a).toolkit, actor="tinh")
    newer = procedure(ward_a, CERTIFY)
    assert newer.version_number == inherited.version_number + 1
    assert "tong-so-trang" in {cell.id for cell in newer.notebook.cells}
    with pytest.raises(NotFound):
        procedure(ward_b, CERTIFY)  # another province: nothing inherited


# ---------------------------------------------------------------- the working calendar


def test_a_calendar_edit_applies_to_the_next_reception(app, client, users, ward_a) -> None:  # noqa: ANN001
    """The ward's and province's days are read on every reception (only the national days
    are shared by the process): an edit counts from the very next request."""
    publish_form(ward_a, CERTIFY)  # same-day: due at the end of office hours
    _, token = create_token(ward_a, users.staff_a)

    def due() -> str:
        response = _post(client, token)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["due_at"]

    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        assert due() == "2026-03-02T17:00:00"
        ward_day = WardDay.create(tenant=ward_a, day=date(2026, 3, 2), working=False, note="test")
        assert due() == "2026-03-03T17:00:00"
        ProvinceCalendarOverride.create(province=ward_a.province_code, day=date(2026, 3, 3), working=False)
        assert due() == "2026-03-04T17:00:00"
        ward_day.delete_instance()
        assert due() == "2026-03-02T17:00:00"


def test_national_days_are_computed_once_per_year_and_never_change() -> None:
    year = work_calendar._vietnam_year(2026)
    assert work_calendar._vietnam_year(2026) is year
    with pytest.raises(TypeError):
        year.names[date(2026, 3, 2)] = "x"  # type: ignore[index]
    calendar = WorkCalendar()
    assert calendar.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert not calendar.is_working_day(date(2026, 2, 17))
    # A swap listed with the next year's day off: Saturday 27/12/2014 worked for 2/1/2015.
    assert WorkCalendar().is_working_day(date(2014, 12, 27))
    # A ward's own day off never leaks into another calendar through the shared table.
    closed = WorkCalendar([CalendarOverride(date(2026, 3, 2), working=False)])
    assert not closed.is_working_day(date(2026, 3, 2))
    assert WorkCalendar().is_working_day(date(2026, 3, 2))


# ---------------------------------------------------------------- tokens


def test_last_used_at_is_written_at_most_once_a_minute(app, users, ward_a, monkeypatch) -> None:  # noqa: ANN001
    token, text = create_token(ward_a, users.staff_a)
    moment = datetime(2026, 3, 2, 9, 0, 0)
    monkeypatch.setattr(accounts, "now", lambda: moment)
    assert verify_token(text) is not None
    assert ApiToken.get_by_id(token.id).last_used_at == moment
    first = moment
    moment = first + timedelta(seconds=59)
    assert verify_token(text) is not None
    assert ApiToken.get_by_id(token.id).last_used_at == first
    moment = first + accounts.LAST_USED_PRECISION
    assert verify_token(text) is not None
    assert ApiToken.get_by_id(token.id).last_used_at == moment
    moment = first  # a clock set back is recorded too
    assert verify_token(text) is not None
    assert ApiToken.get_by_id(token.id).last_used_at == first


def test_a_revoked_token_is_refused_at_once_within_the_minute(app, client, users, ward_a) -> None:  # noqa: ANN001
    token, text = create_token(ward_a, users.staff_a)
    headers = {"Authorization": f"Bearer {text}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    ApiToken.update(revoked_at=clock.now()).where(ApiToken.id == token.id).execute()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    # Losing the role refuses the user's other tokens at once too.
    _, other = create_token(ward_a, users.staff_a)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    revoke_role(users.staff_a, ward_a)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_a_token_grant_keeps_the_role_rules(app, users, ward_a) -> None:  # noqa: ANN001
    _, staff = create_token(ward_a, users.staff_a)
    _, platform = create_token(ward_a, users.platform_admin)
    grant = verify_token(staff)
    assert grant is not None and grant.tenant.id == ward_a.id and grant.user.id == users.staff_a.id
    assert "records.receive" in grant.permissions
    assert verify_token(platform) is not None  # no membership: the platform role still counts
    assert verify_token(staff.replace(ward_a.code, "99999", 1)) is None
    assert verify_token(staff[:-1] + ("A" if staff[-1] != "A" else "B")) is None


def test_a_token_grant_holds_the_rows_as_stored_and_a_role_change_counts_at_once(app, users, ward_a) -> None:  # noqa: ANN001
    token, text = create_token(ward_a, users.admin_a, scopes=["records.receive", "notebooks.publish"])
    grant = verify_token(text)
    assert grant is not None
    stored = ApiToken.get_by_id(token.id)
    assert {**grant.token.__data__, "last_used_at": None} == {**stored.__data__, "last_used_at": None}
    assert grant.tenant.__data__ == Tenant.get_by_id(ward_a.id).__data__
    assert grant.user.__data__ == User.get_by_id(users.admin_a.id).__data__
    assert grant.token.tenant is grant.tenant and grant.token.user is grant.user
    assert grant.token.membership.__data__ == Membership.get(  # type: ignore[attr-defined]
        Membership.tenant == ward_a.id, Membership.user == users.admin_a.id
    ).__data__
    assert not grant.token.is_dirty() and not grant.tenant.is_dirty() and not grant.user.is_dirty()
    assert grant.permissions == {"records.receive", "notebooks.publish"}
    grant_role(users.admin_a, ward_a, "staff")
    assert verify_token(text).permissions == {"records.receive"}  # type: ignore[union-attr]


# ---------------------------------------------------------------- plugins


class Listener:
    plugin_name = "nghe-ho-so"
    calls: list[str]

    def __init__(self) -> None:
        self.calls = []

    @hookimpl
    def record_received(self, tenant, record):  # noqa: ANN001, ANN201
        self.calls.append(record.code)


def test_a_plugin_toggle_counts_from_the_next_request(migrated_db, tmp_path, ward_a, users) -> None:  # noqa: ANN001
    listener = Listener()
    app = build_app(migrated_db, tmp_path / "data", listener)
    publish_form(ward_a, CERTIFY)
    _, token = create_token(ward_a, users.staff_a)
    client = app.test_client()
    assert _post(client, token).status_code == 201
    assert listener.calls == []  # off by default
    with app.app_context():
        enable_plugin("nghe-ho-so", ward_a, "test")
    assert _post(client, token).status_code == 201
    assert len(listener.calls) == 1
    with app.app_context():
        disable_plugin("nghe-ho-so", ward_a, "test")
    assert _post(client, token).status_code == 201
    assert len(listener.calls) == 1
    # Another process's toggle (no call into this one) also counts from the next request.
    PluginSetting.update(enabled=True).where(PluginSetting.plugin == "nghe-ho-so").execute()
    assert _post(client, token).status_code == 201
    assert len(listener.calls) == 2
    assert Record.select().where(Record.tenant == ward_a).count() == 4


def test_a_toggle_counts_later_in_its_own_request(migrated_db, tmp_path, ward_a) -> None:  # noqa: ANN001
    app = build_app(migrated_db, tmp_path / "data", Listener())
    host = plugin_host(app)
    with app.test_request_context("/"):
        assert "nghe-ho-so" not in host.enabled_names(ward_a)
        enable_plugin("nghe-ho-so", ward_a, "test")
        assert "nghe-ho-so" in host.enabled_names(ward_a)
        disable_plugin("nghe-ho-so", ward_a, "test")
        assert "nghe-ho-so" not in host.enabled_names(ward_a)


# ---------------------------------------------------------------- helpers


def _statements(action) -> list[str]:  # noqa: ANN001
    """Return the SQL statements ``action()`` runs (BEGIN/COMMIT not counted)."""
    seen: list[object] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = seen.append  # type: ignore[method-assign]
    peewee_log = logging.getLogger("peewee")
    level = peewee_log.level
    peewee_log.addHandler(handler)
    peewee_log.setLevel(logging.DEBUG)
    try:
        action()
    finally:
        peewee_log.removeHandler(handler)
        peewee_log.setLevel(level)
    return [r.msg[0] for r in seen if isinstance(r.msg, tuple)]  # type: ignore[attr-defined]


def _context():  # noqa: ANN202
    from motcua.expressions import EvalContext

    moment = datetime(2026, 3, 2, 9, 0)
    return EvalContext(moment.date(), moment)


def _with_total_pages(nb):  # noqa: ANN001, ANN202
    """Return ``nb`` with one more formula: the pages to certify in all."""
    total = Cell(
        "tong-so-trang",
        "formula",
        "so_trang * so_ban",
        {"name": "tong_so_trang", "type": "number", "label": {"vi": "Tổng số trang", "en": "Pages in all"}},
    )
    return dataclasses.replace(nb, cells=(*nb.cells, total))
