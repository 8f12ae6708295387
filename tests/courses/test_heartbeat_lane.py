"""The heartbeat lane on PostgreSQL: the usual save answered ahead of Flask, nothing else.

The route's own behaviour (claims, seats, clamping, completion) is tested in
``test_heartbeat.py``, whose PostgreSQL runs go through the lane as well. Here: the lane
answers as the route does, takes only what the route would accept, and hands everything
else to the route — which is seen by whether Flask started a request at all.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import request_started

from courses.heartbeat import HeartbeatLane
from lms.accounts.services import create_api_token
from lms.extensions import db
from tests.courses.test_heartbeat import Site
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def site(pg_app):
    return Site(pg_app)


@contextmanager
def flask_requests(app):
    """The requests Flask itself handled while the block ran."""
    started = []
    with request_started.connected_to(lambda sender, **kw: started.append(1), app):
        yield started


def sign_in_with_csrf(site, client=None) -> str:
    """Sign in as a browser does, returning the CSRF token the player sends."""
    client = client or site.client
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login",
        data={"login": site.learner.employee_no, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert answer.status_code in (302, 303)
    return token


def test_the_lane_answers_a_heartbeat_exactly_as_the_route_does(site):
    lane = site.app.wsgi_app
    assert isinstance(lane, HeartbeatLane)
    _row, secret = create_api_token(site.learner, "播放器")
    bearer = {"Authorization": f"Bearer {secret}"}
    site.save(site.video, 30, **bearer)  # the first save makes the row (the route's work)

    with flask_requests(site.app) as started:
        ahead = site.save(site.video, 120, **bearer)
    assert started == [] and site.kept(site.video) == (120, False)

    site.app.wsgi_app = lane.wsgi_app  # the route alone
    try:
        with flask_requests(site.app) as started:
            routed = site.save(site.video, 120, **bearer)
    finally:
        site.app.wsgi_app = lane
    assert started == [1]
    assert (ahead.status_code, ahead.get_json()) == (routed.status_code, routed.get_json())
    assert ahead.get_json()["position_seconds"] == 120
    assert sorted(ahead.headers.items()) == sorted(routed.headers.items())


def test_a_cookie_heartbeat_needs_this_sessions_csrf_token_in_the_lane_too(site):
    site.app.config["WTF_CSRF_ENABLED"] = True
    token = sign_in_with_csrf(site)
    site.save(site.video, 30, **{"X-CSRFToken": token})
    other_device = site.app.test_client()
    other_token = sign_in_with_csrf(site, other_device)

    with flask_requests(site.app) as started:
        assert site.save(site.video, 40, **{"X-CSRFToken": token}).status_code == 200
    assert started == []
    for refused in ({}, {"X-CSRFToken": other_token}, {"X-CSRFToken": token + "x"}):
        with flask_requests(site.app) as started:
            answer = site.save(site.video, 300, **refused)
        assert answer.status_code == 400 and started == [1], refused
    assert site.kept(site.video) == (40, False)


def test_a_csrf_token_accepted_before_is_refused_once_it_has_expired(site, monkeypatch):
    site.app.config["WTF_CSRF_ENABLED"] = True
    token = sign_in_with_csrf(site)
    site.save(site.video, 30, **{"X-CSRFToken": token})
    assert site.save(site.video, 40, **{"X-CSRFToken": token}).status_code == 200

    later = time.time() + site.app.config["WTF_CSRF_TIME_LIMIT"] + 60
    monkeypatch.setattr(time, "time", lambda: later)
    answer = site.save(site.video, 300, **{"X-CSRFToken": token})
    assert answer.status_code == 400 and answer.get_json()["code"] == "csrf"
    assert site.kept(site.video) == (40, False)


def test_over_https_a_heartbeat_sent_from_another_site_is_refused(site):
    site.app.config["WTF_CSRF_ENABLED"] = True
    client = site.app.test_client()
    page = client.get("/login", base_url="https://academy.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(
        "/login",
        base_url="https://academy.example",
        headers={"Referer": "https://academy.example/login"},
        data={"login": site.learner.employee_no, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )

    def save(position, referrer):
        return client.put(
            f"/api/v1/lectures/{site.video.id}/progress",
            base_url="https://academy.example",
            json={"position_seconds": position},
            headers={"X-CSRFToken": token, "Referer": referrer},
        )

    own_page = f"https://academy.example/courses/lectures/{site.video.id}"
    assert save(30, own_page).status_code == 200
    with flask_requests(site.app) as started:
        assert save(40, own_page).status_code == 200
    assert started == []
    with flask_requests(site.app) as started:
        assert save(300, "https://elsewhere.example/page").status_code == 400
    assert started == [1]
    assert site.kept(site.video) == (40, False)


def test_what_the_lane_cannot_take_is_answered_by_the_route(site):
    site.sign_in(site.learner)
    with flask_requests(site.app) as started:
        assert site.save(site.video, 30).status_code == 200  # makes the row
    assert started == [1]

    with flask_requests(site.app) as started:
        refused = site.client.put(
            f"/api/v1/lectures/{site.video.id}/progress", json={"position_seconds": -5}
        )
    assert refused.status_code == 422 and started == [1]
    assert "position_seconds" in refused.get_json()["errors"]

    with flask_requests(site.app) as started:
        watched = site.save(site.video, 590)  # 90% of the video: completes the lecture
    assert started == [1] and watched.get_json()["completed"] is True
    assert site.kept(site.video) == (590, True)


def test_a_heartbeat_is_saved_when_the_lanes_database_connection_was_cut(site):
    site.sign_in(site.learner)
    site.save(site.video, 30)
    site.save(site.video, 40)  # the lane has its connection now
    (connection,) = site.app.wsgi_app._connections._idle
    backend = connection.info.backend_pid
    db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    db.session.commit()

    with flask_requests(site.app) as started:
        assert site.save(site.video, 50).status_code == 200
    assert started == [1]  # the route took it from the start
    assert site.kept(site.video) == (50, False)
    with flask_requests(site.app) as started:
        assert site.save(site.video, 60).status_code == 200
    assert started == []  # and the lane has a new connection
    assert site.kept(site.video) == (60, False)
