"""Who sees which contest, and the lists the pages and the API show: contests, quotas,
contestants, officials' duties, one's own entries and labour competitions. Read-only; the
rules that change anything are in ``services`` and ``labour``."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.competitions.models import (
    Assignment,
    Contest,
    Contestant,
    LabourCompetition,
    LabourEntrant,
    LabourIndicator,
    Official,
    Quota,
    Trade,
)
from lms.competitions.services import is_organizer
from lms.errors import Invalid, NotFound
from lms.extensions import db


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"


# --- contests ------------------------------------------------------------------------------


def contests_query(actor: User, q: str | None = None) -> sa.Select:
    """Contests an officer works on: those their organization organizes, and those with a
    quota for an organization in their scope (admins: all)."""
    scope.require_officer(actor)
    stmt = sa.select(Contest).options(joinedload(Contest.organization))
    if not scope.is_admin(actor):
        quota_here = (
            sa.select(Quota.id)
            .join(Organization, Organization.id == Quota.organization_id)
            .where(Quota.contest_id == Contest.id, scope.subtree_condition(actor))
            .exists()
        )
        stmt = stmt.where(sa.or_(Contest.organization_id == actor.organization_id, quota_here))
    if q:
        stmt = stmt.where(Contest.name.ilike(_like(q), escape="\\"))
    return stmt.order_by(Contest.registration_opens_at.desc(), Contest.id.desc())


def get_contest(actor: User, contest_id: int) -> Contest:
    """A contest the officer works on (organizer or holder of a quota in scope), else 404."""
    if not scope.is_officer(actor) and not scope.is_admin(actor):
        raise NotFound()
    contest = db.session.scalar(contests_query(actor).where(Contest.id == contest_id))
    if contest is None:
        raise NotFound()
    return contest


def organizer_contest(actor: User, contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or not is_organizer(actor, contest):
        raise NotFound()
    return contest


def organizer_trade(actor: User, trade_id: int) -> Trade:
    trade = db.session.get(Trade, trade_id)
    if trade is None or not is_organizer(actor, trade.contest):
        raise NotFound()
    return trade


def quotas(contest: Contest) -> list[tuple[Quota, Organization]]:
    return list(
        db.session.execute(
            sa.select(Quota, Organization)
            .join(Organization, Organization.id == Quota.organization_id)
            .where(Quota.contest_id == contest.id)
            .order_by(Organization.path)
        ).tuples()
    )


def quotas_in_scope(actor: User, contest: Contest) -> list[tuple[Quota, Organization]]:
    """The quotas an enterprise officer fills: organizations in their scope."""
    if not scope.is_officer(actor):
        return []
    return [
        (quota, org)
        for quota, org in quotas(contest)
        if scope.org_in_scope(actor, org) or actor.organization.path.startswith(org.path)
    ]


def assignments(contest: Contest) -> list[Assignment]:
    return list(
        db.session.scalars(
            sa.select(Assignment)
            .join(Trade, Trade.id == Assignment.trade_id)
            .where(Trade.contest_id == contest.id)
            .options(joinedload(Assignment.user))
            .order_by(Assignment.trade_id, Assignment.official, Assignment.id)
        )
    )


def contestants_query(actor: User, contest: Contest, q: str | None = None) -> sa.Select:
    """Contestants the officer may see: all for the organizer; one's own scope's otherwise."""
    stmt = (
        sa.select(Contestant)
        .join(User, User.id == Contestant.user_id)
        .join(Organization, Organization.id == User.organization_id)
        .where(Contestant.contest_id == contest.id)
        .options(joinedload(Contestant.user), joinedload(Contestant.trade))
    )
    if not is_organizer(actor, contest):
        scope.require_officer(actor)
        stmt = stmt.where(scope.subtree_condition(actor))
    if q:
        stmt = stmt.where(
            sa.or_(User.name.ilike(_like(q), escape="\\"), User.employee_no == q.strip())
        )
    return stmt.order_by(Contestant.number)


def person_by_employee_no(employee_no: str, field: str = "employee_no") -> User:
    person = db.session.scalar(
        sa.select(User).where(User.employee_no == (employee_no or "").strip(), User.active)
    )
    if person is None:
        raise Invalid(errors={field: [_("没有这个工号的人员，请核对后重新输入。")]})
    return person


def trade_of(contest: Contest, trade_id: int) -> Trade:
    trade = db.session.get(Trade, trade_id)
    if trade is None or trade.contest_id != contest.id:
        raise Invalid(errors={"trade_id": [_("请选择本竞赛的项目。")]})
    return trade


# --- officials -----------------------------------------------------------------------------


def duties(user: User) -> list[tuple[Assignment, Trade, Contest]]:
    """The person's judging duties, newest contest first."""
    return list(
        db.session.execute(
            sa.select(Assignment, Trade, Contest)
            .join(Trade, Trade.id == Assignment.trade_id)
            .join(Contest, Contest.id == Trade.contest_id)
            .where(Assignment.user_id == user.id)
            .order_by(Contest.id.desc(), Trade.id)
        ).tuples()
    )


def official_trade(user: User, trade_id: int, *officials: str) -> Trade:
    """A trade where the person holds one of the duties, else 404 (not even its name)."""
    officials = officials or tuple(Official)
    trade = db.session.scalar(
        sa.select(Trade)
        .join(Assignment, Assignment.trade_id == Trade.id)
        .where(
            Trade.id == trade_id,
            Assignment.user_id == user.id,
            Assignment.official.in_(officials),
        )
    )
    if trade is None:
        raise NotFound()
    return trade


def official_contest(user: User, contest_id: int, *officials: str) -> Contest:
    contest = db.session.scalar(
        sa.select(Contest)
        .join(Trade, Trade.contest_id == Contest.id)
        .join(Assignment, Assignment.trade_id == Trade.id)
        .where(
            Contest.id == contest_id,
            Assignment.user_id == user.id,
            Assignment.official.in_(officials or tuple(Official)),
        )
        .limit(1)
    )
    if contest is None:
        raise NotFound()
    return contest


# --- contestants ---------------------------------------------------------------------------


def my_entries(user: User) -> list[Contestant]:
    return list(
        db.session.scalars(
            sa.select(Contestant)
            .where(Contestant.user_id == user.id)
            .options(joinedload(Contestant.trade).joinedload(Trade.contest))
            .order_by(Contestant.id.desc())
        )
    )


def released_contests_query(q: str | None = None) -> sa.Select:
    stmt = sa.select(Contest).where(Contest.released_at.is_not(None))
    if q:
        stmt = stmt.where(Contest.name.ilike(_like(q), escape="\\"))
    return stmt.order_by(Contest.released_at.desc(), Contest.id.desc())


def released_contest(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or contest.released_at is None:
        raise NotFound()
    return contest


# --- labour competitions -------------------------------------------------------------------


def labour_query(actor: User, q: str | None = None) -> sa.Select:
    """Labour competitions of organizations in the officer's scope."""
    scope.require_officer(actor)
    stmt = (
        sa.select(LabourCompetition)
        .join(Organization, Organization.id == LabourCompetition.organization_id)
        .where(scope.subtree_condition(actor))
    )
    if q:
        stmt = stmt.where(LabourCompetition.name.ilike(_like(q), escape="\\"))
    return stmt.order_by(LabourCompetition.id.desc())


def get_labour(actor: User, competition_id: int) -> LabourCompetition:
    if not scope.is_officer(actor) and not scope.is_admin(actor):
        raise NotFound()
    competition = db.session.scalar(
        labour_query(actor).where(LabourCompetition.id == competition_id)
    )
    if competition is None:
        raise NotFound()
    return competition


def labour_parts(
    competition: LabourCompetition,
) -> tuple[list[LabourIndicator], list[LabourEntrant]]:
    indicators = list(
        db.session.scalars(
            sa.select(LabourIndicator)
            .where(LabourIndicator.competition_id == competition.id)
            .order_by(LabourIndicator.id)
        )
    )
    entrants = list(
        db.session.scalars(
            sa.select(LabourEntrant)
            .where(LabourEntrant.competition_id == competition.id)
            .order_by(LabourEntrant.id)
        )
    )
    return indicators, entrants


def labour_part(competition: LabourCompetition, model, row_id: int, field: str):
    row = db.session.get(model, row_id)
    if row is None or row.competition_id != competition.id:
        raise Invalid(errors={field: [_("请从列表中选择。")]})
    return row


def entrant_names(entrants: list[LabourEntrant]) -> dict[int, str]:
    ids = [e.user_id for e in entrants if e.user_id]
    people = (
        dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all())
        if ids
        else {}
    )
    return {e.id: e.team or people.get(e.user_id, "") for e in entrants}
