"""What training puts on the home page: today's sessions and attendance warnings."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User
from lms.core import home
from lms.db import utcnow
from lms.extensions import db
from lms.timeutil import local_zone, to_local
from lms.training import services
from lms.training.models import ClassSession, SessionStatus, TrainingClass


def _today() -> tuple[datetime, datetime]:
    day = to_local(utcnow()).date()
    start = datetime.combine(day, datetime.min.time(), local_zone())
    return start, start + timedelta(days=1)


def my_sessions_card(user: User) -> home.Card:
    start, end = _today()
    sessions = [
        s for s in services.schedule_for(user, start, end) if s.status == SessionStatus.scheduled
    ]
    return home.Card(
        title=_("今天的课"),
        template="training/cards/today.html",
        context={"sessions": sessions, "now": utcnow(), "user": user},
        order=20,
    )


def officer_card(user: User) -> home.Card:
    start, end = _today()
    sessions = list(
        db.session.scalars(
            sa.select(ClassSession)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .join(Organization, Organization.id == TrainingClass.organization_id)
            .where(
                scope.subtree_condition(user),
                ClassSession.starts_at >= start,
                ClassSession.starts_at < end,
                ClassSession.status == SessionStatus.scheduled,
            )
            .order_by(ClassSession.starts_at)
            .limit(20)
        )
    )
    warnings = list(db.session.scalars(services.warnings_query(user).limit(5)))
    return home.Card(
        title=_("今日课次与考勤预警"),
        template="training/cards/officer.html",
        context={"sessions": sessions, "warnings": warnings},
        order=30,
    )


def register() -> None:
    home.register_card(Role.worker, my_sessions_card)
    home.register_card(Role.mentor, my_sessions_card)
    home.register_card(Role.officer, officer_card)
    home.register_card(Role.admin, officer_card)
