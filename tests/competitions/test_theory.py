"""The online theory exam of a trade: a bank of the organizer's, a paper per contestant,
the closed sitting's mark written as the contestant's theory score."""

from datetime import timedelta
from decimal import Decimal

import pytest

from lms.assessment import services as assessment
from lms.competitions import services, theory
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from tests.assessment.helpers import questions
from tests.competitions.helpers import build


@pytest.fixture
def world(app):
    w = build(places=2)
    bank = assessment.create_bank(w.organizer, w.city, "焊工理论题库", "焊工")
    for q in questions("安全", 1, 8):
        assessment.add_question(w.organizer, bank, q)
    w.bank = bank
    plant = w.plants[0]
    w.sitters = w.workers[plant.id][:2]
    for person in w.sitters:
        services.register(w.officers[0], w.trade, person)
    db.session.commit()
    return w


def _set_up(w, **kwargs):
    fields = {
        "blueprint": [{"topic": "安全", "difficulty": 1, "count": 4}],
        "duration_minutes": 20,
        "opens_at": utcnow() - timedelta(minutes=1),
    }
    return theory.set_up(w.organizer, w.trade, w.bank, **(fields | kwargs))


def test_only_the_organizer_sets_up_one_theory_exam_per_trade(world):
    with pytest.raises(Forbidden):
        theory.set_up(
            world.officers[0],
            world.trade,
            world.bank,
            blueprint=[],
            duration_minutes=5,
            opens_at=utcnow(),
        )
    exam = _set_up(world)
    assert theory.exam_of(world.trade).id == exam.id and not exam.open_to_scope
    with pytest.raises(Conflict):
        _set_up(world)


def test_the_bank_must_be_the_organizers(world):
    other = assessment.create_bank(world.officers[0], world.plants[0], "厂内题库")
    with pytest.raises(Invalid):
        theory.set_up(
            world.organizer,
            world.trade,
            other,
            blueprint=[],
            duration_minutes=5,
            opens_at=utcnow(),
        )


def test_each_contestant_sits_their_own_paper_and_gets_the_score(world):
    _set_up(world)
    a, b = world.sitters
    first = theory.start(a, world.trade)
    second = theory.start(b, world.trade)
    assert first.id != second.id
    for item in first.items:  # a answers every question right
        q = item.question
        if q.kind == "fill":
            assessment.save_answer(a, first.id, item.position, text=q.key[0])
        else:
            shown = sorted(item.order.index(k) for k in q.key)
            assessment.save_answer(a, first.id, item.position, choices=shown)
    assessment.submit(a, first.id)
    assessment.submit(b, second.id)
    scores = {c.user_id: c.theory_score for c in _contestants(world)}
    assert scores[a.id] == Decimal("100.00") and scores[b.id] == Decimal("0.00")
    assert [m.sitting.id for m in theory.mine(a)] == [first.id]


def test_people_who_are_not_contestants_cannot_sit(world):
    _set_up(world)
    stranger = world.workers[world.plants[0].id][3]
    with pytest.raises(NotFound):
        theory.start(stranger, world.trade)
    exam = theory.exam_of(world.trade)
    with pytest.raises(NotFound):
        assessment.start(stranger, exam.id)


def _contestants(world):
    from lms.competitions.models import Contestant

    db.session.expire_all()
    return db.session.query(Contestant).filter_by(trade_id=world.trade.id).all()


def test_the_organizer_sets_up_the_exam_on_its_page_and_contestants_find_it(world, client, auth):
    auth.login(world.organizer)
    page = client.get(f"/competitions/theory/trades/{world.trade.id}")
    assert page.status_code == 200 and "焊工理论题库" in page.get_data(as_text=True)
    short = client.post(
        f"/competitions/theory/trades/{world.trade.id}",
        data={
            "bank_id": world.bank.id,
            "blueprint": "安全,1,9",
            "duration_minutes": 20,
            "opens_at": "2026-01-01T08:00",
        },
    )
    assert short.status_code == 422 and "不够抽 9 道" in short.get_data(as_text=True)
    made = client.post(
        f"/competitions/theory/trades/{world.trade.id}",
        data={
            "bank_id": world.bank.id,
            "blueprint": "安全,1,4",
            "duration_minutes": 20,
            "opens_at": "2026-01-01T08:00",
        },
    )
    assert made.status_code == 302
    exam = theory.exam_of(world.trade)
    auth.logout()
    auth.login(world.sitters[0])
    assert exam.title in client.get("/assessment/").get_data(as_text=True)
    assert client.get(f"/competitions/theory/trades/{world.trade.id}").status_code == 404


def test_later_registrations_are_listed_by_the_organizer(world):
    exam = _set_up(world)
    late = world.workers[world.plants[1].id][0]
    services.register(world.officers[1], world.trade, late)
    db.session.commit()
    with pytest.raises(NotFound):
        assessment.start(late, exam.id)
    assert theory.list_contestants(world.organizer, world.trade) == 1
    assert assessment.start(late, exam.id).user_id == late.id
