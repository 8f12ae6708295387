"""Reactions to other packages' signals (``lms.signals``): reminders and notifications.

Each subscriber reads only the signal's keyword arguments (ids, times, titles, the people
to tell), never another package's tables, so it works as soon as its sender exists. All
writes go into the sender's transaction and commit with it; reminder rows are unique per
person, subject and kind, so a signal sent twice writes nothing new.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from flask_babel import gettext as _

from lms import signals
from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services
from lms.notifications.models import Category
from lms.notifications.services import ReminderSpec, session_specs

SESSION = "class_session"
LECTURE = "lecture"
LECTURE_LEAD = timedelta(minutes=30)
COURSE_DUE_LEAD = timedelta(days=3)


def on_session_scheduled(sender, *, session_id, starts_at, title, user_ids, url=None, **kw):
    services.schedule_reminders(
        user_ids,
        SESSION,
        session_id,
        session_specs(starts_at),
        category=Category.class_session,
        title=title,
        detail=kw.get("location") or "",
        event_at=starts_at,
        link=url,
    )


def on_session_rescheduled(sender, *, session_id, starts_at, title, user_ids, url=None, **kw):
    specs = session_specs(starts_at)
    location = kw.get("location") or ""
    services.move_reminders(
        SESSION, session_id, specs, title=title, detail=location, event_at=starts_at, link=url
    )
    # People on the roster now who had no reminder yet (or whose was withdrawn) get one.
    services.schedule_reminders(
        user_ids,
        SESSION,
        session_id,
        specs,
        category=Category.class_session,
        title=title,
        detail=location,
        event_at=starts_at,
        link=url,
    )
    if len(specs) == 1:  # too close for the 24-hour one: make sure an old one is not sent
        services.withdraw_reminders(SESSION, session_id, kinds=["session_24h"])


def on_session_cancelled(sender, *, session_id, starts_at, title, user_ids, url=None, **kw):
    services.withdraw_reminders(SESSION, session_id, kinds=["session_24h", "session_1h"])
    # Telling people is itself a reminder row due now: exactly once per person even if the
    # signal fires twice; the dispatcher sends it within a minute.
    services.schedule_reminders(
        user_ids,
        SESSION,
        session_id,
        [ReminderSpec("session_cancelled", utcnow())],
        category=Category.class_session,
        title=title,
        detail=kw.get("reason") or "",
        event_at=starts_at,
        link=url,
    )


def on_roster_changed(sender, *, class_id, user_id, change, upcoming, **kw):
    for item in upcoming or []:
        if change == "removed":
            services.withdraw_reminders(SESSION, item["session_id"], user_ids=[user_id])
        else:
            services.schedule_reminders(
                [user_id],
                SESSION,
                item["session_id"],
                session_specs(item["starts_at"]),
                category=Category.class_session,
                title=item.get("title") or "",
                detail=item.get("location") or "",
                event_at=item["starts_at"],
                link=item.get("url"),
            )


def on_live_lecture_scheduled(sender, *, lecture_id, starts_at, title, user_ids, **kw):
    spec = ReminderSpec("lecture_start", starts_at - LECTURE_LEAD, starts_at)
    services.move_reminders(LECTURE, lecture_id, [spec], title=title, event_at=starts_at)
    services.schedule_reminders(
        user_ids,
        LECTURE,
        lecture_id,
        [spec],
        category=Category.lecture,
        title=title,
        event_at=starts_at,
        link=kw.get("url") or (f"/courses/{kw['course_id']}" if kw.get("course_id") else None),
    )


def on_live_lecture_cancelled(sender, *, lecture_id, **kw):
    services.withdraw_reminders(LECTURE, lecture_id)


def on_course_assigned(sender, *, user_id, course_id, due_at: datetime | None = None, **kw):
    if due_at is None:
        return
    services.schedule_reminders(
        [user_id],
        "course",
        course_id,
        [ReminderSpec("course_due", max(due_at - COURSE_DUE_LEAD, utcnow()), due_at)],
        category=Category.course,
        title=kw.get("title") or _("课程 #%(id)s", id=course_id),
        event_at=due_at,
        link=f"/courses/{course_id}",
    )


def on_course_completed(sender, *, user_id, course_id, **kw):
    services.withdraw_reminders("course", course_id, user_ids=[user_id], kinds=["course_due"])


def on_mentor_log_submitted(sender, *, log_id, apprentice_id, **kw):
    services.schedule_reminders(
        [apprentice_id],
        "mentor_log",
        log_id,
        [ReminderSpec("log_confirm", utcnow())],
        category=Category.mentorship,
        title=_("带徒记录待确认"),
        link=kw.get("url") or f"/mentorship/logs/{log_id}",
    )


def on_excuse_requested(sender, *, class_id, session_id, user_id, request_id, **kw):
    from lms.accounts.models import User

    person = db.session.get(User, user_id)
    services.schedule_reminders(
        kw.get("officer_ids") or services.officers_for(user_id),
        "excuse_request",
        request_id,
        [ReminderSpec("excuse_review", utcnow())],
        category=Category.attendance,
        title=_("请假申请待审批"),
        detail=person.name if person else "",
        link=kw.get("url") or f"/training/classes/{class_id}/excuses",
    )


def on_low_attendance(sender, *, class_id, user_id, rate, threshold, officer_id=None, **kw):
    officers = [officer_id] if officer_id else services.officers_for(user_id)
    from lms.accounts.models import User

    person = db.session.get(User, user_id)
    name = person.name if person else ""
    link = kw.get("url") or f"/training/classes/{class_id}"
    title = kw.get("title") or _("培训班 #%(id)s", id=class_id)
    detail_worker = _(
        "您在本班的出勤率为 %(rate)d%%，低于结业要求 %(bar)d%%。请按时参加后续课次。",
        rate=round(rate * 100),
        bar=round(threshold * 100),
    )
    # One warning per person and class, whoever sends the signal how often.
    services.schedule_reminders(
        [user_id],
        "class",
        class_id,
        [ReminderSpec("low_attendance", utcnow())],
        category=Category.attendance,
        title=title,
        detail=detail_worker,
        link=link,
    )
    services.schedule_reminders(
        officers,
        "class",
        class_id,
        # The officer's kind names the worker: one warning per officer, class and worker.
        [ReminderSpec(f"low_attendance:{user_id}", utcnow())],
        category=Category.attendance,
        title=title,
        detail=_(
            "%(name)s 的出勤率为 %(rate)d%%，低于 %(bar)d%%。",
            name=name,
            rate=round(rate * 100),
            bar=round(threshold * 100),
        ),
        link=link,
    )


def register() -> None:
    pairs = [
        (signals.session_scheduled, on_session_scheduled),
        (signals.session_rescheduled, on_session_rescheduled),
        (signals.session_cancelled, on_session_cancelled),
        (signals.roster_changed, on_roster_changed),
        (signals.live_lecture_scheduled, on_live_lecture_scheduled),
        (signals.live_lecture_cancelled, on_live_lecture_cancelled),
        (signals.course_assigned, on_course_assigned),
        (signals.course_completed, on_course_completed),
        (signals.mentor_log_submitted, on_mentor_log_submitted),
        (signals.excuse_requested, on_excuse_requested),
        (signals.low_attendance, on_low_attendance),
    ]
    for signal, receiver in pairs:
        # weak=False: module-level functions, connected once however many apps are created.
        signal.connect(_in_text_locale(receiver), weak=False)


_WRAPPED: dict = {}


def _in_text_locale(receiver):
    if receiver not in _WRAPPED:

        @functools.wraps(receiver)
        def wrapped(sender, **kwargs):
            with services.text_locale():
                return receiver(sender, **kwargs)

        _WRAPPED[receiver] = wrapped
    return _WRAPPED[receiver]
