"""Periodic scans that turn a state of affairs into reminders (run hourly by beat).

Each scan reads another package through its services and writes reminders through the
outbox, so the usual guarantees hold: one reminder per person, subject and kind, sent once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _

from lms.notifications import services
from lms.notifications.models import Category


def mentor_quiet_scan(now: datetime) -> None:
    """Remind a mentor when an apprentice has had no mentoring log for N days.

    The kind names the day the pairing went quiet, so a mentor is reminded once per quiet
    spell: logging again and falling quiet again later brings a new reminder.
    """
    from lms.mentorship.services import quiet_mentorships

    idle_days = current_app.config["MENTOR_QUIET_DAYS"]
    for mentorship, since in quiet_mentorships(idle_days):
        services.schedule_reminders(
            [mentorship.mentor_id],
            "mentorship",
            mentorship.id,
            [
                services.ReminderSpec(
                    f"quiet_since_{since.isoformat()}", now, now + timedelta(days=3)
                )
            ],
            category=Category.mentorship,
            title=_(
                "徒弟 %(name)s 已 %(days)d 天没有带徒记录",
                name=mentorship.apprentice.name,
                days=idle_days,
            ),
            detail=_(
                "上次记录或结对开始：%(date)s。带徒后请在手机上记一笔。", date=since.isoformat()
            ),
            link=f"/mentorships/{mentorship.id}",  # built without a request: a plain path
        )


def register() -> None:
    services.register_scan(mentor_quiet_scan)
