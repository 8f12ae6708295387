"""What the care package puts on the home page: the care team's open work, and an
honoured person's link to their own file."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.care import services
from lms.care.models import CareCase, CaseStatus, Nomination, NominationStatus, Trip
from lms.core import home
from lms.extensions import db


def team_card(user: User) -> home.Card | None:
    if not services.is_care_team(user):
        return None
    open_cases = db.session.scalar(
        services.cases_query(user, services.CaseFilter(status=CaseStatus.open.value))
        .with_only_columns(sa.func.count(CareCase.id))
        .order_by(None)
    )
    return home.Card(
        title=_("关爱服务"),
        template="care/cards/team.html",
        context={"open_cases": open_cases, "overdue": services.overdue_count(user)},
        order=45,
    )


def person_card(user: User) -> home.Card | None:
    if not services.is_honoured(user):
        return None
    trips = db.session.scalars(
        sa.select(Trip)
        .join(Nomination, Nomination.trip_id == Trip.id)
        .where(
            Nomination.person_id == user.id,
            Nomination.status == NominationStatus.approved,
            Trip.starts_on >= services.local_today(),
        )
        .order_by(Trip.starts_on)
        .limit(1)
    ).all()
    return home.Card(
        title=_("我的关爱档案"),
        template="care/cards/person.html",
        context={"trips": trips},
        order=60,
    )


def register() -> None:
    home.register_card(Role.officer, team_card)
    home.register_card(Role.admin, team_card)
    for role in (Role.worker, Role.mentor):
        home.register_card(role, person_card)
