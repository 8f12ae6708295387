"""The competitions' JSON API: the same rules and permissions as the pages."""

import pytest
import sqlalchemy as sa

from lms.competitions import services
from lms.competitions.models import Contestant
from lms.extensions import db
from tests.competitions.helpers import build
from tests.factories import DEFAULT_PASSWORD, UserFactory

API = "/api/v1/competitions"


@pytest.fixture
def world(app):
    world = build(places=2)
    db.session.commit()
    return world


def test_an_organizer_sets_up_a_contest_and_officers_register(client, auth, world):
    auth.login(world.organizer)
    bad = client.post(
        f"{API}/contests",
        json={
            "name": "市电工大赛",
            "registration_opens_at": "2027-03-09T09:00:00+08:00",
            "registration_closes_at": "2027-03-01T09:00:00+08:00",
        },
    )
    assert bad.status_code == 422 and "报名截止时间须晚于开始时间" in bad.get_json()["message"]
    made = client.post(
        f"{API}/contests",
        json={
            "name": "市电工大赛",
            "registration_opens_at": "2026-01-01T09:00:00+08:00",
            "registration_closes_at": "2030-01-01T09:00:00+08:00",
            "theory_weight": "0.4",
        },
    )
    assert made.status_code == 201 and made.get_json()["theory_weight"] == "0.400"
    contest_id = made.get_json()["id"]
    trade = client.post(
        f"{API}/contests/{contest_id}/trades", json={"name": "电工", "person_trade": "电工"}
    ).get_json()
    quota = client.put(
        f"{API}/contests/{contest_id}/quotas",
        json={"organization_id": world.plants[0].id, "places": 1},
    )
    assert quota.get_json() == {
        "organization_id": world.plants[0].id,
        "organization": world.plants[0].name,
        "places": 1,
        "used": 0,
    }
    judge = UserFactory(organization=world.city)
    assigned = client.post(
        f"{API}/contests/{contest_id}/officials",
        json={"trade_id": trade["id"], "user_id": judge.id, "official": "judge"},
    )
    assert assigned.status_code == 201 and assigned.get_json()["name"] == judge.name
    twice = client.post(
        f"{API}/contests/{contest_id}/officials",
        json={"trade_id": trade["id"], "user_id": judge.id, "official": "supervisor"},
    )
    assert twice.status_code == 422
    auth.logout()

    auth.login(world.officers[0])
    detail = client.get(f"{API}/contests/{contest_id}").get_json()
    assert detail["organizer"] is False and [q["places"] for q in detail["quotas"]] == [1]
    welder, electrician = world.workers[world.plants[0].id][:2]
    electrician.trade = "电工"
    db.session.commit()
    refused = client.post(
        f"{API}/contests/{contest_id}/contestants",
        json={"trade_id": trade["id"], "user_id": welder.id},
    )
    assert refused.status_code == 422 and refused.get_json()["message"] == "报名须为电工工种。"
    entered = client.post(
        f"{API}/contests/{contest_id}/contestants",
        json={"trade_id": trade["id"], "user_id": electrician.id},
    )
    body = entered.get_json()
    assert entered.status_code == 201 and body["number"] == 1
    assert "marking_code" not in body and "code" not in str(body.keys())
    electrician2 = world.workers[world.plants[0].id][2]
    electrician2.trade = "电工"
    db.session.commit()
    full = client.post(
        f"{API}/contests/{contest_id}/contestants",
        json={"trade_id": trade["id"], "user_id": electrician2.id},
    )
    assert full.status_code == 409 and "名额已满" in full.get_json()["message"]
    assert client.post(f"{API}/contests/{contest_id}/release").status_code == 404
    listing = client.get(f"{API}/contests/{contest_id}/contestants")
    assert [c["name"] for c in listing.get_json()["items"]] == [electrician.name]
    auth.logout()
    auth.login(world.officers[1])
    assert client.get(f"{API}/contests/{contest_id}").status_code == 404


def _register(world):
    people = []
    for officer, plant in zip(world.officers, world.plants, strict=True):
        for person in world.workers[plant.id][:2]:
            people.append(services.register(officer, world.trade, person))
    db.session.commit()
    return people


def test_judging_to_public_results_through_the_api(client, auth, world):
    contestants = _register(world)
    trade = world.trade.id
    base = f"{API}/judging/trades/{trade}"
    for judge in [world.chief, *world.judges]:
        auth.login(judge)
        codes = [c["code"] for c in client.get(f"{base}/codes").get_json()]
        assert sorted(codes) == sorted(c.marking_code for c in contestants)
        for i, code in enumerate(codes):
            level = 0 if judge.id == world.chief.id and i == 0 else 3
            done = client.post(f"{base}/codes/{code}", json={"marks": {"M1": 40, "J1": level}})
            assert done.status_code == 201, done.get_json()
        again = client.post(f"{base}/codes/{codes[0]}", json={"marks": {"M1": 0, "J1": 0}})
        assert again.status_code == 409
        out = client.post(f"{base}/codes/{codes[1]}", json={"marks": {"M1": 13, "J1": 1}})
        assert out.status_code in (409, 422)
        auth.logout()
    auth.login(world.chief)
    review = client.get(f"{base}/review").get_json()
    flagged = [c for c in review["codes"] if c["flags"]]
    assert review["open_flags"] == 1 and flagged[0]["flags"] == ["J1"]
    assert client.post(f"{base}/lock").status_code == 409
    resolved = client.post(
        f"{base}/resolutions", json={"code": flagged[0]["code"], "criterion": "J1", "level": 2}
    )
    assert resolved.get_json()["open_flags"] == 0
    assert client.post(f"{base}/lock").get_json()["locked"] is True
    wrong = client.post(
        f"{API}/judging/contests/{world.contest.id}/reveal",
        json={"login": world.supervisor.employee_no, "password": "not-it-1"},
    )
    assert wrong.status_code == 422
    revealed = client.post(
        f"{API}/judging/contests/{world.contest.id}/reveal",
        json={"login": world.supervisor.employee_no, "password": DEFAULT_PASSWORD},
    )
    assert revealed.status_code == 200 and revealed.get_json()["revealed_at"]
    auth.logout()
    assert client.get(f"{API}/results/{world.contest.id}").status_code == 404
    auth.login(world.organizer)
    rankings = client.get(f"{API}/contests/{world.contest.id}/rankings").get_json()
    people = [db.session.get(Contestant, c.id).user.name for c in contestants]
    assert len(rankings) == 4 and all("*" in r["name"] for r in rankings)
    assert not [name for name in people if name in str(rankings)]
    assert client.post(f"{API}/contests/{world.contest.id}/release").status_code == 200
    auth.logout()
    public = client.get(f"{API}/results/{world.contest.id}").get_json()
    rows = public["trades"][0]["rows"]
    first = db.session.get(Contestant, contestants[0].id).user
    assert first.name not in str(public) and [r["rank"] for r in rows][0] == 1
    assert client.get(f"{API}/results").get_json()["total"] == 1
    auth.login(first)
    mine = client.get(f"{API}/me/entries").get_json()
    assert mine[0]["released"] and mine[0]["rank"] >= 1 and "外观" in mine[0]["modules"]


def test_judging_endpoints_refuse_people_without_the_duty(client, auth, world):
    contestants = _register(world)
    code = contestants[0].marking_code
    base = f"{API}/judging/trades/{world.trade.id}"
    auth.login(world.officers[0])
    assert client.get(f"{base}/codes").status_code == 404
    assert client.get(f"{base}/codes/{code}").status_code == 404
    auth.logout()
    auth.login(world.judges[0])
    assert client.get(f"{base}/review").status_code == 404
    assert client.post(f"{base}/lock").status_code == 404
    assert client.get(f"{base}/codes/NOSUCH").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Contestant.id))) == 4


def test_labour_competition_through_the_api(client, auth, world):
    officer, plant = world.officers[0], world.plants[0]
    auth.login(officer)
    made = client.post(
        f"{API}/labour", json={"organization_id": plant.id, "name": "安全生产竞赛"}
    ).get_json()
    base = f"{API}/labour/{made['id']}"
    indicator = client.post(f"{base}/indicators", json={"name": "无事故天数", "weight": "50"})
    assert indicator.status_code == 201
    team = client.post(f"{base}/entrants", json={"team": "二班", "members": 4}).get_json()
    person = world.workers[plant.id][0]
    one = client.post(f"{base}/entrants", json={"user_id": person.id}).get_json()
    assert one["name"] == person.name
    neither = client.post(f"{base}/entrants", json={})
    assert neither.status_code == 422
    ind = indicator.get_json()["id"]
    for entrant, value in ((team, "30"), (one, "15")):
        ok = client.post(
            f"{base}/results",
            json={
                "entrant_id": entrant["id"],
                "indicator_id": ind,
                "period": "2026-11",
                "value": value,
            },
        )
        assert ok.status_code == 201
    detail = client.get(base).get_json()
    assert detail["person_times"] == 5
    assert [(r["name"], r["score"]) for r in detail["ranking"]] == [
        ("二班", "50.00"),
        (person.name, "25.00"),
    ]
    auth.logout()
    auth.login(world.officers[1])
    assert client.get(base).status_code == 404
    foreign = client.post(f"{API}/labour", json={"organization_id": plant.id, "name": "越权"})
    assert foreign.status_code == 403
