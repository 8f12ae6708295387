"""The reminder outbox: writing (``schedule_reminders``), moving and withdrawing reminders,
and what each kind of reminder says (``TEXTS``). Idempotent: one row per person, subject and
kind; a sent reminder stays sent."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from lms.db import is_postgres, utcnow
from lms.extensions import db
from lms.notifications.models import Category, Reminder, ReminderStatus

# --- reminders: the outbox -------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSpec:
    """One reminder to write for each person: its kind and when it is due."""

    kind: str
    due_at: datetime
    expires_at: datetime | None = None


def _upsert(values: list[dict]) -> None:
    """Insert reminders; an existing unsent one is re-armed with the new time and text."""
    if not values:
        return
    insert = postgresql.insert if is_postgres(db.session) else sqlite.insert
    stmt = insert(Reminder).values(values)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "subject_type", "subject_id", "kind"],
        set_={
            "due_at": excluded.due_at,
            "expires_at": excluded.expires_at,
            "title": excluded.title,
            "detail": excluded.detail,
            "event_at": excluded.event_at,
            "link": excluded.link,
            "status": ReminderStatus.pending.value,
        },
        where=Reminder.status != ReminderStatus.sent.value,
    )
    db.session.execute(stmt)


def schedule_reminders(
    user_ids: Iterable[int],
    subject_type: str,
    subject_id: int,
    specs: Iterable[ReminderSpec],
    *,
    category: Category | str,
    title: str,
    detail: str = "",
    event_at: datetime | None = None,
    link: str | None = None,
) -> int:
    """Write one reminder per person and spec (idempotent). Returns how many rows were written.

    A reminder already sent stays sent (each reminder exactly once); a pending, withdrawn
    or dropped one is re-armed with the new time.
    """
    category = Category(category)
    now = utcnow()
    values = [
        {
            "user_id": uid,
            "kind": spec.kind,
            "category": category.value,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "title": title[:200],
            "detail": (detail or "")[:255],
            "event_at": event_at,
            "link": link,
            "due_at": spec.due_at,
            "expires_at": spec.expires_at,
            "status": ReminderStatus.pending.value,
            "attempts": 0,
            "created_at": now,
        }
        for uid in dict.fromkeys(user_ids)
        for spec in specs
    ]
    for start in range(0, len(values), 500):
        _upsert(values[start : start + 500])
    return len(values)


def move_reminders(
    subject_type: str,
    subject_id: int,
    specs: Iterable[ReminderSpec],
    *,
    title: str | None = None,
    detail: str | None = None,
    event_at: datetime | None = None,
    link: str | None = None,
) -> int:
    """A subject moved: give its unsent reminders of each kind the new due time."""
    moved = 0
    for spec in specs:
        changes: dict = {
            "due_at": spec.due_at,
            "expires_at": spec.expires_at,
            "status": ReminderStatus.pending,
        }
        for name, value in (("title", title), ("detail", detail), ("event_at", event_at)):
            if value is not None:
                changes[name] = value
        if link is not None:
            changes["link"] = link
        result = db.session.execute(
            sa.update(Reminder)
            .where(
                Reminder.subject_type == subject_type,
                Reminder.subject_id == subject_id,
                Reminder.kind == spec.kind,
                Reminder.status.in_([ReminderStatus.pending, ReminderStatus.dropped]),
            )
            .values(**changes)
            .execution_options(synchronize_session=False)
        )
        moved += result.rowcount or 0
    return moved


def withdraw_reminders(
    subject_type: str,
    subject_id: int,
    *,
    user_ids: Iterable[int] | None = None,
    kinds: Iterable[str] | None = None,
) -> int:
    """Withdraw the unsent reminders of a subject (for some people / kinds only, if given)."""
    stmt = sa.update(Reminder).where(
        Reminder.subject_type == subject_type,
        Reminder.subject_id == subject_id,
        Reminder.status == ReminderStatus.pending,
    )
    if user_ids is not None:
        stmt = stmt.where(Reminder.user_id.in_(list(user_ids)))
    if kinds is not None:
        stmt = stmt.where(Reminder.kind.in_(list(kinds)))
    result = db.session.execute(
        stmt.values(status=ReminderStatus.withdrawn).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- what a reminder says --------------------------------------------------------------------


def when(value: datetime | None) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _text_session_24h(r: Reminder) -> tuple[str, str]:
    return (
        _("明天上课提醒：%(title)s", title=r.title),
        _("您报名的课次将于 %(when)s 开始。", when=when(r.event_at))
        + ("\n" + _("地点：%(place)s", place=r.detail) if r.detail else ""),
    )


def _text_session_1h(r: Reminder) -> tuple[str, str]:
    return (
        _("1 小时后上课：%(title)s", title=r.title),
        _("课次将于 %(when)s 开始，请准时到场签到。", when=when(r.event_at))
        + ("\n" + _("地点：%(place)s", place=r.detail) if r.detail else ""),
    )


def _text_cancelled(r: Reminder) -> tuple[str, str]:
    return (
        _("课次取消：%(title)s", title=r.title),
        _("原定 %(when)s 的课次已取消。", when=when(r.event_at))
        + ("\n" + _("原因：%(reason)s", reason=r.detail) if r.detail else ""),
    )


def _text_lecture(r: Reminder) -> tuple[str, str]:
    return (
        _("直播讲座即将开始：%(title)s", title=r.title),
        _("讲座将于 %(when)s 开始，请提前进入直播间。", when=when(r.event_at)),
    )


def _text_course_due(r: Reminder) -> tuple[str, str]:
    return (
        _("课程即将到期：%(title)s", title=r.title),
        _("指派给您的课程需在 %(when)s 前完成，请抓紧学习。", when=when(r.event_at)),
    )


def _text_log_confirm(r: Reminder) -> tuple[str, str]:
    return (
        _("请确认带徒记录"),
        _("您的导师提交了一条带徒记录，请核对后确认。"),
    )


def _text_excuse(r: Reminder) -> tuple[str, str]:
    return (
        _("有请假申请待审批"),
        _("%(name)s 提交了请假申请，请及时处理。", name=r.detail),
    )


def _text_low_attendance(r: Reminder) -> tuple[str, str]:
    return (_("出勤率预警：%(title)s", title=r.title), r.detail)


def _text_cert_expiry(r: Reminder) -> tuple[str, str]:
    return (
        _("证书即将到期：%(title)s", title=r.title),
        _("您的证书将于 %(when)s 到期，如需延续请联系培训专员。", when=when(r.event_at)),
    )


def _text_generic(r: Reminder) -> tuple[str, str]:
    return (r.title, r.detail)


#: kind → function(reminder) → (title, body). Other packages may add their kinds. A text may
#: depend on the reminder's kind, title, detail and event time only: the dispatcher writes
#: it once for all the reminders of a batch that share them.
TEXTS: dict[str, Callable[[Reminder], tuple[str, str]]] = {
    "session_24h": _text_session_24h,
    "session_1h": _text_session_1h,
    "session_cancelled": _text_cancelled,
    "lecture_start": _text_lecture,
    "course_due": _text_course_due,
    "log_confirm": _text_log_confirm,
    "excuse_review": _text_excuse,
    "low_attendance": _text_low_attendance,
    "cert_expiry": _text_cert_expiry,
}


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    return TEXTS.get(reminder.kind.split(":")[0], _text_generic)(reminder)


def session_specs(starts_at: datetime, now: datetime | None = None) -> list[ReminderSpec]:
    """A class session's reminders: 24 hours and 1 hour before; both expire at the start.

    The 24-hour one is skipped when the session is scheduled less than an hour and a bit
    ahead (the 1-hour one says the same thing then).
    """
    now = now or utcnow()
    specs = [ReminderSpec("session_1h", starts_at - timedelta(hours=1), starts_at)]
    if starts_at - now > timedelta(hours=1, minutes=30):
        specs.insert(0, ReminderSpec("session_24h", starts_at - timedelta(hours=24), starts_at))
    return specs
