"""The five-smalls contest: a call until its deadline, entries of five-smalls items only, no
judge on an entry's team, defence marked by the panel once per judge, the chief locks, ranks
shared on equal totals and prizes by rank with their money."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models_awards import ContestStatus, Prize
from lms.innovation.services import contest as contests
from tests import factories
from tests.innovation.conftest import submit

CARD = ("technical", "economic", "scope", "practicality")


def marks(*row):
    return dict(zip(CARD, row, strict=True))


@pytest.fixture
def call(world, clock):
    judges = [factories.UserFactory(organization=world["enterprise"]) for _ in range(3)]
    contest = contests.create_contest(
        world["officer"],
        organization=world["enterprise"],
        name="五小竞赛",
        year=2026,
        entry_deadline=clock.at + timedelta(days=10),
        judge_ids=[j.id for j in judges],
        chief_id=judges[0].id,
        counts=(1, 1, 1),
        money=("3000", "2000", "1000"),
    )
    return {"contest": contest, "judges": judges}


def _items(world, n=3):
    people = [world["worker"], world["mate"], world["stranger"]]
    return [submit(people[i % 3], kind="small_invention", title=f"小发明{i}") for i in range(n)]


def test_a_call_needs_three_judges_and_a_future_deadline(world, clock):
    judge = factories.UserFactory(organization=world["enterprise"])
    kwargs = dict(organization=world["enterprise"], name="赛", year=2026, chief_id=judge.id)
    with pytest.raises(Invalid) as exc:
        contests.create_contest(
            world["officer"],
            entry_deadline=clock.at + timedelta(days=1),
            judge_ids=[judge.id],
            **kwargs,
        )
    assert "judge_ids" in exc.value.errors
    with pytest.raises(Invalid) as exc:
        contests.create_contest(
            world["officer"], entry_deadline=clock.at, judge_ids=[judge.id] * 3, **kwargs
        )
    assert "entry_deadline" in exc.value.errors
    with pytest.raises(Forbidden):
        contests.create_contest(
            world["outsider"],
            entry_deadline=clock.at + timedelta(days=1),
            judge_ids=[judge.id],
            **kwargs,
        )


def test_only_five_smalls_items_before_the_deadline(world, clock, call):
    suggestion = submit(world["worker"], kind="suggestion")
    with pytest.raises(Invalid):
        contests.enter(world["worker"], call["contest"], suggestion)
    opinion = submit(world["worker"], kind="small_design", method=None)
    with pytest.raises(Invalid):
        contests.enter(world["worker"], call["contest"], opinion)
    item = submit(world["worker"], kind="small_design")
    with pytest.raises(NotFound):  # neither of the team nor an officer
        contests.enter(world["stranger"], call["contest"], item)
    entry = contests.enter(world["worker"], call["contest"], item)
    assert entry.code == "001"
    with pytest.raises(Conflict):
        contests.enter(world["worker"], call["contest"], item)
    clock.move(days=11)
    late = submit(world["worker"], kind="small_design", title="迟到")
    with pytest.raises(Conflict) as exc:
        contests.enter(world["worker"], call["contest"], late)
    assert "截止" in exc.value.message


def test_a_judges_own_item_cannot_be_entered(world, call):
    judge = call["judges"][1]
    item = submit(
        world["worker"], kind="small_invention", team=[(world["worker"].id, "50"), (judge.id, "50")]
    )
    with pytest.raises(Invalid) as exc:
        contests.enter(world["worker"], call["contest"], item)
    assert "评委" in str(exc.value.errors["item_id"][0])


def test_defence_marks_ranks_and_prizes(world, clock, call):
    contest, (chief, j2, j3) = call["contest"], call["judges"]
    items = _items(world, 4)
    entries = [contests.enter(world["officer"], contest, i) for i in items]
    with pytest.raises(Conflict):  # not in the defence yet
        contests.score_entry(chief, contest, entries[0], marks(20, 20, 10, 10))
    with pytest.raises(Forbidden):
        contests.start_defence(chief, contest)
    contests.start_defence(world["officer"], contest)
    with pytest.raises(Conflict):  # the call is closed
        contests.enter(world["worker"], contest, submit(world["worker"], kind="small_design"))
    rows = {
        # entry: the three judges' rows
        0: [(20, 20, 10, 10)] * 3,  # 60
        1: [(30, 30, 20, 20), (28, 28, 18, 18), (26, 26, 16, 16)],  # 92
        2: [(25, 25, 15, 15)] * 3,  # 80
        3: [(25, 25, 15, 15)] * 3,  # 80, shares second place
    }
    for index, judge in enumerate((chief, j2, j3)):
        for n, entry in enumerate(entries):
            if (judge, n) == (j3, 3):
                continue
            contests.score_entry(judge, contest, entry, marks(*rows[n][index]))
    with pytest.raises(Conflict):  # j3 has not marked entry 4
        contests.close_contest(chief, contest)
    db.session.rollback()
    contest = contests.get_contest(chief, contest.id)
    with pytest.raises(Conflict):  # once per judge
        contests.score_entry(chief, contest, entries[0], marks(1, 1, 1, 1))
    contests.score_entry(j3, contest, entries[3], marks(*rows[3][2]))
    with pytest.raises(Forbidden):
        contests.close_contest(j2, contest)
    contests.close_contest(chief, contest)
    assert contest.status == ContestStatus.closed
    result = {e.code: (e.total, e.rank, e.prize, e.prize_money) for e in contest.entries}
    assert result == {
        "002": (Decimal("92.00"), 1, Prize.first, Decimal("3000.00")),
        "003": (Decimal("80.00"), 2, Prize.second, Decimal("2000.00")),
        "004": (Decimal("80.00"), 2, Prize.second, Decimal("2000.00")),
        "001": (Decimal("60.00"), 4, None, None),
    }
    assert [e.innovation_id for e in contests.prizes_of(world["mate"].id)] == [items[1].id]


def test_the_contest_on_the_pages(client, auth, world, call):
    item = submit(world["worker"], kind="small_modification", title="夹具小革新")
    db.session.commit()
    auth.login(world["worker"])
    url = f"/innovation/contests/{call['contest'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "夹具小革新" in page and "报名参赛" in page
    client.post(f"{url}/entries", data={"item_id": item.id})
    assert "001" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/defence").status_code == 403
    auth.logout()
    auth.login(world["officer"])
    assert client.get("/innovation/contests").status_code == 200
    client.post(f"{url}/defence")
    auth.logout()
    auth.login(call["judges"][0])
    page = client.get(url).get_data(as_text=True)
    assert "mark_technical" in page
    entry = call["contest"].entries[0]
    bad = client.post(
        f"{url}/entries/{entry.id}/marks",
        data={
            "mark_technical": "31",
            "mark_economic": "1",
            "mark_scope": "1",
            "mark_practicality": "1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "0 到 30" in bad
