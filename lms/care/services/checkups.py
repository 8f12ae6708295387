"""Health check-ups (体检): yearly batches, the people eligible by honour level, their
appointments and attendance. Results are sensitive: outside the care team only whether a
person has been ("done / not done") is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.models import Honor, HonorLevel, Organization, User
from lms.audit.services import record
from lms.care.models import Checkup, CheckupBatch
from lms.care.services.access import covers, require_care_team, scope_condition
from lms.care.services.common import clean, local_today
from lms.db import insert_ignoring_duplicates
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import care_checkup_booked, emit


def batches_query(actor: User, year: int | None = None) -> sa.Select:
    require_care_team(actor)
    stmt = (
        sa.select(CheckupBatch)
        .join(Organization, CheckupBatch.organization_id == Organization.id)
        .where(scope_condition(actor))
        .options(selectinload(CheckupBatch.organization))
        .order_by(CheckupBatch.year.desc(), CheckupBatch.id.desc())
    )
    if year:
        stmt = stmt.where(CheckupBatch.year == year)
    return stmt


def _levels(levels) -> list[str]:
    chosen = [lv for lv in (levels or []) if lv in HonorLevel.__members__]
    if not chosen:
        raise Invalid(errors={"levels": [_("请至少选择一个荣誉级别。")]})
    return chosen


def create_batch(
    actor: User,
    organization: Organization,
    *,
    name: str,
    year: int | None,
    levels,
    place: str | None = None,
) -> CheckupBatch:
    if not covers(actor, organization):
        raise NotFound()
    errors = {}
    name = clean(name, 120)
    if not name:
        errors["name"] = [_("请填写批次名称。")]
    this_year = local_today().year
    if not year or not (this_year - 1 <= year <= this_year + 1):
        errors["year"] = [_("年度须在 %(a)d 至 %(b)d 之间。", a=this_year - 1, b=this_year + 1)]
    try:
        chosen = _levels(levels)
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid(errors=errors)
    batch = CheckupBatch(
        name=name,
        year=year,
        organization_id=organization.id,
        levels=",".join(chosen),
        place=clean(place, 200),
        created_by_id=actor.id,
    )
    db.session.add(batch)
    db.session.flush()
    add_eligible(actor, batch, commit=False)
    db.session.commit()
    return batch


def get_batch(actor: User, batch_id: int) -> CheckupBatch:
    batch = db.session.get(CheckupBatch, batch_id)
    if batch is None or not covers(actor, batch.organization):
        raise NotFound()
    return batch


def eligible_people(batch: CheckupBatch) -> sa.Select:
    """Honoured people of the batch's subtree with an honour of one of its levels."""
    levels = [HonorLevel(lv) for lv in batch.levels.split(",") if lv]
    return (
        sa.select(User.id)
        .join(Organization, User.organization_id == Organization.id)
        .where(
            Organization.path.startswith(batch.organization.path),
            User.active.is_(True),
            sa.exists(sa.select(Honor.id).where(Honor.user_id == User.id, Honor.level.in_(levels))),
        )
    )


def add_eligible(actor: User, batch: CheckupBatch, *, commit: bool = True) -> int:
    """Put every eligible person on the batch (again safe: those already on it stay)."""
    batch = get_batch(actor, batch.id)
    ids = list(db.session.scalars(eligible_people(batch)))
    if ids:
        db.session.execute(
            insert_ignoring_duplicates(db.session, Checkup, ["batch_id", "person_id"]),
            [{"batch_id": batch.id, "person_id": pid} for pid in ids],
        )
    if commit:
        db.session.commit()
    return len(ids)


def checkups_query(actor: User, batch: CheckupBatch, q: str | None = None) -> sa.Select:
    batch = get_batch(actor, batch.id)
    stmt = (
        sa.select(Checkup)
        .join(User, Checkup.person_id == User.id)
        .where(Checkup.batch_id == batch.id)
        .options(selectinload(Checkup.person))
        .order_by(User.name, Checkup.id)
    )
    if q:
        stmt = stmt.where(User.name.contains(q))
    return stmt


def get_checkup(actor: User, checkup_id: int) -> Checkup:
    checkup = db.session.get(Checkup, checkup_id)
    if checkup is None:
        raise NotFound()
    get_batch(actor, checkup.batch_id)
    return checkup


def book(actor: User, checkup: Checkup, appointment_on: date | None) -> Checkup:
    checkup = get_checkup(actor, checkup.id)
    if appointment_on is None:
        raise Invalid(errors={"appointment_on": [_("请填写预约日期。")]})
    if appointment_on < local_today():
        raise Invalid(errors={"appointment_on": [_("预约日期不能早于今天。")]})
    if checkup.done:
        raise Conflict(_("已体检，不能再改预约。"))
    checkup.appointment_on = appointment_on
    db.session.flush()
    emit(
        care_checkup_booked,
        checkup_id=checkup.id,
        batch_id=checkup.batch_id,
        person_id=checkup.person_id,
    )
    db.session.commit()
    return checkup


def record_attendance(
    actor: User, checkup: Checkup, attended_on: date | None, result_note: str | None = None
) -> Checkup:
    checkup = get_checkup(actor, checkup.id)
    day = attended_on or local_today()
    if day > local_today():
        raise Invalid(errors={"attended_on": [_("体检日期不能晚于今天。")]})
    checkup.attended_on = day
    checkup.result_note = clean(result_note, 4000)
    record(
        actor,
        "care.checkup.attended",
        "care_checkup",
        checkup.id,
        organization_id=checkup.person.organization_id,
        summary=checkup.person.name,
    )
    db.session.commit()
    return checkup


@dataclass
class StatusRow:
    name: str
    organization: str
    done: bool


def status_view(actor: User, batch_id: int) -> tuple[CheckupBatch, list[StatusRow]]:
    """What an officer outside the care team may know: who has been, nothing more.

    Officers see the people of their own organization's subtree; the care team theirs."""
    batch = db.session.get(CheckupBatch, batch_id)
    if batch is None:
        raise NotFound()
    if not (scope.is_officer(actor) or scope.is_admin(actor)):
        raise NotFound()
    if not scope.is_admin(actor):
        mine, theirs = actor.organization.path, batch.organization.path
        if not (mine.startswith(theirs) or theirs.startswith(mine)):
            raise NotFound()
    rows = db.session.execute(
        sa.select(User.name, Organization.name, Checkup.attended_on)
        .join(User, Checkup.person_id == User.id)
        .join(Organization, User.organization_id == Organization.id)
        .where(Checkup.batch_id == batch.id, scope.subtree_condition(actor))
        .order_by(Organization.path, User.name)
    ).all()
    return batch, [StatusRow(n, o, a is not None) for n, o, a in rows]


def batches_for_officer(actor: User) -> list[CheckupBatch]:
    """Batches that concern an officer's organization (above or below it)."""
    if not (scope.is_officer(actor) or scope.is_admin(actor)):
        raise NotFound()
    stmt = (
        sa.select(CheckupBatch)
        .join(Organization, CheckupBatch.organization_id == Organization.id)
        .order_by(CheckupBatch.year.desc(), CheckupBatch.id.desc())
        .limit(100)
    )
    if not scope.is_admin(actor):
        mine = actor.organization.path
        stmt = stmt.where(
            sa.or_(
                Organization.path.startswith(mine),
                sa.literal(mine).startswith(Organization.path),
            )
        )
    return list(db.session.scalars(stmt))
