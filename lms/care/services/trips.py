"""Recuperation trips (疗休养) and study tours (学习考察), one machinery for both kinds: the
trip, quotas per unit, nominations ranked by priority, approval within capacity (exactly one
of two approvals for the last place wins: a conditional update of the trip's count), and
attendance. What participants learned on a study tour is in ``tours``."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit.services import record
from lms.care.models import (
    HOLDING_STATUSES,
    Nomination,
    NominationStatus,
    Trip,
    TripKind,
    TripQuota,
)
from lms.care.services.access import (
    LEVEL_RANK,
    covers,
    duty_organizations,
    get_person,
    require_care_team,
    scope_condition,
    top_level,
)
from lms.care.services.common import clean, load, local_today
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import care_trip_decided, emit

NS = NominationStatus


def trips_query(actor: User, q: str | None = None, kind: str | None = None) -> sa.Select:
    require_care_team(actor)
    # Trips the actor organises, and trips of the organizations above their duties (to
    # which their units nominate people).
    above = [sa.literal(o.path).startswith(Organization.path) for o in duty_organizations(actor)]
    stmt = (
        sa.select(Trip)
        .join(Organization, Trip.organization_id == Organization.id)
        .where(sa.or_(scope_condition(actor), *above))
        .order_by(Trip.starts_on.desc(), Trip.id.desc())
    )
    if q:
        stmt = stmt.where(sa.or_(Trip.name.contains(q), Trip.place.contains(q)))
    if kind in TripKind.__members__:
        stmt = stmt.where(Trip.kind == TripKind(kind))
    return stmt


def _weight(value, field: str, errors: dict) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100:
        errors[field] = [_("权重须为 0 至 100 的整数。")]
    return number


def _kind(value, errors: dict) -> str:
    kind = getattr(value, "value", value) or TripKind.recuperation.value
    if kind not in TripKind.__members__:
        errors["kind"] = [_("请选择疗休养或学习考察。")]
    return kind


def create_trip(
    actor: User,
    organization: Organization,
    *,
    name: str,
    place: str,
    starts_on: date | None,
    ends_on: date | None,
    capacity: int | None,
    itinerary: str | None = None,
    weight_first_time: int = 50,
    weight_frontline: int = 30,
    weight_honour: int = 10,
    kind: str = TripKind.recuperation.value,
) -> Trip:
    if not covers(actor, organization):
        raise NotFound()
    errors: dict = {}
    kind = _kind(kind, errors)
    name, place = clean(name, 120), clean(place, 120)
    if not name:
        errors["name"] = [_("请填写名称。")]
    if not place:
        errors["place"] = [_("请填写地点。")]
    if starts_on is None:
        errors["starts_on"] = [_("请填写出发日期。")]
    elif starts_on < local_today():
        errors["starts_on"] = [_("出发日期不能早于今天。")]
    if ends_on is None:
        errors["ends_on"] = [_("请填写返回日期。")]
    elif starts_on and ends_on < starts_on:
        errors["ends_on"] = [_("返回日期不能早于出发日期。")]
    if not capacity or not 1 <= capacity <= 1000:
        errors["capacity"] = [_("名额须在 1 至 1000 之间。")]
    weights = {
        "weight_first_time": _weight(weight_first_time, "weight_first_time", errors),
        "weight_frontline": _weight(weight_frontline, "weight_frontline", errors),
        "weight_honour": _weight(weight_honour, "weight_honour", errors),
    }
    if errors:
        raise Invalid(errors=errors)
    trip = Trip(
        kind=TripKind(kind),
        name=name,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        itinerary=clean(itinerary, 4000),
        organization_id=organization.id,
        created_by_id=actor.id,
        **weights,
    )
    db.session.add(trip)
    db.session.flush()
    record(
        actor,
        "care.trip.create",
        "care_trip",
        trip.id,
        organization_id=organization.id,
        summary=name,
    )
    db.session.commit()
    return trip


def manages(actor: User, trip: Trip) -> bool:
    """The trip's organisers: the care team of its organization (quotas, approval)."""
    return covers(actor, trip.organization)


def _nominates(actor: User, trip: Trip) -> bool:
    """Care officers of units under the trip's organization nominate their people."""
    if manages(actor, trip):
        return True
    return not scope.is_admin(actor) and any(
        o.path.startswith(trip.organization.path) for o in duty_organizations(actor)
    )


def get_trip(actor: User, trip_id: int) -> Trip:
    trip = db.session.get(Trip, trip_id)
    if trip is None or not _nominates(actor, trip):
        raise NotFound()
    return trip


def require_manager(actor: User, trip: Trip) -> None:
    if not manages(actor, trip):
        raise Forbidden(_("只有组织单位的关爱专员可以分配名额、审批和登记参加情况。"))


def set_quota(actor: User, trip: Trip, organization: Organization, places: int | None) -> TripQuota:
    trip = get_trip(actor, trip.id)
    require_manager(actor, trip)
    if not organization.path.startswith(trip.organization.path):
        raise Invalid(
            errors={"organization_id": [_("只能为本次疗休养组织单位的下属单位分配名额。")]}
        )
    if not places or not 1 <= places <= trip.capacity:
        raise Invalid(errors={"places": [_("名额须在 1 至 %(n)d 之间。", n=trip.capacity)]})
    quota = db.session.scalar(
        sa.select(TripQuota).where(
            TripQuota.trip_id == trip.id, TripQuota.organization_id == organization.id
        )
    )
    if quota is None:
        quota = TripQuota(trip_id=trip.id, organization_id=organization.id, places=places)
        db.session.add(quota)
    else:
        used = _quota_used(quota.id)
        if places < used:
            raise Conflict(_("该单位已推荐 %(n)d 人，名额不能少于已推荐人数。", n=used))
        quota.places = places
    db.session.commit()
    return quota


def _quota_used(quota_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Nomination.id)).where(
            Nomination.quota_id == quota_id, Nomination.status.in_(HOLDING_STATUSES)
        )
    )


def _quota_for(trip: Trip, person: User, lock: bool) -> TripQuota | None:
    """The quota of the nearest unit above (or at) the person's organization."""
    quotas = db.session.scalars(
        sa.select(TripQuota)
        .join(Organization, TripQuota.organization_id == Organization.id)
        .where(TripQuota.trip_id == trip.id)
        .options(selectinload(TripQuota.organization))
    ).all()
    if not quotas:
        return None
    mine = [q for q in quotas if person.organization.path.startswith(q.organization.path)]
    if not mine:
        raise Invalid(errors={"person_id": [_("该人员所在单位没有本次疗休养的名额。")]})
    quota = max(mine, key=lambda q: len(q.organization.path))
    if lock:
        quota = load(TripQuota, quota.id, lock=True)
    return quota


def _check_overlap(trip: Trip, person: User) -> None:
    clash = db.session.scalar(
        sa.select(Trip.name)
        .join(Nomination, Nomination.trip_id == Trip.id)
        .where(
            Nomination.person_id == person.id,
            Nomination.status.in_(HOLDING_STATUSES),
            Trip.id != trip.id,
            Trip.starts_on <= trip.ends_on,
            Trip.ends_on >= trip.starts_on,
        )
        .limit(1)
    )
    if clash:
        raise Conflict(
            _(
                "%(name)s 已在日期重叠的“%(trip)s”名单中，同一时间只能参加一批。",
                name=person.name,
                trip=clash,
            )
        )


def priority_score(trip: Trip, person: User, frontline: bool) -> int:
    """Points by the trip's weights: never went before, front-line post, honour rank."""
    went_before = db.session.scalar(
        sa.select(
            sa.exists().where(
                Nomination.person_id == person.id,
                Nomination.trip_id != trip.id,
                Nomination.status == NS.approved,
                Nomination.attended.isnot(False),
            )
        )
    )
    level = top_level(person)
    score = 0 if went_before else trip.weight_first_time
    score += trip.weight_frontline if frontline else 0
    score += trip.weight_honour * (LEVEL_RANK[level] if level else 0)
    return score


def nominate(actor: User, trip: Trip, person: User, *, frontline: bool = False) -> Nomination:
    trip = get_trip(actor, trip.id)
    person = get_person(actor, person.id)
    if not person.organization.path.startswith(trip.organization.path):
        raise Invalid(errors={"person_id": [_("该人员不在本次疗休养的组织范围内。")]})
    if trip.starts_on < local_today():
        raise Conflict(_("疗休养已开始，不能再推荐。"))
    existing = db.session.scalar(
        sa.select(Nomination).where(
            Nomination.trip_id == trip.id, Nomination.person_id == person.id
        )
    )
    if existing is not None and existing.status in HOLDING_STATUSES:
        raise Conflict(_("%(name)s 已在推荐名单中。", name=person.name))
    # The person's row is the lock for their dates: two nominations of one person at once
    # (for overlapping trips) wait for each other, so the second sees the first.
    load(User, person.id, lock=True)
    _check_overlap(trip, person)
    quota = _quota_for(trip, person, lock=True)
    if quota is not None and _quota_used(quota.id) >= quota.places:
        raise Conflict(
            _("%(org)s 的名额（%(n)d 人）已用完。", org=quota.organization.name, n=quota.places)
        )
    nomination = existing or Nomination(trip_id=trip.id, person_id=person.id)
    nomination.organization_id = person.organization_id
    nomination.quota_id = quota.id if quota else None
    nomination.frontline = bool(frontline)
    nomination.score = priority_score(trip, person, bool(frontline))
    nomination.status = NS.nominated
    nomination.nominated_by_id = actor.id
    nomination.decided_by_id = None
    nomination.decided_at = None
    db.session.add(nomination)
    db.session.commit()
    return nomination


def roster_query(actor: User, trip: Trip) -> sa.Select:
    """Nominations of a trip, highest priority first."""
    trip = get_trip(actor, trip.id)
    stmt = sa.select(Nomination).where(Nomination.trip_id == trip.id)
    if not manages(actor, trip):  # a unit sees its own nominees only
        stmt = stmt.join(Organization, Nomination.organization_id == Organization.id).where(
            scope_condition(actor)
        )
    return stmt.options(selectinload(Nomination.person)).order_by(
        sa.case(
            (Nomination.status == NS.approved, 0),
            (Nomination.status == NS.nominated, 1),
            else_=2,
        ),
        Nomination.score.desc(),
        Nomination.id,
    )


def get_nomination(actor: User, nomination_id: int) -> Nomination:
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        raise NotFound()
    trip = get_trip(actor, nomination.trip_id)
    if not manages(actor, trip) and not covers(actor, nomination.person.organization):
        raise NotFound()
    return nomination


def _decided(actor: User, nomination: Nomination, status: NS) -> None:
    emit(
        care_trip_decided,
        nomination_id=nomination.id,
        trip_id=nomination.trip_id,
        person_id=nomination.person_id,
        status=status.value,
        kind=nomination.trip.kind.value,
    )
    record(
        actor,
        f"care.trip.{status.value}",
        "care_nomination",
        nomination.id,
        organization_id=nomination.organization_id,
        after={"status": status.value},
        summary=f"{nomination.person.name} {nomination.trip.name}",
    )


def approve(actor: User, nomination: Nomination) -> Nomination:
    """Take one place. Two officers approving the last place at once: the trip's count is
    raised only while below capacity, in one statement, so exactly one succeeds."""
    nomination = get_nomination(actor, nomination.id)
    require_manager(actor, nomination.trip)
    taken = db.session.execute(
        sa.update(Nomination)
        .where(Nomination.id == nomination.id, Nomination.status == NS.nominated)
        .values(status=NS.approved, decided_by_id=actor.id, decided_at=utcnow())
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise Conflict(_("该推荐已被处理，请刷新后查看。"))
    seated = db.session.execute(
        sa.update(Trip)
        .where(Trip.id == nomination.trip_id, Trip.approved_count < Trip.capacity)
        .values(approved_count=Trip.approved_count + 1)
    ).rowcount
    if seated != 1:
        db.session.rollback()
        raise Conflict(_("名额已满，不能再批准。"))
    db.session.refresh(nomination)
    db.session.refresh(nomination.trip)
    _decided(actor, nomination, NS.approved)
    db.session.commit()
    return nomination


def approve_by_priority(actor: User, trip: Trip) -> int:
    """Approve the highest-scoring nominees until the trip is full; returns how many."""
    trip = get_trip(actor, trip.id)
    require_manager(actor, trip)
    waiting = db.session.scalars(
        sa.select(Nomination)
        .where(Nomination.trip_id == trip.id, Nomination.status == NS.nominated)
        .order_by(Nomination.score.desc(), Nomination.id)
    ).all()
    approved = 0
    for nomination in waiting:
        if trip.places_left <= 0:
            break
        try:
            approve(actor, nomination)
        except Conflict:
            db.session.refresh(trip)
            if trip.places_left <= 0:
                break
            continue
        approved += 1
        db.session.refresh(trip)
    return approved


def _change_status(nomination: Nomination, expected: NS, new: NS, **values) -> None:
    """Move a nomination from ``expected`` to ``new`` in one conditional UPDATE; a request that
    lost the race to another is told so (409) and changes nothing."""
    result = db.session.execute(
        sa.update(Nomination)
        .where(Nomination.id == nomination.id, Nomination.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("名单刚刚被其他人修改过，请刷新后再试。"))
    db.session.refresh(nomination)


def decline(actor: User, nomination: Nomination) -> Nomination:
    nomination = get_nomination(actor, nomination.id)
    require_manager(actor, nomination.trip)
    if nomination.status != NS.nominated:
        raise Conflict(_("只有待审批的推荐可以不批准。"))
    _change_status(
        nomination, NS.nominated, NS.declined, decided_by_id=actor.id, decided_at=utcnow()
    )
    _decided(actor, nomination, NS.declined)
    db.session.commit()
    return nomination


def withdraw(actor: User, nomination: Nomination) -> Nomination:
    """Take a person off the roster; an approved place is given back."""
    nomination = get_nomination(actor, nomination.id)
    if nomination.status not in HOLDING_STATUSES:
        raise Conflict(_("该人员已不在名单中。"))
    if nomination.trip.starts_on <= local_today():
        raise Conflict(_("疗休养已开始，不能再撤回；请登记是否参加。"))
    was_approved = nomination.status == NS.approved
    # Conditional on the status just read: of two withdrawals at once only one changes the
    # row, so an approved place is given back once.
    _change_status(nomination, nomination.status, NS.withdrawn)
    if was_approved:
        db.session.execute(
            sa.update(Trip)
            .where(Trip.id == nomination.trip_id, Trip.approved_count > 0)
            .values(approved_count=Trip.approved_count - 1)
        )
    _decided(actor, nomination, NS.withdrawn)
    db.session.commit()
    db.session.refresh(nomination.trip)
    return nomination


def record_attendance(actor: User, nomination: Nomination, attended: bool) -> Nomination:
    nomination = get_nomination(actor, nomination.id)
    require_manager(actor, nomination.trip)
    if nomination.status != NS.approved:
        raise Conflict(_("只有已批准的人员可以登记参加情况。"))
    if nomination.trip.starts_on > local_today():
        raise Conflict(_("疗休养尚未开始，开始后再登记参加情况。"))
    nomination.attended = bool(attended)
    db.session.commit()
    return nomination


def my_trips(person: User) -> list[tuple[Nomination, Trip]]:
    return list(
        db.session.execute(
            sa.select(Nomination, Trip)
            .join(Trip, Nomination.trip_id == Trip.id)
            .where(Nomination.person_id == person.id, Nomination.status == NS.approved)
            .order_by(Trip.starts_on.desc())
        ).tuples()
    )
