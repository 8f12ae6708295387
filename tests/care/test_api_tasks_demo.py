"""The care API's validation, the follow-up reminder task and the demo data."""

from datetime import timedelta

import sqlalchemy as sa

from lms.care import services
from lms.care.models import CareCase, CaseStep, Checkup, Nomination, Trip
from lms.care.tasks import remind_due_followups
from lms.extensions import db
from lms.signals import care_followup_due


def test_api_opens_a_case_adds_steps_and_refuses_bad_input(client, auth, world):
    auth.login(world["carer"])
    created = client.post(
        "/api/v1/care/cases",
        json={
            "person_id": world["hero"].id,
            "need": "income",
            "help_kind": "living_subsidy",
            "title": "收入下降",
        },
    )
    assert created.status_code == 201, created.get_json()
    case_id = created.get_json()["id"]
    past = (services.local_today() - timedelta(days=1)).isoformat()
    refused = client.post(f"/api/v1/care/cases/{case_id}/steps", json={"text": "x", "due_on": past})
    assert refused.status_code == 422 and refused.get_json()["errors"]["due_on"]
    absurd = client.post(f"/api/v1/care/cases/{case_id}/payments", json={"amount": "99999999"})
    assert absurd.status_code == 422 and absurd.get_json()["errors"]["amount"]
    paid = client.post(f"/api/v1/care/cases/{case_id}/payments", json={"amount": "300.5"})
    assert paid.status_code == 201 and paid.get_json()["amount"] == "300.50"
    out_of_scope = client.post(
        "/api/v1/care/cases",
        json={
            "person_id": world["far_hero"].id,
            "need": "income",
            "help_kind": "living_subsidy",
            "title": "t",
        },
    )
    assert out_of_scope.status_code == 404  # out of scope: not found, never 422


def test_the_reminder_task_tells_each_owner_once(world):
    case = services.open_case(
        world["carer"], world["hero"], need="illness", help_kind="special_hardship", title="t"
    )
    due = services.add_step(world["carer"], case, text="回访", due_on=services.local_today())
    services.add_step(
        world["carer"], case, text="later", due_on=services.local_today() + timedelta(days=3)
    )
    sent = []
    with care_followup_due.connected_to(lambda s, **kw: sent.append(kw)):
        assert remind_due_followups() == 1
        assert remind_due_followups() == 0
    assert sent == [
        {
            "step_id": due.id,
            "case_id": case.id,
            "owner_id": world["carer"].id,
            "url": f"/care/cases/{case.id}",
        }
    ]
    assert db.session.get(CaseStep, due.id).reminded_at is not None


def _officer():
    from lms.accounts.models import User

    return db.session.scalar(sa.select(User).where(User.employee_no == "T0001"))


def test_demo_data_shows_the_care_link_in_use(app):
    from lms.accounts.models import Honor, User
    from lms.core import demo

    demo.load_all()
    honoured = db.session.scalar(sa.select(sa.func.count(sa.distinct(Honor.user_id))))
    assert honoured >= 12
    open_case = db.session.scalar(
        sa.select(CareCase).where(CareCase.status == "open").order_by(CareCase.id).limit(1)
    )
    assert len(open_case.steps) >= 2
    assert db.session.scalar(sa.select(sa.func.count(Checkup.id))) >= 10
    trip = db.session.scalar(sa.select(Trip))
    assert trip.approved_count == trip.capacity
    assert db.session.scalar(sa.select(sa.func.count(Nomination.id))) > trip.capacity
    mentor = db.session.scalar(sa.select(User).where(User.employee_no == "M0001"))
    assert services.care_file(mentor, mentor.id).timeline
    # a survey with answers, one flagged need made a case; a study tour with a report
    officer = _officer()
    [survey] = db.session.scalars(services.surveys_query(officer)).all()
    counts = services.survey_counts(officer, survey)
    assert counts.answered == 2 and counts.asked > 2 and counts.cased == 1
    assert services.care_file(mentor, mentor.id).situation.health.startswith("腰椎劳损")
    [(tour, reports)] = services.tours_of(mentor)
    assert tour.kind == "study_tour" and reports == 1
