"""Reactions to other packages' signals (``lms.signals``): reminders and notifications.

Each subscriber reads only the signal's keyword arguments (ids, times, titles, the people
to tell) and people's names from accounts, never another domain's tables, so it works as
soon as its sender exists. All writes go into the sender's transaction and commit with it.
Every subscriber is idempotent: reminder rows are unique per person, subject and kind, and
``notify`` is keyed, so a signal sent twice tells nobody twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from lms import signals
from lms.accounts.labels import ROLE_LABELS
from lms.accounts.models import Role, User
from lms.db import utcnow
from lms.extensions import db
from lms.notifications import link_subscribers as links
from lms.notifications import services
from lms.notifications.models import Category
from lms.notifications.services import ReminderSpec, session_specs, text_locale
from lms.timeutil import local_datetime, to_local

SESSION = "class_session"
LECTURE = "lecture"
LECTURE_LEAD = timedelta(minutes=30)
COURSE_DUE_LEAD = timedelta(days=3)
CERTIFICATE_EXPIRY_NOTICE = timedelta(days=30)


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


def _name(user_id: int | None) -> str:
    person = db.session.get(User, user_id) if user_id else None
    return person.name if person else ""


def on_excuse_requested(sender, *, class_id, session_id, user_id, request_id, **kw):
    services.schedule_reminders(
        kw.get("officer_ids") or services.officers_for(user_id),
        "excuse_request",
        request_id,
        [ReminderSpec("excuse_review", utcnow())],
        category=Category.attendance,
        title=_("请假申请待审批"),
        detail=_name(user_id),
        link=kw.get("url") or f"/training/classes/{class_id}/excuses",
    )


def on_low_attendance(sender, *, class_id, user_id, rate, threshold, officer_id=None, **kw):
    officers = [officer_id] if officer_id else services.officers_for(user_id)
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
            name=_name(user_id),
            rate=round(rate * 100),
            bar=round(threshold * 100),
        ),
        link=link,
    )


def on_course_seat_granted(sender, *, user_id, course_id, **kw):
    """A waitlisted worker got a seat: they are told so, once however often it is reported."""
    title = kw.get("title") or _("课程 #%(id)s", id=course_id)
    services.notify(
        [user_id],
        Category.course,
        _("您已获得课程名额：%(title)s", title=title),
        _("您在候补名单上的课程有了空位，现在可以开始学习了。"),
        kw.get("url") or f"/courses/{course_id}",
        # Once per course and day: a seat granted again another day is news again.
        key=f"course-seat:{course_id}:{to_local(utcnow()):%Y-%m-%d}",
    )


def on_mentor_log_disputed(sender, *, log_id, organization_id, apprentice_id, reason, **kw):
    """An apprentice disputes a mentoring log: the officers over the pairing's organization
    are told, since one of them must resolve it."""
    services.notify(
        services.officers_over(organization_id),
        Category.mentorship,
        _("带徒记录有异议待处理"),
        _("%(name)s 对一条带徒记录提出异议：%(reason)s", name=_name(apprentice_id), reason=reason),
        kw.get("url") or "/mentorships/disputes",
        key=f"mentor-log-disputed:{log_id}",
    )


def on_mentorship_proposed(
    sender, *, mentorship_id, mentor_id, apprentice_id, requested_by_apprentice, **kw
):
    """An apprentice asked a mentor (the mentor is told), or an officer paired them (both
    are told to sign the agreement)."""
    link = kw.get("url") or f"/mentorships/{mentorship_id}"
    key = f"mentorship-proposed:{mentorship_id}"
    if requested_by_apprentice:
        services.notify(
            [mentor_id],
            Category.mentorship,
            _("%(name)s 申请拜您为师", name=_name(apprentice_id)),
            _("请查看拜师申请，接受后即签署带徒协议。"),
            link,
            key=key,
        )
        return
    services.notify(
        [mentor_id],
        Category.mentorship,
        _("请签署带徒协议：徒弟 %(name)s", name=_name(apprentice_id)),
        _("培训专员为您结对了徒弟，师徒双方签署协议后开始带徒。"),
        link,
        key=key,
    )
    services.notify(
        [apprentice_id],
        Category.mentorship,
        _("请签署带徒协议：师傅 %(name)s", name=_name(mentor_id)),
        _("培训专员为您结对了师傅，师徒双方签署协议后开始带徒。"),
        link,
        key=key,
    )


def on_certificate_issued(sender, *, certificate_id, holder_id, **kw):
    """ "Your certificate is ready", with its link; and a reminder before it expires."""
    link = kw.get("url") or f"/certificates/{certificate_id}"
    title = kw.get("title") or ""
    services.notify(
        [holder_id],
        Category.certificate,
        _("您的证书已就绪：%(title)s", title=title),
        _("证书编号 %(serial)s，可在“我的证书”中查看和下载。", serial=kw.get("serial") or ""),
        link,
        key=f"certificate:{certificate_id}",
    )
    expires_on: date | None = kw.get("expires_on")
    if expires_on:
        expires_at = local_datetime(expires_on)
        services.schedule_reminders(
            [holder_id],
            "certificate",
            certificate_id,
            [ReminderSpec("cert_expiry", expires_at - CERTIFICATE_EXPIRY_NOTICE, expires_at)],
            category=Category.certificate,
            title=title,
            event_at=expires_at,
            link=link,
        )


def on_roles_changed(sender, *, user_id, roles_before, roles_after, **kw):
    """The person is told their roles changed (once per change and day)."""

    def names(roles) -> str:
        return "、".join(str(ROLE_LABELS[Role(r)]) for r in roles) or _("无")

    before, after = sorted(roles_before), sorted(roles_after)
    services.notify(
        [user_id],
        Category.system,
        _("您的角色已变更"),
        _("原角色：%(before)s；现角色：%(after)s。", before=names(before), after=names(after)),
        "/me",
        key=f"roles:{'+'.join(before)}>{'+'.join(after)}:{to_local(utcnow()):%Y-%m-%d}",
    )


def on_mentorship_quiet(sender, *, mentorship_id, mentor_id, apprentice_id, quiet_since, **kw):
    """Remind a mentor when a pairing has had no mentoring log for N days.

    The kind names the day the pairing went quiet, so a mentor is reminded once per quiet
    spell: logging again and falling quiet again later brings a new reminder.
    """
    now = utcnow()
    services.schedule_reminders(
        [mentor_id],
        "mentorship",
        mentorship_id,
        [ReminderSpec(f"quiet_since_{quiet_since.isoformat()}", now, now + timedelta(days=3))],
        category=Category.mentorship,
        title=_(
            "徒弟 %(name)s 已 %(days)d 天没有带徒记录",
            name=_name(apprentice_id),
            days=kw.get("idle_days") or (to_local(now).date() - quiet_since).days,
        ),
        detail=_(
            "上次记录或结对开始：%(date)s。带徒后请在手机上记一笔。", date=quiet_since.isoformat()
        ),
        link=kw.get("url") or f"/mentorships/{mentorship_id}",
    )


#: Every signal this package hears, with its receiver. Wrapped once, at import, so that
#: connecting again (another app in the same process) finds the same receivers.
RECEIVERS = [
    (signal, text_locale()(receiver))
    for signal, receiver in (
        (signals.session_scheduled, on_session_scheduled),
        (signals.session_rescheduled, on_session_rescheduled),
        (signals.session_cancelled, on_session_cancelled),
        (signals.roster_changed, on_roster_changed),
        (signals.live_lecture_scheduled, on_live_lecture_scheduled),
        (signals.live_lecture_cancelled, on_live_lecture_cancelled),
        (signals.course_assigned, on_course_assigned),
        (signals.course_completed, on_course_completed),
        (signals.course_seat_granted, on_course_seat_granted),
        (signals.mentor_log_submitted, on_mentor_log_submitted),
        (signals.mentor_log_disputed, on_mentor_log_disputed),
        (signals.mentorship_proposed, on_mentorship_proposed),
        (signals.mentorship_quiet, on_mentorship_quiet),
        (signals.excuse_requested, on_excuse_requested),
        (signals.low_attendance, on_low_attendance),
        (signals.certificate_issued, on_certificate_issued),
        (signals.roles_changed, on_roles_changed),
        (signals.care_followup_due, links.on_care_followup_due),
        (signals.care_checkup_booked, links.on_care_checkup_booked),
        (signals.care_trip_decided, links.on_care_trip_decided),
        (signals.care_survey_sent, links.on_care_survey_sent),
        (signals.innovation_submitted, links.on_innovation_submitted),
        (signals.innovation_decided, links.on_innovation_decided),
        (signals.innovation_overdue, links.on_innovation_overdue),
        (signals.innovation_merged, links.on_innovation_merged),
        (signals.innovation_benefit_verified, links.on_innovation_benefit_verified),
        (signals.innovation_reward_computed, links.on_innovation_reward_computed),
        (signals.studio_decided, links.on_studio_decided),
        (signals.competition_awarded, links.on_competition_awarded),
    )
]


def register() -> None:
    for signal, receiver in RECEIVERS:
        # weak=False: module-level functions, connected once however many apps are created.
        signal.connect(receiver, weak=False)
