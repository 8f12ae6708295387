"""What a hostile worker, officer or outsider could do to training, refused (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import utcnow
from lms.errors import Forbidden, Invalid
from lms.extensions import db
from lms.signals import class_completed
from lms.training import services
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    AttendanceWarning,
    ClassCompletion,
    RegistrationMode,
    TrainingClass,
)
from tests.factories import EnterpriseFactory, TrainingClassFactory, UserFactory

# --- 13.2: user-entered addresses are http(s) only ----------------------------------------


def test_a_javascript_address_is_refused_on_the_form_and_the_api(world, client, auth):
    auth.login(world.officer)
    page = client.post(
        "/training/classes/new",
        data={
            "title": "恶意链接班",
            "organization_id": world.enterprise.id,
            "online_url": "javascript:alert(1)",
            "registration_mode": "assigned",
            "late_threshold_minutes": 10,
            "checkin_window_minutes": 30,
            "completion_percent": 80,
            "low_attendance_percent": 80,
            "low_attendance_min_sessions": 3,
        },
    ).get_data(as_text=True)
    assert "请填写以 http:// 或 https:// 开头的完整网址" in page
    response = client.post(
        "/api/v1/training/classes",
        json={
            "title": "恶意链接班",
            "organization_id": world.enterprise.id,
            "online_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 422
    assert "http://" in response.get_json()["errors"]["online_url"][0]
    response = client.patch(
        f"/api/v1/training/classes/{world.training_class.id}",
        json={"online_url": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    with pytest.raises(Invalid) as refused:
        services.update_class(world.officer, world.training_class, online_url="javascript:x()")
    assert "http://" in refused.value.errors["online_url"][0]
    assert db.session.scalar(sa.select(sa.func.count(TrainingClass.id))) == 1


def test_a_stored_javascript_address_is_never_a_link(world, client, auth):
    world.training_class.online_url = "javascript:alert(document.cookie)"
    world.seat(world.workers[0])
    db.session.commit()
    auth.login(world.workers[0])
    for url in (f"/training/classes/{world.training_class.id}", "/training/"):
        page = client.get(url).get_data(as_text=True)
        assert "javascript:" not in page
    world.training_class.online_url = "https://meeting.example.com/j/42"
    db.session.commit()
    page = client.get(f"/training/classes/{world.training_class.id}").get_data(as_text=True)
    assert 'href="https://meeting.example.com/j/42"' in page


# --- 13.6: the scanned QR code asks; a tap checks in ---------------------------------------


def _attendance_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count(Attendance.id)))


def test_opening_the_scanned_url_does_not_check_in(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/training/c/{services.checkin_token(session.id)}"
    page = client.get(url).get_data(as_text=True)
    assert "确认签到" in page and 'name="ticket"' in page and 'method="post"' in page
    assert _attendance_rows() == 0
    # An <img src> on another site sends a GET: nothing happens either.
    client.get(url, headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image"})
    assert _attendance_rows() == 0


def test_a_cross_site_check_in_is_refused_on_every_path(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/training/c/{services.checkin_token(session.id)}"
    page = client.get(url).get_data(as_text=True)
    ticket = page.split('name="ticket"')[1].split('value="')[1].split('"')[0]
    cross = {"Sec-Fetch-Site": "cross-site"}
    response = client.post(url, data={"ticket": ticket}, headers=cross)
    assert response.status_code == 403 and "来自其他网站" in response.get_data(as_text=True)
    code = services.checkin_code(session.id, services.window_index())
    response = client.post(
        f"/training/sessions/{session.id}/checkin", data={"code": code}, headers=cross
    )
    assert response.status_code == 403 and "来自其他网站" in response.get_data(as_text=True)
    response = client.post(
        f"/api/v1/training/sessions/{session.id}/checkin",
        json={"token": services.checkin_token(session.id)},
        headers=cross,
    )
    assert response.status_code == 403 and "来自其他网站" in response.get_json()["message"]
    assert _attendance_rows() == 0
    # The same tap from the site itself works.
    response = client.post(url, data={"ticket": ticket}, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302 and _attendance_rows() == 1


def test_check_in_only_from_the_class_networks(world, client, auth):
    services.update_class(
        world.officer, world.training_class, checkin_networks="10.8.0.0/16\n192.168.1.20"
    )
    assert world.training_class.checkin_networks == "10.8.0.0/16\n192.168.1.20/32"
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    outside = client.post(
        url,
        json={"token": services.checkin_token(session.id)},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert outside.status_code == 403 and "培训现场网络" in outside.get_json()["message"]
    page = client.get(
        f"/training/c/{services.checkin_token(session.id)}",
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    assert page.status_code == 403 and "培训现场网络" in page.get_data(as_text=True)
    assert _attendance_rows() == 0
    inside = client.post(
        url,
        json={"token": services.checkin_token(session.id)},
        environ_base={"REMOTE_ADDR": "10.8.3.4"},
    )
    assert inside.status_code == 201


def test_networks_are_validated(world, client, auth):
    with pytest.raises(Invalid) as refused:
        services.update_class(world.officer, world.training_class, checkin_networks="10.8.0/33")
    assert "不是有效的网段" in refused.value.errors["checkin_networks"][0]
    auth.login(world.officer)
    response = client.patch(
        f"/api/v1/training/classes/{world.training_class.id}",
        json={"checkin_networks": ["10.0.0.0/8", "not-a-network"]},
    )
    assert response.status_code == 422
    assert "不是有效的网段" in response.get_json()["errors"]["checkin_networks"][0]


def test_a_forwarded_link_is_refused_after_the_class_window(world, client, auth):
    services.update_class(world.officer, world.training_class, qr_window_seconds=5)
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    issued = utcnow() - timedelta(seconds=8)  # inside the site's 20 s, outside the class's 5 s
    token = services.checkin_token(session.id, issued)
    auth.login(world.workers[0])
    page = client.get(f"/training/c/{token}")
    assert page.status_code == 422 and "二维码已过期" in page.get_data(as_text=True)
    response = client.post(f"/api/v1/training/sessions/{session.id}/checkin", json={"token": token})
    assert response.status_code == 422 and "二维码已过期" in response.get_json()["message"]
    assert _attendance_rows() == 0
    state = services.screen_state(world.mentor, session)
    assert state["refresh_seconds"] == 2


def test_a_stale_code_tells_a_stranger_nothing_but_no(world, client, auth):
    """Who may check in is decided before whether the code is fresh: someone without a seat
    hears "not yours" for an old code just as for a new one, never "expired"."""
    session = world.session(start_in=timedelta(minutes=5))
    stale = services.checkin_token(session.id, utcnow() - timedelta(hours=1))
    auth.login(UserFactory(organization=EnterpriseFactory()))
    page = client.get(f"/training/c/{stale}")
    assert page.status_code in (403, 404)
    assert "二维码已过期" not in page.get_data(as_text=True)


def test_a_confirmation_page_is_its_holders_only_and_expires(world, client, auth, app):
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(minutes=5))
    now = utcnow()
    _, ticket = services.prepare_scan(world.workers[0], services.checkin_token(session.id, now))
    with pytest.raises(Exception, match="确认页面已过期"):
        services.check_in(world.workers[1], session, ticket=ticket)
    later = now + timedelta(seconds=app.config["TRAINING_CHECKIN_CONFIRM_SECONDS"] + 5)
    with pytest.raises(Exception, match="确认页面已过期"):
        services.check_in(world.workers[0], session, ticket=ticket, now=later)
    assert services.check_in(world.workers[0], session, ticket=ticket).method.value == "qr"


# --- 13.7: the six-digit code cannot be guessed --------------------------------------------


def _wrong_code(session) -> str:
    right = {services.checkin_code(session.id, services.window_index() - w) for w in range(0, 5)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


def test_wrong_codes_are_limited_per_person_through_the_api(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    other = world.session(start_in=timedelta(minutes=6), room="另一间")
    auth.login(world.workers[0])
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    wrong = _wrong_code(session)
    for _ in range(5):
        assert client.post(url, json={"code": wrong}).status_code == 422
    response = client.post(url, json={"code": wrong})
    assert response.status_code == 429
    body = response.get_json()
    assert body["code"] == "too_many_requests" and "分钟后再试" in body["message"]
    # Locked out: even the right code is not tried, on this session or another one.
    right = services.checkin_code(session.id, services.window_index())
    assert client.post(url, json={"code": right}).status_code == 429
    other_url = f"/api/v1/training/sessions/{other.id}/checkin"
    right_other = services.checkin_code(other.id, services.window_index())
    assert client.post(other_url, json={"code": right_other}).status_code == 429
    # The QR code still works.
    token = services.checkin_token(session.id)
    assert client.post(url, json={"token": token}).status_code == 201


@pytest.fixture
def app_overrides():
    return {"TRAINING_CODE_ATTEMPTS_PER_SESSION": "6 per 10 minutes"}


def test_wrong_codes_are_limited_per_session_across_people(world, client, auth):
    world.seat(*world.workers)
    session = world.session(start_in=timedelta(minutes=5))
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    wrong = _wrong_code(session)
    for worker in world.workers[:2]:
        auth.login(worker)
        for _ in range(3):
            assert client.post(url, json={"code": wrong}).status_code == 422
        auth.logout()
    auth.login(world.workers[2])
    response = client.post(url, json={"code": wrong})
    assert response.status_code == 429 and "分钟后再试" in response.get_json()["message"]


def test_the_page_path_shares_the_limit(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    wrong = _wrong_code(session)
    page_url = f"/training/sessions/{session.id}/checkin"
    for _ in range(5):
        assert client.post(page_url, data={"code": wrong}).status_code == 302
    api_url = f"/api/v1/training/sessions/{session.id}/checkin"
    assert client.post(api_url, json={"code": wrong}).status_code == 429
    response = client.post(page_url, data={"code": wrong})
    assert response.status_code == 429 and "分钟后再试" in response.get_data(as_text=True)


# --- a late check-in after the absent marking ----------------------------------------------


def test_a_check_in_after_the_absent_marking_recomputes_the_class(world):
    captured = []

    def receiver(sender, **kwargs):
        captured.append(kwargs)

    world.training_class.low_attendance_min_sessions = 1
    worker = world.workers[0]
    world.seat(worker)
    # A short session: check-in stays open (30 minutes after the start) after it has ended.
    session = world.session(start_in=timedelta(minutes=-20), hours=0.25)
    services.close_session(session.id)
    assert db.session.scalar(sa.select(Attendance.status)) == AttendanceStatus.absent
    assert db.session.scalar(sa.select(AttendanceWarning.user_id)) == worker.id
    assert world.training_class.completed_at is not None
    with class_completed.connected_to(receiver):
        row = services.check_in(worker, session, token=services.checkin_token(session.id))
    assert row.status == AttendanceStatus.late
    assert db.session.scalar(sa.select(sa.func.count(AttendanceWarning.id))) == 0
    assert services.class_rates(world.training_class.id)[worker.id] == (1, 1)
    assert db.session.scalar(sa.select(ClassCompletion.user_id)) == worker.id
    assert captured == [
        {
            "class_id": world.training_class.id,
            "user_id": worker.id,
            "rate": 1.0,
            "title": world.training_class.title,
            "organization_id": world.enterprise.id,
        }
    ]


# --- open classes stay in their organization unless opened city-wide ----------------------


def _open_class(world, **values):
    return services.create_class(
        world.officer,
        organization=world.enterprise,
        title="数控车床公开课",
        registration_mode=RegistrationMode.open,
        registration_deadline=utcnow() + timedelta(days=7),
        **values,
    )


def test_another_enterprises_worker_neither_sees_nor_joins_an_open_class(world, client, auth):
    training_class = _open_class(world)
    stranger = UserFactory(organization=EnterpriseFactory())
    auth.login(stranger)
    assert "数控车床公开课" not in client.get("/training/").get_data(as_text=True)
    assert client.get(f"/training/classes/{training_class.id}").status_code == 404
    assert client.post(f"/training/classes/{training_class.id}/register").status_code == 404
    api = f"/api/v1/training/classes/{training_class.id}"
    assert client.get(api).status_code == 404
    assert client.post(api + "/registration").status_code == 404
    items = client.get("/api/v1/training/classes").get_json()["items"]
    assert training_class.id not in [c["id"] for c in items]
    # The enterprise's own worker sees and joins it.
    auth.logout()
    auth.login(world.workers[0])
    assert "数控车床公开课" in client.get("/training/").get_data(as_text=True)
    assert client.post(api + "/registration").status_code == 201


def test_only_the_federation_opens_a_class_city_wide(world, client, auth):
    with pytest.raises(Forbidden, match="市总工会"):
        _open_class(world, city_wide=True)
    federation = world.enterprise.parent
    federation_officer = UserFactory(organization=federation, roles=[Role.officer])
    training_class = _open_class(world)
    services.update_class(federation_officer, training_class, city_wide=True)
    stranger = UserFactory(organization=EnterpriseFactory())
    auth.login(stranger)
    assert client.get(f"/training/classes/{training_class.id}").status_code == 200
    assert (
        client.post(f"/api/v1/training/classes/{training_class.id}/registration").status_code == 201
    )
    # The enterprise's officer may still edit the class without undoing it.
    services.update_class(world.officer, training_class, capacity=40)
    assert training_class.city_wide is True
    auth.logout()
    auth.login(world.officer)
    form = client.get(f"/training/classes/{training_class.id}/edit").get_data(as_text=True)
    assert 'name="city_wide"' not in form


# --- out of scope is 404; exports are audited ----------------------------------------------


def test_out_of_scope_ids_are_not_found(world, client, auth):
    elsewhere = EnterpriseFactory()
    foreign_class = TrainingClassFactory(organization=elsewhere)
    auth.login(world.officer)
    response = client.post(
        "/api/v1/training/classes", json={"title": "越界", "organization_id": elsewhere.id}
    )
    assert response.status_code == 404
    for url in (
        f"/api/v1/training/classes/{foreign_class.id}",
        f"/api/v1/training/classes/{foreign_class.id}/roster",
        f"/training/classes/{foreign_class.id}/matrix",
    ):
        assert client.get(url).status_code == 404, url
    outsider = UserFactory(organization=elsewhere)
    response = client.post(
        f"/api/v1/training/classes/{world.training_class.id}/roster",
        json={"user_ids": [outsider.id]},
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/training/classes/{world.training_class.id}/roster",
        json={"organization_id": elsewhere.id},
    )
    assert response.status_code == 404
    start = utcnow() + timedelta(days=3)
    response = client.post(
        f"/api/v1/training/classes/{world.training_class.id}/sessions",
        json={
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(),
            "instructor_id": 999999,
        },
    )
    assert response.status_code == 404
    response = client.get(
        "/api/v1/training/reports/summary",
        query_string={"organization_id": elsewhere.id, "start": "2026-01-01", "end": "2026-02-01"},
    )
    assert response.status_code == 404


def test_exports_of_names_are_audited(world, client, auth):
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(hours=-3))
    auth.login(world.officer)
    for url in (
        f"/training/classes/{world.training_class.id}/matrix?format=xlsx",
        f"/training/sessions/{session.id}/attendance?format=csv",
        f"/training/people/{world.workers[0].id}/history?format=csv",
    ):
        assert client.get(url).status_code == 200, url
    entries = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")))
    assert [(e.entity_type, e.after["rows"], e.actor_id) for e in entries] == [
        ("training_matrix", 2, world.officer.id),
        ("training_attendance", 2, world.officer.id),
        ("training_history", 0, world.officer.id),
    ]
    assert {e.organization_id for e in entries} == {world.enterprise.id, world.workshop.id}
