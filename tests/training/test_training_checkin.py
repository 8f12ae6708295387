"""QR and typed-code check-in: who may check in, when, and only once."""

import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid
from lms.training import services
from lms.training.models import AttendanceStatus, CheckinMethod, SessionStatus


def test_scanning_a_fresh_token_checks_in_once(world):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    token = services.checkin_token(session.id)
    row = services.check_in(world.workers[0], session, token=token)
    assert row.status == AttendanceStatus.present and row.method == CheckinMethod.qr
    with pytest.raises(Conflict, match="您已.*签到"):
        services.check_in(world.workers[0], session, token=services.checkin_token(session.id))


def test_after_the_late_threshold_the_worker_is_late(world):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=-15))  # threshold 10 minutes
    row = services.check_in(world.workers[0], session, token=services.checkin_token(session.id))
    assert row.status == AttendanceStatus.late


def test_typed_code_works_for_the_current_window_only(world, app):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    now = utcnow()
    code = services.checkin_code(session.id, services.window_index(now))
    with pytest.raises(Invalid, match="签到码不正确或已过期"):
        services.check_in(world.workers[0], session, code=code, now=now + timedelta(minutes=2))
    with pytest.raises(Invalid):
        services.check_in(world.workers[0], session, code="12345", now=now)
    row = services.check_in(world.workers[0], session, code=code, now=now)
    assert row.method == CheckinMethod.code


def test_expired_token_is_refused_but_one_window_of_grace_is_allowed(world, app):
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(minutes=5))
    now = utcnow()
    seconds = app.config["TRAINING_QR_WINDOW_SECONDS"]
    token = services.checkin_token(session.id, now)
    with pytest.raises(Invalid, match="二维码已过期"):
        services.check_in(
            world.workers[0], session, token=token, now=now + timedelta(seconds=3 * seconds)
        )
    services.check_in(world.workers[1], session, token=token, now=now + timedelta(seconds=seconds))


def test_forged_token_is_refused(world, app):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    forged = URLSafeTimedSerializer("not-the-secret", salt="training-checkin").dumps(
        {"s": session.id, "w": services.window_index()}
    )
    for token in (forged, "garbage", services.checkin_token(session.id)[:-3] + "abc"):
        with pytest.raises(Invalid, match="二维码无效"):
            services.check_in(world.workers[0], session, token=token)


def test_token_for_another_session_is_refused(world):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    other = world.session(start_in=timedelta(days=1))
    with pytest.raises(Invalid, match="另一个课次"):
        services.check_in(world.workers[0], session, token=services.checkin_token(other.id))


def test_outside_the_window_is_refused_with_the_time(world):
    world.seat(world.workers[0])
    early = world.session(start_in=timedelta(hours=3))
    with pytest.raises(Conflict, match="签到尚未开始"):
        services.check_in(world.workers[0], early, token=services.checkin_token(early.id))
    late = world.session(start_in=timedelta(hours=-1, minutes=-5), hours=0.5)
    with pytest.raises(Conflict, match="签到已于 .* 结束"):
        services.check_in(world.workers[0], late, token=services.checkin_token(late.id))


def test_someone_not_on_the_roster_or_waitlisted_cannot_check_in(world):
    world.training_class.capacity = 1
    services.add_people(world.officer, world.training_class, world.workers[:2])
    session = world.session(start_in=timedelta(minutes=5))
    for worker in (world.workers[1], world.workers[2]):
        with pytest.raises(Forbidden, match="不在「.*」的学员名单中"):
            services.check_in(worker, session, token=services.checkin_token(session.id))


def test_cancelled_session_refuses_check_in(world):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5), status=SessionStatus.cancelled)
    with pytest.raises(Conflict, match="已取消"):
        services.check_in(world.workers[0], session, token=services.checkin_token(session.id))


def _confirm(client, url):
    """Open the scanned URL and tap "确认签到", as a phone would."""
    page = client.get(url).get_data(as_text=True)
    ticket = re.search(r'name="ticket"[^>]*value="([^"]+)"', page)
    assert ticket, page
    return client.post(url, data={"ticket": ticket.group(1)}, follow_redirects=True)


def test_scan_url_checks_in_a_signed_in_worker_and_refuses_a_second_time(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/training/c/{services.checkin_token(session.id)}"
    page = _confirm(client, url).get_data(as_text=True)
    assert "签到成功" in page
    page = client.get(url).get_data(as_text=True)
    assert "无需重复签到" in page
    response = client.get("/training/c/forged-token")
    assert response.status_code == 422 and "二维码无效" in response.get_data(as_text=True)


def test_scan_url_asks_to_sign_in_first(world, client):
    session = world.session(start_in=timedelta(minutes=5))
    response = client.get(f"/training/c/{services.checkin_token(session.id)}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_instructor_screen_shows_qr_code_and_live_count(world, client, auth):
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(minutes=5))
    services.check_in(world.workers[0], session, token=services.checkin_token(session.id))
    auth.login(world.mentor)
    page = client.get(f"/training/sessions/{session.id}/screen").get_data(as_text=True)
    assert "<svg" in page and world.workers[0].name in page
    assert re.search(r'id="code"[^>]*>\d{6}<', page)
    state = client.get(f"/training/sessions/{session.id}/screen/state").get_json()
    assert state["count"] == 1 and state["seated"] == 2 and state["open"] is True
    assert state["qr"].startswith("<svg") and "/training/c/" in state["scan_url"]
    assert state["people"][0]["name"] == world.workers[0].name


def test_workers_cannot_open_the_screen(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    assert client.get(f"/training/sessions/{session.id}/screen").status_code == 403
    assert client.get(f"/training/sessions/{session.id}/screen/state").status_code == 403


def test_typed_code_on_the_session_page(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    page = client.get(f"/training/sessions/{session.id}").get_data(as_text=True)
    assert "签到码" in page
    code = services.checkin_code(session.id, services.window_index())
    page = client.post(
        f"/training/sessions/{session.id}/checkin", data={"code": code}, follow_redirects=True
    ).get_data(as_text=True)
    assert "签到成功" in page and "您已签到" in page
    page = client.post(
        f"/training/sessions/{session.id}/checkin", data={"code": "abc"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "签到码是 6 位数字" in page


def test_api_check_in(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    response = client.post(url, json={"token": services.checkin_token(session.id)})
    assert response.status_code == 201 and response.get_json()["status"] == "present"
    response = client.post(url, json={"token": services.checkin_token(session.id)})
    assert response.status_code == 409 and "无需重复签到" in response.get_json()["message"]
    assert client.post(url, json={}).status_code == 422


def test_scanning_a_class_one_is_not_on_says_so(world, client, auth):
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[3])
    response = client.get(f"/training/c/{services.checkin_token(session.id)}")
    assert response.status_code == 403
    assert "不在「" in response.get_data(as_text=True)


def test_a_check_in_costs_a_handful_of_queries(world, client, auth, query_counter):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    client.get("/api/v1/me")
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    body = {"token": services.checkin_token(session.id)}
    with query_counter() as counted:
        response = client.post(url, json=body)
    assert response.status_code == 201
    # sign-in (person, roles), session with its class, roster seat, one INSERT
    assert len(counted) <= 5, "\n".join(s[:70] for s in counted)
