"""When Redis stops answering, signing in and checking in keep working and keep their limits:
the rate limiter falls back to counting in the process's memory until Redis is back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.training import services

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_STORAGE_URI": NOBODY_LISTENS, "RATELIMIT_ENABLED": True}


def _wrong_code(session) -> str:
    right = {services.checkin_code(session.id, services.window_index() - w) for w in range(5)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


def test_sign_in_and_wrong_codes_still_limited_without_redis(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    wrong = _wrong_code(session)
    for _ in range(5):
        assert client.post(url, json={"code": wrong}).status_code == 422
    response = client.post(url, json={"code": wrong})
    assert response.status_code == 429 and "分钟后再试" in response.get_json()["message"]
    token = services.checkin_token(session.id)
    assert client.post(url, json={"token": token}).status_code == 201


def test_the_page_path_answers_without_redis(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    page = client.post(
        f"/training/sessions/{session.id}/checkin",
        data={"code": _wrong_code(session)},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert page.status_code in (200, 302, 303, 422)
