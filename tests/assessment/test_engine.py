"""Banks, blueprints, drawing, the server's clock, submitting once, what a candidate sees."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.assessment import services
from lms.assessment.models import BankQuestion, Sitting, SittingItem
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import assessment_sitting_closed
from tests.assessment.helpers import build, exam, freeze


@pytest.fixture
def world(app):
    return build()


def _questions(sitting):
    return db.session.scalars(
        sa.select(BankQuestion)
        .join(SittingItem, SittingItem.question_id == BankQuestion.id)
        .where(SittingItem.sitting_id == sitting.id)
        .order_by(SittingItem.position)
    ).all()


# --- banks and blueprints ------------------------------------------------------------------


def test_only_officers_over_the_bank_manage_it(world):
    with pytest.raises(Forbidden):
        services.create_bank(world.workers[0], world.plant, "我的题库")
    with pytest.raises(Forbidden):
        services.add_question(world.outsider, world.bank, {"kind": "fill"})
    with pytest.raises(NotFound):
        services.get_bank(world.outsider, world.bank.id)


def test_a_question_that_cannot_be_marked_is_refused_by_field(world):
    with pytest.raises(Invalid) as refused:
        services.add_question(
            world.officer,
            world.bank,
            {
                "kind": "single",
                "text": "题",
                "topic": "安全",
                "options": ["甲", "乙"],
                "answer": [0, 1],
            },
        )
    assert "单选题和判断题只能有一个正确答案。" in refused.value.errors["answer"]
    with pytest.raises(Invalid) as refused:
        services.add_question(
            world.officer, world.bank, {"kind": "multiple", "text": "", "options": ["甲"]}
        )
    assert set(refused.value.errors) >= {"text", "topic", "options", "answer"}


def test_a_blueprint_asking_more_than_the_bank_holds_names_its_line(world):
    with pytest.raises(Invalid) as refused:
        exam(
            world,
            blueprint=[
                {"topic": "安全", "difficulty": 1, "count": 2},
                {"topic": "安全", "difficulty": 1, "count": 7},
            ],
        )
    assert refused.value.errors["blueprint"] == [
        "第 2 条：题库中符合条件的题目只有 6 道，不够抽 7 道。"
    ]


# --- drawing -------------------------------------------------------------------------------


def test_each_paper_follows_the_blueprint_and_the_seed_draws_it_again(world):
    e = exam(world, open_to_scope=True)
    a = services.start(world.workers[0], e.id)
    b = services.start(world.workers[1], e.id)
    for sitting in (a, b):
        qs = _questions(sitting)
        assert Counter((q.topic, q.difficulty) for q in qs) == {("安全", 1): 3, ("工艺", 2): 2}
        assert len({q.id for q in qs}) == 5
        stored = [(i.question_id, i.order) for i in sitting.items]
        assert services.draw(e, sitting.seed) == stored
    assert a.seed != b.seed


def test_seeds_give_different_papers_and_shuffled_options(world):
    e = exam(world, blueprint=[{"topic": "", "difficulty": None, "count": 20}])
    papers = [services.draw(e, seed) for seed in range(6)]
    assert len({tuple(q for q, _ in p) for p in papers}) == 6
    orders = {tuple(order) for p in papers for _q, order in p if len(order) == 4}
    assert len(orders) > 1  # options of choice questions are shuffled
    assert all(order == [0, 1] for p in papers for _q, order in p if len(order) == 2)


def test_retired_questions_are_not_drawn(world):
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 5}])
    pool = services.draw(e, 1)
    services.retire_question(world.officer, pool[0][0])
    assert all(pool[0][0] not in [q for q, _ in services.draw(e, s)] for s in range(20))


# --- the server's clock ------------------------------------------------------------------


def test_answers_count_until_the_deadline_and_are_refused_after(world, monkeypatch):
    clock = freeze(monkeypatch)
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 4}], duration_minutes=30)
    worker = world.workers[0]
    sitting = services.start(worker, e.id)
    assert sitting.deadline - sitting.started_at == timedelta(minutes=30)
    clock.move(minutes=29, seconds=59)
    services.save_answer(worker, sitting.id, 1, choices=[0], text="钛钙")
    clock.move(seconds=1)
    with pytest.raises(Conflict) as late:
        services.save_answer(worker, sitting.id, 2, choices=[0], text="钛钙")
    assert "考试时间已到" in late.value.message
    closed = db.session.get(Sitting, sitting.id)
    assert closed.closed_by == "timeout" and closed.closed_at == sitting.deadline
    items = db.session.scalars(
        sa.select(SittingItem).where(SittingItem.sitting_id == sitting.id)
    ).all()
    assert [i.response is not None for i in sorted(items, key=lambda i: i.position)] == [
        True,
        False,
        False,
        False,
    ]


def test_a_sitting_left_open_closes_when_next_read_or_swept(world, monkeypatch):
    clock = freeze(monkeypatch)
    e = exam(world, duration_minutes=10)
    first = services.start(world.workers[0], e.id)
    second = services.start(world.workers[1], e.id)
    clock.move(minutes=10)
    assert services.get(world.workers[0], first.id).closed_by == "timeout"
    assert services.close_expired() == 1  # the other one; the first is closed already
    assert services.close_expired() == 0
    assert db.session.get(Sitting, second.id).closed_at == second.deadline


def test_the_exam_closing_time_cuts_the_sitting_short(world, monkeypatch):
    clock = freeze(monkeypatch)
    e = exam(world, duration_minutes=60, closes_at=clock.now + timedelta(minutes=20))
    sitting = services.start(world.workers[0], e.id)
    assert sitting.deadline == clock.now + timedelta(minutes=20)
    clock.move(minutes=21)
    with pytest.raises(Conflict, match="考试已截止"):
        services.start(world.workers[1], e.id)


def test_no_start_before_the_exam_opens(world, monkeypatch):
    clock = freeze(monkeypatch)
    e = exam(world, opens_at=clock.now + timedelta(hours=1))
    with pytest.raises(Conflict, match="考试尚未开始"):
        services.start(world.workers[0], e.id)


# --- submitting and marking --------------------------------------------------------------


def test_submitting_twice_gives_one_result_and_one_signal(world, app):
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 4}])
    worker = world.workers[0]
    sitting = services.start(worker, e.id)
    heard = []

    def listener(sender, **payload):
        heard.append(payload)

    assessment_sitting_closed.connect(listener, app)
    try:
        first = services.submit(worker, sitting.id)
        again = services.submit(worker, sitting.id)
    finally:
        assessment_sitting_closed.disconnect(listener, app)
    assert first.id == again.id and first.closed_by == "submit"
    assert len(heard) == 1 and heard[0]["sitting_id"] == sitting.id
    assert heard[0]["percent"] == "0.00"
    with pytest.raises(Conflict, match="已交卷"):
        services.save_answer(worker, sitting.id, 1, choices=[0])


def test_marks_follow_the_key_whatever_order_the_options_were_shown_in(world):
    e = exam(
        world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 8}], partial_credit="0.5"
    )
    worker = world.workers[0]
    sitting = services.start(worker, e.id)
    for item in sitting.items:
        q = item.question
        if q.kind == "fill":
            services.save_answer(worker, sitting.id, item.position, text=" 钛钙型 ")
        elif q.kind == "multiple":  # only one of the two right options: half the points
            services.save_answer(worker, sitting.id, item.position, choices=[item.order.index(0)])
        else:
            shown = [item.order.index(q.key[0])]
            services.save_answer(worker, sitting.id, item.position, choices=shown)
    done = services.submit(worker, sitting.id)
    # 8 questions: 2 each of single (1), multiple (2), true/false (1), fill (1) = 10 points
    assert (done.score, done.max_score, done.percent) == (
        Decimal("8.00"),
        Decimal("10.00"),
        Decimal("80.00"),
    )


def test_a_single_choice_takes_one_option(world):
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 8}])
    worker = world.workers[0]
    sitting = services.start(worker, e.id)
    single = next(i for i in sitting.items if i.question.kind == "single")
    with pytest.raises(Invalid):
        services.save_answer(worker, sitting.id, single.position, choices=[0, 1])
    with pytest.raises(Invalid):
        services.save_answer(worker, sitting.id, single.position, choices=[9])


# --- who sees what ------------------------------------------------------------------------


def test_nobody_else_answers_or_reads_a_sitting(world):
    e = exam(world)
    sitting = services.start(world.workers[0], e.id)
    with pytest.raises(NotFound):
        services.save_answer(world.workers[1], sitting.id, 1, choices=[0])
    with pytest.raises(NotFound):
        services.submit(world.workers[1], sitting.id)
    with pytest.raises(NotFound):
        services.get(world.workers[1], sitting.id)
    assert services.get(world.officer, sitting.id).id == sitting.id


def test_a_listed_exam_is_for_its_candidates_only(world):
    e = exam(world, open_to_scope=False)
    with pytest.raises(NotFound):
        services.start(world.workers[0], e.id)
    services.add_candidates(e, [world.workers[0].id, world.workers[0].id])
    db.session.commit()
    assert services.start(world.workers[0], e.id).user_id == world.workers[0].id
    with pytest.raises(NotFound):
        services.start(world.outsider, exam(world).id)  # open to the plant, not to him


def test_keys_are_hidden_until_the_sitting_closes_and_the_exam_is_over(world, monkeypatch):
    clock = freeze(monkeypatch)
    e = exam(world, closes_at=clock.now + timedelta(hours=1))
    worker = world.workers[0]
    sitting = services.start(worker, e.id)
    assert all(
        not i.right and not i.accepted and i.mark is None for i in services.paper(worker, sitting)
    )
    services.submit(worker, sitting.id)
    assert all(not i.right and not i.accepted for i in services.paper(worker, sitting))
    assert any(i.right or i.accepted for i in services.paper(world.officer, sitting))
    clock.move(hours=1)
    shown = services.paper(worker, sitting)
    assert all(i.right or i.accepted for i in shown) and all(i.mark is not None for i in shown)


def test_starting_again_resumes_the_same_paper(world):
    e = exam(world)
    first = services.start(world.workers[0], e.id)
    again = services.start(world.workers[0], e.id)
    assert first.id == again.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sitting)) == 1
