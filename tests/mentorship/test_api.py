"""The mentorship JSON API: same rules, clear error codes, bounded queries."""

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from lms.mentorship.models import MentorshipStatus
from tests.factories import (
    MentorFactory,
    MentorLogFactory,
    MentorshipFactory,
    ProgrammeFactory,
    UserFactory,
    WorkshopFactory,
    _local_today,
)


@pytest.fixture
def people(app):
    workshop = WorkshopFactory()
    return {
        "officer": UserFactory(organization=workshop.parent, roles=[Role.officer]),
        "mentor": MentorFactory(organization=workshop),
        "apprentice": UserFactory(organization=workshop),
        "workshop": workshop,
    }


def test_officer_pairs_then_both_sign_over_the_api(client, auth, people):
    auth.login(people["officer"])
    suggestions = client.get(
        f"/api/v1/mentorship-suggestions?apprentice_id={people['apprentice'].id}"
    ).get_json()
    assert suggestions[0]["mentor"]["id"] == people["mentor"].id
    assert suggestions[0]["reasons"]
    today = _local_today()
    created = client.post(
        "/api/v1/mentorships",
        json={
            "mentor_id": people["mentor"].id,
            "apprentice_id": people["apprentice"].id,
            "start_date": today.isoformat(),
            "planned_end": (today + timedelta(days=365)).isoformat(),
            "goals": [{"skill": "氩弧焊"}],
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "proposed" and body["goals"][0]["skill"] == "氩弧焊"
    again = client.post(
        "/api/v1/mentorships",
        json={
            "mentor_id": people["mentor"].id,
            "apprentice_id": people["apprentice"].id,
            "start_date": today.isoformat(),
            "planned_end": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert again.status_code == 409 and again.get_json()["code"] == "conflict"
    for who in ("mentor", "apprentice"):
        auth.logout()
        auth.login(people[who])
        signed = client.post(f"/api/v1/mentorships/{body['id']}/signature")
        assert signed.status_code == 200
    assert signed.get_json()["status"] == "active"
    events = client.get(f"/api/v1/mentorships/{body['id']}/transitions").get_json()
    assert [e["to_status"] for e in events] == ["proposed", "active"]


def test_not_allowed_transition_is_409_and_unknown_status_422(client, auth, people):
    m = MentorshipFactory(mentor=people["mentor"], apprentice=people["apprentice"])
    auth.login(people["officer"])
    url = f"/api/v1/mentorships/{m.id}/transitions"
    assert client.post(url, json={"to": "proposed"}).status_code == 409
    assert client.post(url, json={"to": "graduated"}).status_code == 422
    assert client.post(url, json={"to": "paused"}).get_json()["status"] == "paused"


def test_log_create_confirm_and_dispute_over_the_api(client, auth, people):
    m = MentorshipFactory(mentor=people["mentor"], apprentice=people["apprentice"])
    auth.login(people["mentor"])
    url = f"/api/v1/mentorships/{m.id}/logs"
    payload = {
        "session_date": _local_today().isoformat(),
        "minutes": 60,
        "kind": "practice",
        "topic": "仰焊",
        "client_token": "t-1",
    }
    first = client.post(url, json=payload)
    assert first.status_code == 201
    assert client.post(url, json=payload).get_json()["id"] == first.get_json()["id"]
    for bad, field in (
        ({"minutes": -5}, "minutes"),
        ({"minutes": 100000}, "minutes"),
        ({"minutes": "sixty"}, "minutes"),
        ({"session_date": (_local_today() + timedelta(days=3)).isoformat()}, "session_date"),
        ({"kind": "nap"}, "kind"),
    ):
        response = client.post(url, json={**payload, "client_token": None, **bad})
        assert response.status_code == 422, bad
        assert field in response.get_json()["errors"]
    log_id = first.get_json()["id"]
    assert client.post(f"/api/v1/mentor-logs/{log_id}/confirm").status_code == 403
    second = MentorLogFactory(mentorship=m)
    auth.logout()
    auth.login(people["apprentice"])
    assert client.post(f"/api/v1/mentor-logs/{log_id}/confirm").get_json()["status"] == "confirmed"
    assert client.post(f"/api/v1/mentor-logs/{log_id}/confirm").status_code == 409
    assert client.post(f"/api/v1/mentor-logs/{second.id}/dispute", json={}).status_code == 422
    disputed = client.post(f"/api/v1/mentor-logs/{second.id}/dispute", json={"reason": "没来"})
    assert disputed.get_json()["status"] == "disputed"
    auth.logout()
    auth.login(people["officer"])
    resolved = client.post(
        f"/api/v1/mentor-logs/{second.id}/resolve", json={"resolution": "rejected"}
    )
    assert resolved.get_json()["resolution"] == "rejected"
    assert client.get(f"/api/v1/mentorships/{m.id}").get_json()["confirmed_hours"] == 1.0


def test_a_stranger_cannot_log_or_see(client, auth, people):
    m = MentorshipFactory(mentor=people["mentor"], apprentice=people["apprentice"])
    auth.login(MentorFactory())
    assert client.get(f"/api/v1/mentorships/{m.id}").status_code == 404
    response = client.post(
        f"/api/v1/mentorships/{m.id}/logs",
        json={
            "session_date": _local_today().isoformat(),
            "minutes": 5,
            "kind": "practice",
            "topic": "x",
        },
    )
    assert response.status_code == 404


def test_graduation_over_the_api_needs_early_flag_before_the_planned_end(client, auth, people):
    m = MentorshipFactory(mentor=people["mentor"], apprentice=people["apprentice"])
    auth.login(people["mentor"])
    client.put(
        f"/api/v1/mentorships/{m.id}/assessment",
        json={"final_assessment": "技能全面过关", "early": True},
    )
    auth.logout()
    auth.login(people["officer"])
    url = f"/api/v1/mentorships/{m.id}/graduation"
    refused = client.post(url, json={})
    assert refused.status_code == 422 and "early" in refused.get_json()["errors"]
    done = client.post(url, json={"early": True}).get_json()
    assert done["status"] == MentorshipStatus.completed.value and done["early_graduation"]


def test_capacity_and_apprentice_requests(client, auth, people):
    auth.login(people["officer"])
    url = f"/api/v1/mentors/{people['mentor'].id}/capacity"
    assert client.put(url, json={"capacity": 0}).get_json() == {"capacity": 0}
    auth.logout()
    auth.login(people["apprentice"])
    refused = client.post("/api/v1/mentorship-requests", json={"mentor_id": people["mentor"].id})
    assert refused.status_code == 409 and "达到上限" in refused.get_json()["message"]


def test_log_save_api_runs_a_bounded_number_of_queries(client, auth, people, query_counter):
    m = MentorshipFactory(mentor=people["mentor"], apprentice=people["apprentice"])
    for _ in range(30):
        MentorLogFactory(mentorship=m)
    db.session.commit()
    auth.login(people["mentor"])
    payload = {
        "session_date": _local_today().isoformat(),
        "minutes": 30,
        "kind": "on_the_job",
        "topic": "带教",
    }
    with query_counter() as counted:
        assert client.post(f"/api/v1/mentorships/{m.id}/logs", json=payload).status_code == 201
    assert len(counted) <= 10, counted


def _pairing_body(mentor_id, apprentice_id):
    today = _local_today()
    return {
        "mentor_id": mentor_id,
        "apprentice_id": apprentice_id,
        "start_date": today.isoformat(),
        "planned_end": (today + timedelta(days=365)).isoformat(),
    }


def test_pairing_someone_out_of_scope_is_not_found_and_a_worker_may_not_pair(client, auth, people):
    """Out of scope is 404 (no field message that would confirm the person exists); a
    worker, who may not pair at all, is 403. Both were 422 with a field message before."""
    stranger = UserFactory(organization=WorkshopFactory())  # another enterprise
    auth.login(people["officer"])
    response = client.post(
        "/api/v1/mentorships", json=_pairing_body(people["mentor"].id, stranger.id)
    )
    assert response.status_code == 404 and response.get_json()["code"] == "not_found"
    missing = client.post("/api/v1/mentorships", json=_pairing_body(people["mentor"].id, 10**9))
    assert missing.status_code == 404
    auth.logout()
    auth.login(people["apprentice"])
    response = client.post(
        "/api/v1/mentorships", json=_pairing_body(people["mentor"].id, stranger.id)
    )
    assert response.status_code == 403 and response.get_json()["code"] == "forbidden"


def test_a_goal_not_yet_achieved_is_documented_and_answered_as_null(client, auth, people, app):
    m = MentorshipFactory(mentor=people["mentor"], apprentice=people["apprentice"])
    auth.login(people["apprentice"])
    created = client.post(f"/api/v1/mentorships/{m.id}/goals", json={"skill": "立焊"})
    assert created.status_code == 201 and created.get_json()["achieved_at"] is None
    spec = client.get("/api/v1/openapi.json").get_json()
    achieved = spec["components"]["schemas"]["MentorshipGoal"]["properties"]["achieved_at"]
    assert "null" in str(achieved)


def test_a_programme_of_another_enterprise_is_not_found(client, auth, people):
    elsewhere = ProgrammeFactory()  # its own enterprise, outside the officer's scope
    auth.login(people["officer"])
    body = _pairing_body(people["mentor"].id, people["apprentice"].id)
    response = client.post("/api/v1/mentorships", json={**body, "programme_id": elsewhere.id})
    assert response.status_code == 404
    auth.logout()
    auth.login(people["apprentice"])
    asked = client.post(
        "/api/v1/mentorship-requests",
        json={"mentor_id": people["mentor"].id, "programme_id": elsewhere.id},
    )
    assert asked.status_code == 404
