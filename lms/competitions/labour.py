"""Labour competitions (劳动竞赛) inside an enterprise: teams or people compete on
indicators; officers enter results period by period; ranking and person-times."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.competitions.models import LabourCompetition, LabourEntrant, LabourIndicator, LabourResult
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db

CENT = Decimal("0.01")


def _require_officer(actor: User, organization_id: int) -> None:
    organization = db.session.get(Organization, organization_id)
    if not scope.is_officer(actor) or not scope.org_in_scope(actor, organization):
        raise Forbidden(_("只有本单位的培训专员可以管理劳动竞赛。"))


def create(actor: User, organization: Organization, name: str) -> LabourCompetition:
    _require_officer(actor, organization.id)
    competition = LabourCompetition(organization_id=organization.id, name=name)
    db.session.add(competition)
    db.session.flush()
    return competition


def add_indicator(
    actor: User, competition: LabourCompetition, name: str, weight, *, higher_is_better=True
) -> LabourIndicator:
    _require_officer(actor, competition.organization_id)
    weight = Decimal(str(weight))
    if weight <= 0:
        raise Invalid(_("指标权重须大于零。"))
    row = LabourIndicator(
        competition_id=competition.id, name=name, weight=weight, higher_is_better=higher_is_better
    )
    db.session.add(row)
    db.session.flush()
    return row


def add_entrant(
    actor: User,
    competition: LabourCompetition,
    *,
    team: str | None = None,
    members: int = 1,
    person: User | None = None,
) -> LabourEntrant:
    """A team (a name and its head count) or one person."""
    _require_officer(actor, competition.organization_id)
    if (team is None) == (person is None):
        raise Invalid(_("参赛方须为一个班组或一名职工。"))
    if person is not None and not scope.can_manage_user(actor, person):
        raise Forbidden(_("只能为本单位职工报名。"))
    if members < 1:
        raise Invalid(_("班组人数须至少一人。"))
    row = LabourEntrant(
        competition_id=competition.id,
        team=team,
        user_id=person.id if person else None,
        members=1 if person else members,
    )
    db.session.add(row)
    db.session.flush()
    return row


def enter_result(
    actor: User, entrant: LabourEntrant, indicator: LabourIndicator, period: str, value
) -> LabourResult:
    """One value of one indicator for one period (e.g. "2026-11"); entered once."""
    competition = db.session.get(LabourCompetition, entrant.competition_id)
    _require_officer(actor, competition.organization_id)
    if indicator.competition_id != competition.id:
        raise Invalid(_("指标不属于本竞赛。"))
    row = LabourResult(
        entrant_id=entrant.id,
        indicator_id=indicator.id,
        period=period,
        value=Decimal(str(value)),
        entered_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("该周期的成绩已录入。")) from None
    return row


@dataclass
class LabourStanding:
    entrant: LabourEntrant
    score: Decimal
    rank: int = 0


def ranking(competition: LabourCompetition, period: str | None = None) -> list[LabourStanding]:
    """Each indicator scaled against the best entrant (best = weight), summed over
    indicators (and periods when ``period`` is None); equal scores share a rank."""
    indicators = {
        i.id: i
        for i in db.session.scalars(
            sa.select(LabourIndicator).where(LabourIndicator.competition_id == competition.id)
        )
    }
    entrants = list(
        db.session.scalars(
            sa.select(LabourEntrant)
            .where(LabourEntrant.competition_id == competition.id)
            .order_by(LabourEntrant.id)
        )
    )
    stmt = (
        sa.select(
            LabourResult.entrant_id, LabourResult.indicator_id, sa.func.sum(LabourResult.value)
        )
        .join(LabourEntrant)
        .where(LabourEntrant.competition_id == competition.id)
        .group_by(LabourResult.entrant_id, LabourResult.indicator_id)
    )
    if period:
        stmt = stmt.where(LabourResult.period == period)
    values: dict[int, dict[int, Decimal]] = {}
    for entrant_id, indicator_id, total in db.session.execute(stmt):
        values.setdefault(indicator_id, {})[entrant_id] = Decimal(total)
    scores = {e.id: Decimal("0") for e in entrants}
    for indicator_id, by_entrant in values.items():
        indicator = indicators[indicator_id]
        best = max(by_entrant.values()) if indicator.higher_is_better else min(by_entrant.values())
        for entrant_id, value in by_entrant.items():
            if indicator.higher_is_better:
                share = value / best if best else Decimal("0")
            else:
                share = best / value if value else Decimal("1")
            scores[entrant_id] += indicator.weight * share
    rows = [LabourStanding(e, scores[e.id].quantize(CENT, ROUND_HALF_UP)) for e in entrants]
    rows.sort(key=lambda r: -r.score)
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and rows[i - 1].score == row.score else i + 1
    return rows


def person_times(competition: LabourCompetition) -> int:
    """人次: for every period, the people of every entrant with a result in it."""
    periods = (
        sa.select(LabourResult.entrant_id, LabourResult.period)
        .join(LabourEntrant)
        .where(LabourEntrant.competition_id == competition.id)
        .distinct()
        .subquery()
    )
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(LabourEntrant.members), 0)).join(
                periods, periods.c.entrant_id == LabourEntrant.id
            )
        )
    )
