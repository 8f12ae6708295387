"""The care duty and the care file: who may read whose file, and what the file holds.

A care duty (``CareDuty``) gives an officer the care files of an organization's subtree.
Admins hold every duty. Duties are granted and withdrawn by admins, and by officers who
hold a duty at a higher organization (never at their own level or above). Every read of
someone else's file is written to the audit log; a person reads their own file without
the entries the care team marked internal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.models import Honor, HonorLevel, Organization, Role, User
from lms.audit.services import record
from lms.care.models import (
    CareCase,
    CareDuty,
    CaseStep,
    Checkup,
    CheckupBatch,
    HelpPayment,
    LivingSituation,
    Nomination,
    Trip,
    Visit,
)
from lms.care.services.common import clean, local_today
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db

#: Honour ranks, highest first: used to pick a person's top honour and by trip priority.
LEVEL_RANK = {
    HonorLevel.national: 3,
    HonorLevel.provincial: 2,
    HonorLevel.city: 1,
    HonorLevel.enterprise: 0,
}


# --- duties ----------------------------------------------------------------------------------


def duty_organizations(actor: User) -> list[Organization]:
    """Organizations whose subtree the actor keeps care files for (officers only)."""
    if not scope.is_officer(actor):
        return []
    return list(
        db.session.scalars(
            sa.select(Organization)
            .join(CareDuty, CareDuty.organization_id == Organization.id)
            .where(CareDuty.user_id == actor.id)
        )
    )


def is_care_team(actor: User) -> bool:
    return scope.is_admin(actor) or bool(duty_organizations(actor))


def require_care_team(actor: User) -> None:
    if not is_care_team(actor):
        raise Forbidden(_("您没有关爱服务职责。如需开通，请联系管理员或上级单位的关爱专员。"))


def covers(actor: User, organization: Organization) -> bool:
    """Whether the actor holds the care duty for ``organization``."""
    if scope.is_admin(actor):
        return True
    return any(organization.path.startswith(o.path) for o in duty_organizations(actor))


def scope_condition(actor: User, path_column=Organization.path):
    """WHERE clause limiting an Organization-joined query to the actor's care scope."""
    if scope.is_admin(actor):
        return sa.true()
    orgs = duty_organizations(actor)
    if not orgs:
        return sa.false()
    return sa.or_(*(path_column.startswith(o.path) for o in orgs))


def _strictly_above(actor: User, organization: Organization) -> bool:
    """The actor holds a duty at an organization strictly above ``organization``."""
    if scope.is_admin(actor):
        return True
    return any(
        organization.path.startswith(o.path) and organization.id != o.id
        for o in duty_organizations(actor)
    )


def duties_query(actor: User) -> sa.Select:
    """Duties the actor may see: admins all, a duty holder those within their duties."""
    require_care_team(actor)
    return (
        sa.select(CareDuty)
        .join(Organization, CareDuty.organization_id == Organization.id)
        .where(scope_condition(actor))
        .options(selectinload(CareDuty.user), selectinload(CareDuty.organization))
        .order_by(Organization.path, CareDuty.id)
    )


def grantable_organizations(actor: User) -> list[Organization]:
    """Organizations the actor may grant a duty for."""
    require_care_team(actor)
    orgs = db.session.scalars(
        sa.select(Organization).where(scope_condition(actor)).order_by(Organization.path)
    ).all()
    return [o for o in orgs if _strictly_above(actor, o)]


def grant_duty(actor: User, officer: User, organization: Organization) -> CareDuty:
    if not _strictly_above(actor, organization):
        raise Forbidden(_("只能为本人关爱职责所辖的下级单位授予职责。"))
    if not officer.has_role(Role.officer):
        raise Invalid(errors={"user_id": [_("关爱服务职责只能授予培训专员。")]})
    if officer.id == actor.id and not scope.is_admin(actor):
        raise Forbidden(_("不能给自己授予职责。"))
    if not scope.is_admin(actor) and not covers(actor, officer.organization):
        raise NotFound()
    exists = db.session.scalar(
        sa.select(CareDuty.id).where(
            CareDuty.user_id == officer.id, CareDuty.organization_id == organization.id
        )
    )
    if exists:
        raise Conflict(_("%(name)s 已有该单位的关爱服务职责。", name=officer.name))
    duty = CareDuty(user=officer, organization=organization, granted_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(duty)
    except IntegrityError:  # granted at the same moment by someone else
        raise Conflict(_("%(name)s 已有该单位的关爱服务职责。", name=officer.name)) from None
    record(
        actor,
        "care.duty.grant",
        "care_duty",
        duty.id,
        organization_id=organization.id,
        after={"user_id": officer.id, "organization_id": organization.id},
        summary=f"{officer.name} {organization.name}",
    )
    db.session.commit()
    return duty


def get_duty(actor: User, duty_id: int) -> CareDuty:
    duty = db.session.get(CareDuty, duty_id)
    if duty is None or not covers(actor, duty.organization):
        raise NotFound()
    return duty


def revoke_duty(actor: User, duty: CareDuty) -> None:
    if not _strictly_above(actor, duty.organization):
        raise Forbidden(_("只能撤销下级单位的关爱服务职责。"))
    record(
        actor,
        "care.duty.revoke",
        "care_duty",
        duty.id,
        organization_id=duty.organization_id,
        before={"user_id": duty.user_id, "organization_id": duty.organization_id},
        summary=f"{duty.user.name} {duty.organization.name}",
    )
    db.session.delete(duty)
    db.session.commit()


def officers_for_duty(actor: User) -> list[User]:
    """Officers the actor may give a duty to."""
    require_care_team(actor)
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Organization, User.organization_id == Organization.id)
            .where(
                scope_condition(actor),
                User.active.is_(True),
                User.role_rows.any(role=Role.officer),
            )
            .order_by(User.name)
            .limit(500)
        )
    )


# --- honoured people ---------------------------------------------------------------------------


def is_honoured(user: User) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Honor.user_id == user.id)))


def people_query(actor: User, q: str | None = None, level: str | None = None) -> sa.Select:
    """Honoured people in the actor's care scope, by name."""
    require_care_team(actor)
    honour = sa.select(Honor.id).where(Honor.user_id == User.id)
    if level in HonorLevel.__members__:
        honour = honour.where(Honor.level == HonorLevel(level))
    stmt = (
        sa.select(User)
        .join(Organization, User.organization_id == Organization.id)
        .where(sa.exists(honour), scope_condition(actor))
        .options(selectinload(User.honors))
        .order_by(User.name, User.id)
    )
    if q:
        stmt = stmt.where(sa.or_(User.name.contains(q), User.employee_no.contains(q)))
    return stmt


def get_person(actor: User, person_id: int) -> User:
    """An honoured person in the actor's care scope; anyone else is not found (404)."""
    person = db.session.get(User, person_id)
    if person is None or not covers(actor, person.organization) or not is_honoured(person):
        raise NotFound()
    return person


def top_level(person: User) -> HonorLevel | None:
    levels = [h.level for h in person.honors]
    return max(levels, key=lambda lv: LEVEL_RANK[lv]) if levels else None


# --- living situation --------------------------------------------------------------------------


def record_situation(
    actor: User,
    person: User,
    *,
    surveyed_on: date | None = None,
    housing=None,
    income=None,
    health=None,
    family=None,
    needs=None,
    internal: bool = False,
) -> LivingSituation:
    if not covers(actor, person.organization):
        raise NotFound()
    day = surveyed_on or local_today()
    if day > local_today():
        raise Invalid(errors={"surveyed_on": [_("调查日期不能晚于今天。")]})
    row = LivingSituation(
        person_id=person.id,
        surveyed_on=day,
        housing=clean(housing, 200),
        income=clean(income, 200),
        health=clean(health, 200),
        family=clean(family, 200),
        needs=clean(needs, 4000),
        internal=bool(internal),
        recorded_by_id=actor.id,
    )
    if not any([row.housing, row.income, row.health, row.family, row.needs]):
        raise Invalid(errors={"housing": [_("请至少填写一项生活状况。")]})
    db.session.add(row)
    db.session.commit()
    return row


# --- the file ----------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    day: date
    kind: str  # case, step, payment, visit, checkup, trip
    title: str
    detail: str = ""
    internal: bool = False
    case_id: int | None = None


@dataclass
class CareFile:
    person: User
    own: bool
    situation: LivingSituation | None
    open_cases: int
    timeline: list[TimelineEntry] = field(default_factory=list)


def _situation(person: User, own: bool) -> LivingSituation | None:
    stmt = (
        sa.select(LivingSituation)
        .where(LivingSituation.person_id == person.id)
        .order_by(LivingSituation.surveyed_on.desc(), LivingSituation.id.desc())
        .limit(1)
    )
    if own:
        stmt = stmt.where(LivingSituation.internal.is_(False))
    return db.session.scalar(stmt)


def _timeline(person: User, own: bool) -> list[TimelineEntry]:
    """One timeline from six bounded queries, whatever the length of the file."""
    from lms.care import labels

    entries: list[TimelineEntry] = []
    cases = db.session.scalars(
        sa.select(CareCase).where(CareCase.person_id == person.id).order_by(CareCase.id)
    ).all()
    case_ids = [c.id for c in cases]
    hidden_cases = {c.id for c in cases if c.internal}
    for c in cases:
        entries.append(
            TimelineEntry(
                c.opened_on,
                "case",
                _("帮扶立案：%(t)s", t=c.title),
                f"{labels.need(c.need)} · {labels.help_kind(c.help_kind)}",
                c.internal,
                c.id,
            )
        )
        if c.closed_on:
            entries.append(
                TimelineEntry(
                    c.closed_on,
                    "case",
                    _("帮扶结案：%(t)s", t=c.title),
                    c.outcome or "",
                    c.internal,
                    c.id,
                )
            )
    if case_ids:
        for s in db.session.scalars(sa.select(CaseStep).where(CaseStep.case_id.in_(case_ids))):
            entries.append(
                TimelineEntry(
                    s.done_on or s.due_on,
                    "step",
                    (_("已完成：%(t)s") if s.done_on else _("待办：%(t)s")) % {"t": s.text},
                    s.note or "",
                    s.internal or s.case_id in hidden_cases,
                    s.case_id,
                )
            )
    for p in db.session.scalars(sa.select(HelpPayment).where(HelpPayment.person_id == person.id)):
        entries.append(
            TimelineEntry(
                p.paid_on,
                "payment",
                _("%(kind)s %(amount)s 元", kind=labels.help_kind(p.kind), amount=p.amount),
                p.note or "",
                p.case_id in hidden_cases,
                p.case_id,
            )
        )
    for v in db.session.scalars(sa.select(Visit).where(Visit.person_id == person.id)):
        entries.append(
            TimelineEntry(
                v.visited_on or v.planned_on,
                "visit",
                _("%(occasion)s走访（%(status)s）")
                % {
                    "occasion": labels.occasion(v.occasion),
                    "status": labels.visit_status(v.status),
                },
                "；".join(x for x in [v.visitors, v.given] if x),
                v.internal,
            )
        )
    for ck, batch in db.session.execute(
        sa.select(Checkup, CheckupBatch)
        .join(CheckupBatch, Checkup.batch_id == CheckupBatch.id)
        .where(Checkup.person_id == person.id)
    ):
        entries.append(
            TimelineEntry(
                ck.attended_on or ck.appointment_on or date(batch.year, 1, 1),
                "checkup",
                _("体检：%(n)s（%(s)s）", n=batch.name, s=_("已体检") if ck.done else _("未体检")),
                "" if own else (ck.result_note or ""),
            )
        )
    for n, trip in db.session.execute(
        sa.select(Nomination, Trip)
        .join(Trip, Nomination.trip_id == Trip.id)
        .where(Nomination.person_id == person.id)
    ):
        entries.append(
            TimelineEntry(
                trip.starts_on,
                "trip",
                (
                    _("学习考察：%(n)s（%(s)s）")
                    if trip.kind == "study_tour"
                    else _("疗休养：%(n)s（%(s)s）")
                )
                % {"n": trip.name, "s": labels.nomination_status(n.status)},
                trip.place,
            )
        )
    if own:
        entries = [e for e in entries if not e.internal]
    entries.sort(key=lambda e: e.day, reverse=True)
    return entries


def _open_cases(person: User, own: bool) -> int:
    stmt = sa.select(sa.func.count(CareCase.id)).where(
        CareCase.person_id == person.id, CareCase.status == "open"
    )
    if own:
        stmt = stmt.where(CareCase.internal.is_(False))
    return db.session.scalar(stmt)


def care_file(actor: User, person_id: int) -> CareFile:
    """A person's care file. The person reads their own (without internal entries);
    the care team of their organization reads it in full, and the read is audited."""
    if actor.id == person_id:
        person = actor
        if not is_honoured(person):
            raise NotFound()
        own = True
    else:
        person = get_person(actor, person_id)
        own = False
        record(
            actor,
            "care.file.read",
            "user",
            person.id,
            organization_id=person.organization_id,
            summary=person.name,
        )
        db.session.commit()
    return CareFile(
        person=person,
        own=own,
        situation=_situation(person, own),
        open_cases=_open_cases(person, own),
        timeline=_timeline(person, own),
    )


def care_organizations(actor: User) -> list[Organization]:
    """Organizations in the actor's care scope, tree order (for choosing a scope)."""
    require_care_team(actor)
    return list(
        db.session.scalars(
            sa.select(Organization).where(scope_condition(actor)).order_by(Organization.path)
        )
    )
