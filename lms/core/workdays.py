"""Working days: the rule that counts a period such as a public notice of five working days.

The week says Monday to Friday are working days; the admins' calendar (``CalendarDay``)
overrides it for public holidays and for make-up working days on a weekend. A period of
*n* working days starting on a day does not count that day (as Chinese law counts periods):
it ends on the *n*-th working day after it. A notice of five working days published on
Friday 2025-04-18 therefore ends on Friday 2025-04-25.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import sqlalchemy as sa

from lms.extensions import db

#: A period is at most this many calendar days long, whatever the calendar says.
MAX_SPAN_DAYS = 400


def is_workday(day: date, overrides: Mapping[date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def add_workdays(start: date, count: int, overrides: Mapping[date, bool]) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
    if count < 1:
        raise ValueError("a period has at least one working day")
    day, seen = start, 0
    for _ in range(MAX_SPAN_DAYS):
        day += timedelta(days=1)
        if is_workday(day, overrides):
            seen += 1
            if seen == count:
                return day
    raise ValueError("the calendar leaves no working days in the period")


def workdays_between(start: date, end: date, overrides: Mapping[date, bool]) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_workday(start + timedelta(days=offset), overrides)
    )


def overrides_between(start: date, end: date) -> dict[date, bool]:
    """The calendar's exceptions in ``[start, end]``, one query."""
    from lms.core.models import CalendarDay

    rows = db.session.execute(
        sa.select(CalendarDay.day, CalendarDay.is_workday).where(
            CalendarDay.day.between(start, end)
        )
    ).all()
    return {row.day: row.is_workday for row in rows}


def period_end(start: date, count: int) -> date:
    """Where a period of ``count`` working days from ``start`` ends, by the admins' calendar."""
    return add_workdays(
        start, count, overrides_between(start, start + timedelta(days=MAX_SPAN_DAYS))
    )
