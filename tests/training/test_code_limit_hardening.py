"""Hardening: the per-person code attempt limit counts every attempt before the code is
compared, right codes included, so attempts cannot slip past it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.training import services
from tests.training.test_training_security import _wrong_code


@pytest.fixture
def app_overrides():
    return {"TRAINING_CODE_ATTEMPTS_PER_PERSON": "3 per 10 minutes"}


def test_three_attempts_are_answered_and_the_fourth_is_refused_even_if_right(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    wrong = _wrong_code(session)
    for _ in range(3):
        assert client.post(url, json={"code": wrong}).status_code == 422
    right = services.checkin_code(session.id, services.window_index())
    response = client.post(url, json={"code": right})
    assert response.status_code == 429
    assert "分钟后再试" in response.get_json()["message"]


def test_right_codes_count_too(world, client, auth):
    """A right code is an attempt as well: one right code on one session and two wrong ones
    on another use up the three attempts, and the fourth is refused before it is compared."""
    world.seat(world.workers[0])
    first = world.session(start_in=timedelta(minutes=5))
    second = world.session(start_in=timedelta(minutes=6), room="另一间")
    auth.login(world.workers[0])
    first_url = f"/api/v1/training/sessions/{first.id}/checkin"
    second_url = f"/api/v1/training/sessions/{second.id}/checkin"
    right_first = services.checkin_code(first.id, services.window_index())
    assert client.post(first_url, json={"code": right_first}).status_code == 201
    wrong = _wrong_code(second)
    for _ in range(2):
        assert client.post(second_url, json={"code": wrong}).status_code == 422
    right_second = services.checkin_code(second.id, services.window_index())
    response = client.post(second_url, json={"code": right_second})
    assert response.status_code == 429
    # The QR code is not a typed code: it still works.
    token = services.checkin_token(second.id)
    assert client.post(second_url, json={"token": token}).status_code == 201


def test_a_repeated_right_code_counts_as_an_attempt(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.workers[0])
    url = f"/api/v1/training/sessions/{session.id}/checkin"
    right = services.checkin_code(session.id, services.window_index())
    assert client.post(url, json={"code": right}).status_code == 201
    assert client.post(url, json={"code": right}).status_code == 409  # already checked in
    assert client.post(url, json={"code": _wrong_code(session)}).status_code == 422
    assert client.post(url, json={"code": right}).status_code == 429
