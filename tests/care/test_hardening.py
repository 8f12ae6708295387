"""Hardening: care's audit entries say who acted on which case, never the need, the title,
an amount or the person's name; an approved trip place is given back once."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import HonorLevel, Role, User
from lms.audit.models import AuditEntry
from lms.care import services
from lms.care.models import CareDuty, Nomination, NominationStatus, Trip
from lms.errors import Conflict
from lms.extensions import db
from tests.care.test_trips import make_trip
from tests.factories import EnterpriseFactory, HonorFactory, UserFactory, WorkshopFactory


def _audit_text() -> str:
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert entries, "opening a case and paying are audited"
    return "\n".join(
        f"{e.summary}|{json.dumps(e.before, ensure_ascii=False)}|"
        f"{json.dumps(e.after, ensure_ascii=False)}"
        for e in entries
    )


def test_the_audit_log_keeps_no_title_need_amount_or_name(world):
    carer, hero = world["carer"], world["hero"]
    case = services.open_case(
        carer, hero, need="illness", help_kind="special_hardship", title="肺癌住院化疗"
    )
    services.record_payment(carer, case, amount="12345.67")
    services.close_case(carer, case, "已康复出院")
    text = _audit_text()
    for secret in ("肺癌住院化疗", "illness", "12345.67", "12345", hero.name):
        assert secret not in text, secret
    # The entries still say which case was acted on, and by whom.
    entries = db.session.scalars(sa.select(AuditEntry)).all()
    assert all(e.actor_id == carer.id for e in entries)
    assert {e.entity_id for e in entries if e.entity_type == "care_case"} == {case.id}


def test_a_withdrawal_from_a_stale_read_gives_the_place_back_once(world):
    carer = world["carer"]
    trip = make_trip(carer, world["plant"], capacity=2)
    first = services.nominate(carer, trip, world["hero"])
    second = services.nominate(carer, trip, world["hero2"])
    services.approve(carer, first)
    services.approve(carer, second)
    assert db.session.get(Trip, trip.id).approved_count == 2
    nomination = db.session.get(Nomination, first.id)
    assert nomination.status == NominationStatus.approved
    # Another request withdraws the same person meanwhile (its UPDATEs are behind this
    # session's back: the copy in hand still says "approved").
    db.session.execute(
        sa.update(Nomination)
        .where(Nomination.id == first.id)
        .values(status=NominationStatus.withdrawn)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Trip)
        .where(Trip.id == trip.id)
        .values(approved_count=Trip.approved_count - 1)
        .execution_options(synchronize_session=False)
    )
    assert nomination.status == NominationStatus.approved  # stale
    with pytest.raises(Conflict):
        services.withdraw(carer, nomination)
    db.session.rollback()
    db.session.expire_all()
    # Only the committed approvals remain (the raw UPDATEs were rolled back with the loser).
    assert db.session.get(Trip, trip.id).approved_count == 2


def test_withdrawing_twice_refuses_the_second_and_counts_once(world):
    carer = world["carer"]
    trip = make_trip(carer, world["plant"], capacity=2)
    first = services.nominate(carer, trip, world["hero"])
    second = services.nominate(carer, trip, world["hero2"])
    services.approve(carer, first)
    services.approve(carer, second)
    services.withdraw(carer, first)
    assert db.session.get(Trip, trip.id).approved_count == 1
    with pytest.raises(Conflict):
        services.withdraw(carer, first)
    db.session.expire_all()
    assert db.session.get(Trip, trip.id).approved_count == 1
    assert db.session.get(Nomination, first.id).status == NominationStatus.withdrawn
    assert db.session.get(Nomination, second.id).status == NominationStatus.approved


def test_two_withdrawals_of_one_approved_place_at_once_give_it_back_once(pg_app):
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
        officers[0], plant, name="t", place="p", starts_on=start, ends_on=start, capacity=2
    )
    nominations = [services.nominate(officers[0], trip, p) for p in people]
    for n in nominations:
        services.approve(officers[0], n)
    nomination_id = nominations[0].id
    officer_ids = [o.id for o in officers]
    trip_id = trip.id
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def withdraw(officer_id: int):
        with pg_app.app_context():
            try:
                actor = db.session.get(User, officer_id)
                nomination = services.get_nomination(actor, nomination_id)
                assert nomination.status == NominationStatus.approved
                barrier.wait(timeout=10)
                services.withdraw(actor, nomination)
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=withdraw, args=(i,)) for i in officer_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    assert db.session.get(Trip, trip_id).approved_count == 1
