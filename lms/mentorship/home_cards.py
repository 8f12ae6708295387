"""What the mentorship package puts on the home page of mentors, apprentices and officers."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.core import home
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import LogStatus, MentorLog, Mentorship, MentorshipStatus


def mentor_card(user: User) -> home.Card:
    board = services.mentor_dashboard(user)
    return home.Card(
        title=_("我的徒弟"),
        template="mentorship/cards/mentor.html",
        context={
            "active": len(board["active"]),
            "proposed": sum(1 for r in board["proposed"] if not r.mentorship.mentor_signed_at),
            "month_hours": board["month_hours"],
            "waiting": sum(1 for log in board["waiting_logs"] if log.status == LogStatus.submitted),
            "idle": len(board["idle"]),
            "idle_days": board["idle_days"],
        },
        order=20,
    )


def apprentice_card(user: User) -> home.Card | None:
    current = db.session.scalars(
        sa.select(Mentorship)
        .where(
            Mentorship.apprentice_id == user.id,
            Mentorship.status.in_(
                [MentorshipStatus.proposed, MentorshipStatus.active, MentorshipStatus.paused]
            ),
        )
        .order_by(Mentorship.id.desc())
        .limit(1)
    ).first()
    if current is None:
        return None
    to_confirm = db.session.scalar(
        sa.select(sa.func.count(MentorLog.id))
        .join(Mentorship, MentorLog.mentorship_id == Mentorship.id)
        .where(Mentorship.apprentice_id == user.id, MentorLog.status == LogStatus.submitted)
    )
    return home.Card(
        title=_("我的师傅"),
        template="mentorship/cards/apprentice.html",
        context={
            "mentor": current.mentor,
            "hours": current.confirmed_hours,
            "to_confirm": to_confirm,
            "to_sign": current.status == MentorshipStatus.proposed
            and current.apprentice_signed_at is None,
        },
        order=25,
    )


def officer_card(user: User) -> home.Card:
    disputes = db.session.scalar(
        services.disputes_query(user).with_only_columns(sa.func.count()).order_by(None)
    )
    return home.Card(
        title=_("师徒结对"),
        template="mentorship/cards/officer.html",
        context={"totals": services.totals(user), "disputes": disputes},
        order=40,
    )


def register() -> None:
    home.register_card(Role.mentor, mentor_card)
    home.register_card(Role.worker, apprentice_card)
    home.register_card(Role.officer, officer_card)
    home.register_card(Role.admin, officer_card)
