"""What an evaluation may know about the world: the clock and the working calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from motcua.expressions.library import FunctionLibrary


class WorkdayCalendar(Protocol):
    """A tenant's working calendar (weekends, public holidays, make-up days)."""

    def add_workdays(self, start: date, days: int) -> date:
        """Return the date ``days`` working days after ``start``."""
        ...

    def workdays_between(self, start: date, end: date) -> int:
        """Return the number of working days from ``start`` to ``end``."""
        ...


@dataclass(frozen=True)
class EvalContext:
    """The evaluation's clock, calendar and functions; expressions read nothing else.

    ``functions`` None means the library the expression was compiled with (the default
    library unless ``compile_expression`` was given another).
    """

    today: date
    now: datetime
    calendar: WorkdayCalendar | None = None
    functions: FunctionLibrary | None = None
