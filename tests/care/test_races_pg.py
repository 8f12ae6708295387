"""Races on PostgreSQL: two officers approving the last place at once get exactly one."""

import threading
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import HonorLevel, Role, User
from lms.care import services
from lms.care.models import CareDuty, Nomination, NominationStatus, Trip
from lms.errors import Conflict
from lms.extensions import db
from tests.factories import EnterpriseFactory, HonorFactory, UserFactory, WorkshopFactory


def test_two_officers_approving_the_last_place_at_once_get_exactly_one(pg_app):
    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officers = [UserFactory(organization=plant, roles=[Role.officer]) for _ in range(2)]
    for o in officers:
        db.session.add(CareDuty(user_id=o.id, organization_id=plant.id))
    people = [UserFactory(organization=shop) for _ in range(2)]
    for p in people:
        HonorFactory(user=p, level=HonorLevel.city)
    db.session.commit()
    start = services.local_today() + timedelta(days=10)
    trip = services.create_trip(
        officers[0], plant, name="t", place="p", starts_on=start, ends_on=start, capacity=1
    )
    ids = [services.nominate(officers[0], trip, p).id for p in people]
    officer_ids = [o.id for o in officers]
    trip_id = trip.id
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def approve(officer_id: int, nomination_id: int):
        with pg_app.app_context():
            try:
                actor = db.session.get(User, officer_id)
                nomination = db.session.get(Nomination, nomination_id)
                barrier.wait(timeout=10)
                services.approve(actor, nomination)
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=approve, args=(officer_ids[i], ids[i])) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    assert db.session.get(Trip, trip_id).approved_count == 1
    statuses = db.session.scalars(sa.select(Nomination.status).order_by(Nomination.id)).all()
    assert sorted(statuses) == sorted([NominationStatus.approved, NominationStatus.nominated])
