"""What the competitions put on the home page: an officer's contests, a person's judging
duties and their own entries (我的比赛)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.competitions import queries
from lms.competitions.models import Assignment, Contest, Contestant
from lms.core import home
from lms.extensions import db


def officer_card(user: User) -> home.Card | None:
    contests = db.session.scalar(
        queries.contests_query(user).with_only_columns(sa.func.count(Contest.id)).order_by(None)
    )
    return home.Card(
        title=_("技能竞赛"),
        template="competitions/cards/officer.html",
        context={"contests": contests},
        order=55,
    )


def person_card(user: User) -> home.Card | None:
    duties = db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(Assignment.user_id == user.id)
    )
    entries = db.session.scalar(
        sa.select(sa.func.count(Contestant.id)).where(Contestant.user_id == user.id)
    )
    if not duties and not entries:
        return None
    return home.Card(
        title=_("竞赛"),
        template="competitions/cards/person.html",
        context={"duties": duties, "entries": entries},
        order=56,
    )


def register() -> None:
    for role in (Role.officer, Role.admin):
        home.register_card(role, officer_card)
    for role in (Role.worker, Role.mentor):
        home.register_card(role, person_card)
