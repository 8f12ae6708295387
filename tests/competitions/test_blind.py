"""Blind marking: no judge's page carries a contestant's name, employee number or
organization — before marking, after it, once all judges have submitted, on the chief
judge's page and on the reveal page before the identities are decrypted."""

import json

import pytest

from lms.competitions import services
from lms.extensions import db
from tests.competitions.helpers import build
from tests.factories import UserFactory


@pytest.fixture
def world(app):
    world = build(places=3)
    for officer, plant in zip(world.officers, world.plants, strict=True):
        for person in world.workers[plant.id][:3]:
            person.name = f"选手{person.employee_no}"
            services.register(officer, world.trade, person)
    db.session.commit()
    return world


def _secrets(world) -> list[str]:
    people = [p for plant in world.plants for p in world.workers[plant.id][:3]]
    shops = {p.organization.name for p in people}
    return [
        *[p.name for p in people],
        *[p.employee_no for p in people],
        *[plant.name for plant in world.plants],
        *shops,
    ]


def _judge_urls(world, judge):
    trade = world.trade.id
    urls = [
        "/competitions/judging",
        f"/competitions/judging/trades/{trade}",
        f"/competitions/judging/contests/{world.contest.id}/reveal",
    ]
    urls += [
        f"/competitions/judging/trades/{trade}/codes/{code}"
        for code in services.judge_codes(judge, world.trade)
    ]
    if judge.id == world.chief.id:
        urls.append(f"/competitions/judging/trades/{trade}/chief")
    return urls


def _assert_blind(client, world, judge, secrets):
    seen = 0
    for url in _judge_urls(world, judge):
        response = client.get(url)
        if response.status_code == 404:
            continue  # the reveal page is for the chief judge and the supervisor only
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{url} shows {leaked}"
        seen += 1
    return seen


def test_no_judge_page_names_a_contestant_at_any_stage(client, auth, world):
    secrets = _secrets(world)
    judges = [world.chief, *world.judges]
    for judge in judges:
        auth.login(judge)
        assert _assert_blind(client, world, judge, secrets) >= 3
        auth.logout()
    # Everyone marks; the chief judge's first level is far from the others' (a flag).
    codes = services.judge_codes(world.chief, world.trade)
    for judge in judges:
        auth.login(judge)
        for code in codes:
            level = "0" if judge.id == world.chief.id and code == codes[0] else "3"
            client.post(
                f"/competitions/judging/trades/{world.trade.id}/codes/{code}",
                data={"m-M1": "40", "m-J1": level},
            )
        auth.logout()
    for judge in judges:
        auth.login(judge)
        _assert_blind(client, world, judge, secrets)
        auth.logout()
    auth.login(world.chief)
    chief = client.get(f"/competitions/judging/trades/{world.trade.id}/chief")
    assert f'data-flag="{codes[0]}-J1"' in chief.get_data(as_text=True)
    auth.logout()
    auth.login(world.supervisor)
    text = client.get(f"/competitions/judging/contests/{world.contest.id}/reveal").get_data(
        as_text=True
    )
    assert not [s for s in secrets if s in text]


def test_a_judge_of_a_contestants_own_enterprise_never_gets_their_code(client, auth, world):
    plant = world.plants[0]
    insider = UserFactory(organization=plant)
    services.assign(world.organizer, world.trade, insider, "judge")
    db.session.commit()
    own = [
        s.contestant.marking_code
        for s in services.standings(world.trade)
        if s.contestant.organization_id == plant.id
    ]
    auth.login(insider)
    listing = client.get(f"/competitions/judging/trades/{world.trade.id}").get_data(as_text=True)
    assert own and not [code for code in own if code in listing]
    for code in own:
        url = f"/competitions/judging/trades/{world.trade.id}/codes/{code}"
        assert client.get(url).status_code == 403
        assert client.post(url, data={"m-M1": "40", "m-J1": "3"}).status_code == 403


def _json_text(answer) -> str:
    """The answer as text with Chinese as itself (not \\u escapes), to search for names."""
    return json.dumps(answer.get_json(), ensure_ascii=False)


def _api_urls(world, judge):
    base = f"/api/v1/competitions/judging/trades/{world.trade.id}"
    urls = ["/api/v1/competitions/judging/duties", f"{base}/codes"]
    urls += [f"{base}/codes/{code}" for code in services.judge_codes(judge, world.trade)]
    if judge.id == world.chief.id:
        urls.append(f"{base}/review")
    return urls


def test_no_judge_api_answer_names_a_contestant(client, auth, world):
    secrets = _secrets(world)
    judges = [world.chief, *world.judges]
    codes = services.judge_codes(world.chief, world.trade)
    for judge in judges:
        auth.login(judge)
        for code in codes:
            level = 0 if judge.id == world.chief.id and code == codes[0] else 3
            answer = client.post(
                f"/api/v1/competitions/judging/trades/{world.trade.id}/codes/{code}",
                json={"marks": {"M1": 40, "J1": level}},
            )
            assert answer.status_code == 201
            assert not [s for s in secrets if s in _json_text(answer)]
        auth.logout()
    for judge in judges:
        auth.login(judge)
        for url in _api_urls(world, judge):
            answer = client.get(url)
            assert answer.status_code == 200, url
            text = _json_text(answer)
            assert not [s for s in secrets if s in text], url
        auth.logout()
    auth.login(world.chief)
    review = client.get(f"/api/v1/competitions/judging/trades/{world.trade.id}/review")
    assert review.get_json()["open_flags"] == 1
