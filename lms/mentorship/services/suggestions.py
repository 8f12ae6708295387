"""Mentor suggestions for an apprentice: same trade, skill, honours, nearness and spare
places, each with the reasons for its place."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.labels import SKILL_LABELS
from lms.accounts.models import (
    SKILL_ORDER,
    HonorKind,
    HonorLevel,
    Organization,
    Role,
    User,
    UserRole,
)
from lms.errors import NotFound
from lms.extensions import db
from lms.mentorship.models import OPEN_STATUSES, Mentorship
from lms.mentorship.services.capacity import capacities, loads

# --- suggestions -----------------------------------------------------------------------------

_HONOR_POINTS = {
    HonorLevel.national: 30,
    HonorLevel.provincial: 20,
    HonorLevel.city: 12,
    HonorLevel.enterprise: 6,
}


@dataclass
class Suggestion:
    mentor: User
    score: int
    load: int
    capacity: int
    reasons: list[str] = field(default_factory=list)


def _enterprise_key(org: Organization) -> str:
    """The path of the enterprise a unit belongs to: union /1/, enterprise /1/4/, ..."""
    parts = [p for p in org.path.split("/") if p]
    return "/".join(parts[:2])


def _candidates_scope(actor: User, apprentice: User):
    """Where mentors are looked for: the apprentice's own enterprise when they look for
    themselves, the officer's subtree when an officer pairs (an apprentice outside it: 404)."""
    if actor.id == apprentice.id:
        enterprise = _enterprise_key(apprentice.organization)
        return Organization.path.startswith(f"/{enterprise}/") if enterprise else sa.true()
    scope.require_officer(actor)
    if not scope.can_manage_user(actor, apprentice):
        raise NotFound()
    return scope.subtree_condition(actor)


def _honours_reason(mentor: User) -> tuple[int, str]:
    points = sum(_HONOR_POINTS.get(h.level, 0) for h in mentor.honors)
    best = max(mentor.honors, key=lambda h: _HONOR_POINTS.get(h.level, 0))
    title = best.title or (_("劳动模范") if best.kind == HonorKind.model_worker else _("荣誉称号"))
    return min(points, 80), _("荣誉：%(title)s 等 %(n)d 项", title=title, n=len(mentor.honors))


def _score(mentor: User, apprentice: User, load: int, capacity: int) -> tuple[int, list[str]]:
    """How well a mentor fits an apprentice, and why, reason by reason."""
    score, reasons = 0, []
    if apprentice.trade and mentor.trade == apprentice.trade:
        score += 1000
        reasons.append(_("同工种（%(trade)s）", trade=mentor.trade))
    elif mentor.trade:
        reasons.append(_("工种不同（%(trade)s）", trade=mentor.trade))
    if mentor.skill_level:
        rank = SKILL_ORDER[mentor.skill_level]
        score += rank * 20
        reasons.append(_("技能等级：%(level)s", level=SKILL_LABELS[mentor.skill_level]))
        if rank <= (SKILL_ORDER.get(apprentice.skill_level, 0) if apprentice.skill_level else 0):
            score -= 200
            reasons.append(_("技能等级不高于徒弟"))
    if mentor.honors:
        points, reason = _honours_reason(mentor)
        score += points
        reasons.append(reason)
    if mentor.organization_id == apprentice.organization_id:
        score += 60
        reasons.append(_("同车间：%(org)s", org=mentor.organization.name))
    elif _enterprise_key(mentor.organization) == _enterprise_key(apprentice.organization):
        score += 30
        reasons.append(_("同企业"))
    score += (capacity - load) * 5
    reasons.append(_("在带 %(load)d / %(capacity)d 名", load=load, capacity=capacity))
    return score, reasons


def suggestions(actor: User, apprentice: User, limit: int = 10) -> list[Suggestion]:
    """Mentors for an apprentice, best first, each with the reasons for its place.

    Same trade first, then skill level and honours, then same workshop or enterprise,
    and spare places; mentors with no place left are not suggested.
    """
    candidates_scope = _candidates_scope(actor, apprentice)
    taken = sa.select(Mentorship.mentor_id).where(
        Mentorship.apprentice_id == apprentice.id, Mentorship.status.in_(OPEN_STATUSES)
    )
    mentors = db.session.scalars(
        sa.select(User)
        .join(User.organization)
        .where(
            User.role_rows.any(UserRole.role == Role.mentor),
            User.active,
            User.id != apprentice.id,
            User.id.not_in(taken),
            candidates_scope,
        )
        .options(selectinload(User.honors))
    ).all()
    ids = [m.id for m in mentors]
    load_of = loads(ids)
    capacity_of = capacities(ids)
    result = []
    for mentor in mentors:
        load, capacity = load_of[mentor.id], capacity_of[mentor.id]
        if load < capacity:
            score, reasons = _score(mentor, apprentice, load, capacity)
            result.append(Suggestion(mentor, score, load, capacity, reasons))
    result.sort(key=lambda s: (-s.score, s.mentor.name, s.mentor.id))
    return result[:limit]
