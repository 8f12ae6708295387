"""The contest rules' API: an appeal filed and decided, titles on notice and conferred, with
the services' refusals as 4xx in Chinese."""

from decimal import Decimal

import pytest

from lms.accounts.models import Role
from lms.competitions import appeals, titles
from tests.competitions.test_changes_and_appeals import locked_world, release, total
from tests.factories import UserFactory


@pytest.fixture
def world(app):
    w, cs = locked_world()
    w.contest.chief_technician_places = 1
    release(w)
    return w, cs


def test_a_contestant_appeals_and_the_group_upholds_with_a_remark(client, auth, world):
    w, (a, b) = world
    auth.login(a.user)
    path = f"/api/v1/competitions/contestants/{a.id}/appeal"
    assert client.get(path).status_code == 404
    assert client.post(path, json={"reason": ""}).status_code == 422
    filed = client.post(path, json={"reason": "外观评分偏低"})
    assert filed.status_code == 201 and filed.get_json()["status"] == "pending"
    again = client.post(path, json={"reason": "再次申诉"})
    assert again.status_code == 409 and "只能申诉一次" in again.get_json()["message"]
    assert client.get(path).get_json()["id"] == filed.get_json()["id"]
    other = client.post(f"/api/v1/competitions/contestants/{b.id}/appeal", json={"reason": "x"})
    assert other.status_code == 403
    auth.logout()

    arbitrator = UserFactory(organization=w.city, roles=[Role.officer])
    appeals.name_arbitrator(w.organizer, w.contest, arbitrator)
    auth.login(arbitrator)
    queue = client.get(f"/api/v1/competitions/trades/{w.trade.id}/appeals")
    assert [x["contestant_id"] for x in queue.get_json()] == [a.id]
    decision = f"/api/v1/competitions/appeals/{filed.get_json()['id']}/decision"
    assert client.post(decision, json={"outcome": "maybe", "decision": "x"}).status_code == 422
    remarks = [{"scorer_id": j.id, "criterion": "J1", "value": "3"} for j in w.judges]
    done = client.post(decision, json={"outcome": "upheld", "decision": "复核", "remarks": remarks})
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["remarked"]) == ("upheld", 2)
    assert total(w, a) == Decimal("93.33")
    twice = client.post(decision, json={"outcome": "dismissed", "decision": "维持"})
    assert twice.status_code == 409 and "已经裁决" in twice.get_json()["message"]


def test_only_the_arbitration_group_sees_and_decides(client, auth, world):
    w, (a, _b) = world
    appeal = appeals.file(a.user, a, "测量有误")
    auth.login(w.judges[0])
    assert client.get(f"/api/v1/competitions/trades/{w.trade.id}/appeals").status_code == 403
    refused = client.post(
        f"/api/v1/competitions/appeals/{appeal.id}/decision",
        json={"outcome": "dismissed", "decision": "维持"},
    )
    assert refused.status_code == 403


def test_the_organizer_reads_the_notice_and_confers_after_it(client, auth, world):
    w, (a, b) = world
    auth.login(w.organizer)
    notice = client.get(f"/api/v1/competitions/contests/{w.contest.id}/titles").get_json()
    assert notice["conferred_at"] is None and notice["notice_days"] == 7
    # One chief technician's place, but the two are tied all the way: both rank 1, both titled.
    assert [(t["contestant_id"], t["title"], t["rank"]) for t in notice["titles"]] == [
        (a.id, "chief_technician", 1),
        (b.id, "chief_technician", 1),
    ]
    early = client.post(f"/api/v1/competitions/contests/{w.contest.id}/titles/confer")
    assert early.status_code == 409 and "公示期" in early.get_json()["message"]
    titles.set_notice_days(w.organizer, w.contest, 0)
    done = client.post(f"/api/v1/competitions/contests/{w.contest.id}/titles/confer")
    assert done.get_json() == {"conferred": 2}
    again = client.post(f"/api/v1/competitions/contests/{w.contest.id}/titles/confer")
    assert again.get_json() == {"conferred": 0}
    auth.logout()
    auth.login(w.officers[0])
    assert client.get(f"/api/v1/competitions/contests/{w.contest.id}/titles").status_code == 403
