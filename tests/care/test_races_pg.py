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


def test_two_checkup_subsidies_for_one_person_at_once_give_exactly_one(pg_app):
    from lms.care.models import HelpPayment

    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officers = [UserFactory(organization=plant, roles=[Role.officer]) for _ in range(2)]
    for o in officers:
        db.session.add(CareDuty(user_id=o.id, organization_id=plant.id))
    person = UserFactory(organization=shop)
    HonorFactory(user=person, level=HonorLevel.national)
    db.session.commit()
    cases = [
        services.open_case(o, person, need="illness", help_kind="checkup_subsidy", title="体检")
        for o in officers
    ]
    pairs = [(o.id, c.id) for o, c in zip(officers, cases, strict=True)]
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def pay(officer_id: int, case_id: int):
        with pg_app.app_context():
            try:
                actor = db.session.get(User, officer_id)
                case = services.get_case(actor, case_id)
                barrier.wait(timeout=10)
                services.record_payment(actor, case, amount="800")
                results.append("ok")
            except Conflict as exc:
                results.append("conflict" if "每年只能发放一次" in exc.message else exc.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=pay, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    assert db.session.scalar(sa.select(sa.func.count(HelpPayment.id))) == 1


def test_demo_files_trips_and_reports_on_postgresql(pg_app):
    """Every care query runs on PostgreSQL as on SQLite (the demo goes through the services)."""
    from lms.core import demo

    data = demo.load_all()
    admin, officer = data.people["admin"], data.people["officer"]
    report = services.build(admin)
    assert report.open_cases >= 1 and report.amounts and report.served
    assert services.build(officer, organization_id=data.orgs["weld"].id).year
    mentor = data.people["mentor"]
    assert services.care_file(officer, mentor.id).timeline
    assert db.session.scalars(services.trips_query(officer)).all()
    assert db.session.scalars(services.people_query(officer, q="高", level="national")).all()
    assert services.batches_for_officer(data.people["officer_power"])
    assert (
        db.session.scalars(
            services.cases_query(admin, services.CaseFilter(overdue=True, q="医保"))
        ).all()
        == []
    )


def test_one_person_nominated_for_two_overlapping_trips_at_once_gets_one(pg_app):
    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officers = [UserFactory(organization=plant, roles=[Role.officer]) for _ in range(2)]
    for o in officers:
        db.session.add(CareDuty(user_id=o.id, organization_id=plant.id))
    person = UserFactory(organization=shop)
    HonorFactory(user=person, level=HonorLevel.city)
    db.session.commit()
    start = services.local_today() + timedelta(days=10)
    trips = [
        services.create_trip(
            officers[0], plant, name=f"t{i}", place="p", starts_on=start, ends_on=start, capacity=5
        )
        for i in range(2)
    ]
    args = [(officers[i].id, trips[i].id, person.id) for i in range(2)]
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def nominate(officer_id: int, trip_id: int, person_id: int):
        with pg_app.app_context():
            try:
                actor = db.session.get(User, officer_id)
                trip = services.get_trip(actor, trip_id)
                someone = db.session.get(User, person_id)
                barrier.wait(timeout=10)
                services.nominate(actor, trip, someone)
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=nominate, args=a) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    assert db.session.scalar(sa.select(sa.func.count(Nomination.id))) == 1


def _two_at_once(pg_app, action, args: list[tuple]) -> list[str]:
    """Run ``action(*args[i])`` in two threads released together; "ok" or "conflict" each."""
    barrier = threading.Barrier(2)
    results: list[str] = []

    def run(*a):
        with pg_app.app_context():
            try:
                prepared = action(*a)
                barrier.wait(timeout=10)
                prepared()
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=a) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(results)


def _survey_world():
    from lms.care.models import SurveyResponse

    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officers = [UserFactory(organization=plant, roles=[Role.officer]) for _ in range(2)]
    for o in officers:
        db.session.add(CareDuty(user_id=o.id, organization_id=plant.id))
    person = UserFactory(organization=shop)
    HonorFactory(user=person, level=HonorLevel.national)
    db.session.commit()
    survey = services.create_survey(
        officers[0],
        plant,
        name="调查",
        levels=["national"],
        closes_on=services.local_today() + timedelta(days=5),
    )
    response = db.session.scalars(
        sa.select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
    ).one()
    return [o.id for o in officers], person, response


def test_two_officers_entering_one_persons_answers_at_once_write_one(pg_app):
    from lms.care.models import LivingSituation, SurveyNeed

    officer_ids, _person, response = _survey_world()
    response_id = response.id
    db.session.remove()

    def enter(officer_id: int, text: str):
        actor = db.session.get(User, officer_id)
        target = services.get_response(actor, response_id)
        return lambda: services.answer(actor, target, housing=text, flagged=["housing"])

    results = _two_at_once(pg_app, enter, [(officer_ids[0], "甲"), (officer_ids[1], "乙")])
    assert results == ["conflict", "ok"]
    assert db.session.scalar(sa.select(sa.func.count(LivingSituation.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(SurveyNeed.id))) == 1


def test_two_officers_making_a_case_of_one_need_at_once_open_one(pg_app):
    from lms.care.models import CareCase, SurveyNeed

    officer_ids, person, response = _survey_world()
    services.answer(person, response, needs="医保断缴", flagged=["medical_insurance"])
    need_id = response.needs[0].id
    db.session.remove()

    def make(officer_id: int):
        actor = db.session.get(User, officer_id)
        services.get_need(actor, need_id)
        return lambda: services.case_from_need(actor, need_id)

    assert _two_at_once(pg_app, make, [(officer_ids[0],), (officer_ids[1],)]) == [
        "conflict",
        "ok",
    ]
    assert db.session.scalar(sa.select(sa.func.count(CareCase.id))) == 1
    case_id = db.session.scalar(sa.select(SurveyNeed.case_id).where(SurveyNeed.id == need_id))
    assert case_id == db.session.scalar(sa.select(CareCase.id))
