"""Recuperation trips: quotas, overlap, priority, capacity, attendance."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import HonorLevel
from lms.care import services
from lms.care.models import Nomination, NominationStatus, Trip
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import care_trip_decided
from tests.factories import HonorFactory, UserFactory


def make_trip(actor, org, start_in=10, days=5, capacity=2, **kw):
    start = services.local_today() + timedelta(days=start_in)
    return services.create_trip(
        actor,
        org,
        name=kw.pop("name", "秋季疗休养"),
        place="北戴河",
        starts_on=start,
        ends_on=start + timedelta(days=days),
        capacity=capacity,
        **kw,
    )


def test_trip_dates_capacity_and_weights_are_checked(world):
    today = services.local_today()
    with pytest.raises(Invalid) as exc:
        services.create_trip(
            world["carer"],
            world["plant"],
            name="",
            place="",
            starts_on=today - timedelta(days=1),
            ends_on=today - timedelta(days=3),
            capacity=0,
            weight_frontline=500,
        )
    assert set(exc.value.errors) == {
        "name",
        "place",
        "starts_on",
        "ends_on",
        "capacity",
        "weight_frontline",
    }
    with pytest.raises(NotFound):
        make_trip(world["carer"], world["other_plant"])


def test_a_person_in_two_overlapping_trips_is_refused(world):
    first = make_trip(world["carer"], world["plant"], start_in=10, days=5)
    second = make_trip(world["carer"], world["plant"], start_in=14, days=5, name="第二批")
    later = make_trip(world["carer"], world["plant"], start_in=30, days=5, name="第三批")
    services.nominate(world["carer"], first, world["hero"])
    with pytest.raises(Conflict) as exc:
        services.nominate(world["carer"], second, world["hero"])
    assert "日期重叠" in exc.value.message
    assert (
        services.nominate(world["carer"], later, world["hero"]).status == NominationStatus.nominated
    )


def test_quotas_per_unit_are_kept(world):
    trip = make_trip(world["union_carer"], world["union"], capacity=5)
    services.set_quota(world["union_carer"], trip, world["plant"], 1)
    services.nominate(world["union_carer"], trip, world["hero"])
    with pytest.raises(Conflict) as exc:
        services.nominate(world["union_carer"], trip, world["hero2"])
    assert "名额" in exc.value.message
    with pytest.raises(Invalid):  # no quota for the power company
        services.nominate(world["union_carer"], trip, world["far_hero"])


def test_priority_never_went_frontline_and_honour_level(world):
    carer = world["carer"]
    past = make_trip(carer, world["plant"], start_in=1, days=1, capacity=3, name="上一批")
    services.nominate(carer, past, world["hero"])
    services.approve(carer, db.session.scalar(sa.select(Nomination)))
    trip = make_trip(carer, world["plant"], start_in=20, capacity=1)
    fresh = UserFactory(organization=world["weld"])
    HonorFactory(user=fresh, level=HonorLevel.city)
    a = services.nominate(carer, trip, world["hero"])  # national, went before
    b = services.nominate(carer, trip, fresh, frontline=True)  # city, never went, front line
    assert a.score == 30  # 3 × 10
    assert b.score == 50 + 30 + 10
    sent = []
    with care_trip_decided.connected_to(lambda s, **kw: sent.append(kw)):
        assert services.approve_by_priority(carer, trip) == 1
    assert b.status == NominationStatus.approved and a.status == NominationStatus.nominated
    assert sent == [
        {
            "nomination_id": b.id,
            "trip_id": trip.id,
            "person_id": fresh.id,
            "status": "approved",
            "kind": "recuperation",
        }
    ]
    with pytest.raises(Conflict) as exc:
        services.approve(carer, a)
    assert "名额已满" in exc.value.message
    assert db.session.get(Trip, trip.id).approved_count == 1
    assert db.session.get(Nomination, a.id).status == NominationStatus.nominated


def test_withdrawing_gives_the_place_back(world):
    trip = make_trip(world["carer"], world["plant"], capacity=1)
    n = services.nominate(world["carer"], trip, world["hero"])
    services.approve(world["carer"], n)
    services.withdraw(world["carer"], n)
    assert db.session.get(Trip, trip.id).approved_count == 0
    n2 = services.nominate(world["carer"], trip, world["hero2"])
    services.approve(world["carer"], n2)
    # The withdrawn person may be nominated again only if a place is left.
    again = services.nominate(world["carer"], trip, world["hero"])
    with pytest.raises(Conflict):
        services.approve(world["carer"], again)


def test_attendance_only_once_the_trip_has_started(world):
    trip = make_trip(world["carer"], world["plant"], start_in=0, capacity=1)
    n = services.nominate(world["carer"], trip, world["hero"])
    services.approve(world["carer"], n)
    services.record_trip_attendance(world["carer"], n, True)
    assert n.attended is True
    later = make_trip(world["carer"], world["plant"], start_in=30, capacity=1, name="冬季")
    n2 = services.nominate(world["carer"], later, world["hero2"])
    services.approve(world["carer"], n2)
    with pytest.raises(Conflict):
        services.record_trip_attendance(world["carer"], n2, True)


def test_trips_out_of_scope_are_not_found(world):
    trip = make_trip(world["union_carer"], world["other_plant"])
    with pytest.raises(NotFound):
        services.get_trip(world["carer"], trip.id)


def test_units_nominate_for_the_organisers_trip_and_see_only_their_own_people(world):
    from lms.errors import Forbidden

    trip = make_trip(world["union_carer"], world["union"], capacity=5)
    carer = world["carer"]
    assert trip in db.session.scalars(services.trips_query(carer)).all()
    services.nominate(carer, trip, world["hero"])
    services.nominate(world["union_carer"], trip, world["far_hero"])
    roster = db.session.scalars(services.roster_query(carer, trip)).all()
    assert [n.person_id for n in roster] == [world["hero"].id]
    with pytest.raises(Forbidden):
        services.set_quota(carer, trip, world["plant"], 2)
    with pytest.raises(Forbidden):
        services.approve(carer, roster[0])
    far = db.session.scalar(
        sa.select(Nomination).where(Nomination.person_id == world["far_hero"].id)
    )
    with pytest.raises(NotFound):
        services.get_nomination(carer, far.id)
    with pytest.raises(NotFound):  # a unit's trip is not another unit's business
        services.get_trip(world["carer"], make_trip(world["union_carer"], world["other_plant"]).id)
