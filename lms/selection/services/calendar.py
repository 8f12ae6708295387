"""The working-day calendar the admins keep (``lms.core.models.CalendarDay``): public holidays
on weekdays and make-up working days on weekends. Notice periods count by it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.core.models import CalendarDay
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection.services.common import clean


def _require_admin(actor: User) -> None:
    if not scope.is_admin(actor):
        raise Forbidden(_("工作日历由管理员维护。"))


def calendar_query(actor: User, year: int | None = None) -> sa.Select:
    scope.require_officer(actor)
    stmt = sa.select(CalendarDay).order_by(CalendarDay.day)
    if year:
        stmt = stmt.where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt


def set_day(actor: User, day: date | None, is_workday: bool, note: str | None) -> CalendarDay:
    _require_admin(actor)
    if day is None:
        raise Invalid(errors={"day": [_("请填写日期。")]})
    weekend = day.weekday() >= 5
    if is_workday != weekend:
        raise Invalid(
            errors={
                "is_workday": [
                    _("周末本来就休息、工作日本来就上班：只需登记节假日和调休上班的周末。")
                ]
            }
        )
    row = db.session.get(CalendarDay, day)
    before = {"is_workday": row.is_workday, "note": row.note} if row else None
    if row is None:
        row = CalendarDay(day=day, is_workday=is_workday)
        db.session.add(row)
    row.is_workday = is_workday
    row.note = clean(note, 80) or ""
    record(
        actor,
        "calendar.set",
        "calendar_day",
        None,
        before=before,
        after={"day": day.isoformat(), "is_workday": is_workday, "note": row.note},
        summary=day.isoformat(),
    )
    db.session.commit()
    return row


def remove_day(actor: User, day: date) -> None:
    _require_admin(actor)
    row = db.session.get(CalendarDay, day)
    if row is None:
        raise NotFound()
    record(
        actor,
        "calendar.remove",
        "calendar_day",
        None,
        before={"day": day.isoformat(), "is_workday": row.is_workday, "note": row.note},
        summary=day.isoformat(),
    )
    db.session.delete(row)
    db.session.commit()
