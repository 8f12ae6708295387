"""The working-day rule: weekends off, the admins' calendar overrides the week."""

from datetime import date

from lms.core import workdays
from lms.core.models import CalendarDay
from lms.extensions import db


def test_five_working_days_from_friday_18_april_2025_end_on_friday_25_april():
    assert workdays.add_workdays(date(2025, 4, 18), 5, {}) == date(2025, 4, 25)


def test_a_notice_published_on_a_saturday_counts_from_monday():
    assert workdays.add_workdays(date(2025, 4, 19), 5, {}) == date(2025, 4, 25)


def test_a_holiday_is_skipped_and_a_make_up_sunday_counts():
    # May Day 2025: 1–5 May off, Sunday 27 April a make-up working day.
    calendar = {date(2025, 4, 27): True, **{date(2025, 5, d): False for d in range(1, 6)}}
    # From Friday 25 April: Sun 27, Mon 28, Tue 29, Wed 30, then Tue 6 May.
    assert workdays.add_workdays(date(2025, 4, 25), 5, calendar) == date(2025, 5, 6)
    assert workdays.add_workdays(date(2025, 4, 25), 5, {}) == date(2025, 5, 2)
    assert workdays.workdays_between(date(2025, 4, 25), date(2025, 5, 6), calendar) == 5


def test_the_period_reads_the_admins_calendar(app):
    db.session.add(CalendarDay(day=date(2025, 4, 21), is_workday=False, note="调休"))
    db.session.commit()
    assert workdays.period_end(date(2025, 4, 18), 5) == date(2025, 4, 28)


def test_a_calendar_without_working_days_is_an_error_not_a_loop():
    every_day_off = {
        date(2026, 1, 1).fromordinal(date(2026, 1, 1).toordinal() + i): False for i in range(500)
    }
    try:
        workdays.add_workdays(date(2026, 1, 1), 5, every_day_off)
    except ValueError:
        pass
    else:
        raise AssertionError("expected ValueError")
