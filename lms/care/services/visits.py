"""Visits (走访慰问): planned visits to honoured people, then recorded with who went and
what was given, or cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts.models import Organization, User
from lms.care.models import Visit, VisitOccasion, VisitStatus
from lms.care.services.access import covers, get_person, require_care_team, scope_condition
from lms.care.services.common import clean, local_today
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db


@dataclass
class VisitFilter:
    status: str | None = None
    occasion: str | None = None
    q: str | None = None


def visits_query(actor: User, filters: VisitFilter | None = None) -> sa.Select:
    require_care_team(actor)
    filters = filters or VisitFilter()
    stmt = (
        sa.select(Visit)
        .join(Organization, Visit.organization_id == Organization.id)
        .join(User, Visit.person_id == User.id)
        .where(scope_condition(actor))
        .options(selectinload(Visit.person))
        .order_by(Visit.planned_on.desc(), Visit.id.desc())
    )
    if filters.status in VisitStatus.__members__:
        stmt = stmt.where(Visit.status == VisitStatus(filters.status))
    if filters.occasion in VisitOccasion.__members__:
        stmt = stmt.where(Visit.occasion == VisitOccasion(filters.occasion))
    if filters.q:
        stmt = stmt.where(User.name.contains(filters.q))
    return stmt


def get_visit(actor: User, visit_id: int) -> Visit:
    visit = db.session.get(Visit, visit_id)
    if visit is None or not covers(actor, visit.person.organization):
        raise NotFound()
    return visit


def plan_visit(
    actor: User,
    person: User,
    *,
    occasion: str,
    planned_on: date | None,
    visitors: str | None = None,
    note: str | None = None,
    internal: bool = False,
) -> Visit:
    person = get_person(actor, person.id)
    errors = {}
    if occasion not in VisitOccasion.__members__:
        errors["occasion"] = [_("请选择走访事由。")]
    if planned_on is None:
        errors["planned_on"] = [_("请填写计划走访日期。")]
    elif planned_on < local_today():
        errors["planned_on"] = [_("计划日期不能早于今天；已完成的走访请直接登记。")]
    if errors:
        raise Invalid(errors=errors)
    visit = Visit(
        person_id=person.id,
        organization_id=person.organization_id,
        occasion=VisitOccasion(occasion),
        planned_on=planned_on,
        visitors=clean(visitors, 200),
        note=clean(note, 4000),
        internal=bool(internal),
        created_by_id=actor.id,
    )
    db.session.add(visit)
    db.session.commit()
    return visit


def record_visit(
    actor: User,
    visit: Visit,
    *,
    visited_on: date | None = None,
    visitors: str | None = None,
    given: str | None = None,
    note: str | None = None,
) -> Visit:
    visit = get_visit(actor, visit.id)
    if visit.status != VisitStatus.planned:
        raise Conflict(_("这次走访已登记或已取消。"))
    errors = {}
    day = visited_on or local_today()
    if day > local_today():
        errors["visited_on"] = [_("走访日期不能晚于今天。")]
    visitors = clean(visitors, 200)
    if not visitors:
        errors["visitors"] = [_("请填写走访人员。")]
    if errors:
        raise Invalid(errors=errors)
    visit.status = VisitStatus.done
    visit.visited_on = day
    visit.visitors = visitors
    visit.given = clean(given, 200)
    if note:
        visit.note = clean(note, 4000)
    db.session.commit()
    return visit


def cancel_visit(actor: User, visit: Visit) -> Visit:
    visit = get_visit(actor, visit.id)
    if visit.status != VisitStatus.planned:
        raise Conflict(_("只有计划中的走访可以取消。"))
    visit.status = VisitStatus.cancelled
    db.session.commit()
    return visit
