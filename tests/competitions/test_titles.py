"""Titles after the public notice: the rank → title mapping conferred once, with honours,
certificates and a notice to each person."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms import signals
from lms.accounts.models import Honor
from lms.certificates.models import Certificate
from lms.competitions import services, titles
from lms.competitions.rules_models import Award
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.notifications.models import Notification
from tests.competitions.helpers import build

# Same marks for all; theory decides: totals 100, 97, 97 (a full tie), 94, 91, 88, 85, 82.
THEORY = ["100", "90", "90", "80", "70", "60", "50", "40"]


def released(chiefs=2, experts=3, notice_days=5):
    w = build(places=4, chief_technician_places=chiefs, technical_expert_places=experts)
    people = [p for plant in w.plants for p in w.workers[plant.id]]
    cs = [services.register(w.officers[i // 4], w.trade, person) for i, person in enumerate(people)]
    for c, t in zip(cs, THEORY, strict=True):
        services.enter_theory(w.organizer, c, t)
    for judge in [w.chief, *w.judges]:
        for c in cs:
            services.mark(judge, w.trade, c.marking_code, {"M1": 40, "J1": 3})
    services.lock_trade(w.chief, w.trade)
    services.reveal(w.contest, w.chief, w.supervisor)
    titles.set_notice_days(w.organizer, w.contest, notice_days)
    services.release(w.organizer, w.contest)
    return w, cs


@pytest.fixture
def world(app):
    return released()


def test_titles_wait_for_the_end_of_the_notice(world):
    w, _ = world
    ends = titles.notice_ends_at(w.contest)
    assert ends == w.contest.released_at + timedelta(days=5)
    with pytest.raises(Conflict, match="公示期至"):
        titles.confer(w.contest.id, actor=w.organizer, now=ends - timedelta(minutes=1))
    assert titles.due(ends - timedelta(minutes=1)) == []
    assert titles.due(ends) == [w.contest.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Award)) == 0


def test_first_n_chief_technicians_next_m_technical_experts_ties_share_a_rank(world):
    w, cs = world
    heard = []

    def hear(sender, **kw):
        heard.append(kw)

    signals.competition_awarded.connect(hear)
    try:
        n = titles.confer(w.contest.id, now=titles.notice_ends_at(w.contest))
    finally:
        signals.competition_awarded.disconnect(hear)
    got = {(a.contestant_id, a.title, a.rank) for a in titles.awards(w.contest)}
    # ranks 1, 2, 2 are within the first two places → three chief technicians; ranks 4, 5
    # technical experts; rank 6 on nothing.
    assert got == {
        (cs[0].id, "chief_technician", 1),
        (cs[1].id, "chief_technician", 2),
        (cs[2].id, "chief_technician", 2),
        (cs[3].id, "technical_expert", 4),
        (cs[4].id, "technical_expert", 5),
    }
    assert n == 5
    honors = db.session.scalars(sa.select(Honor).order_by(Honor.user_id)).all()
    assert sorted((h.user_id, str(h.kind), str(h.level)) for h in honors) == sorted(
        (c.user_id, title, "city")
        for c, title in zip(
            cs[:5], ["chief_technician"] * 3 + ["technical_expert"] * 2, strict=True
        )
    )
    first = next(kw for kw in heard if kw["contestant_id"] == cs[0].id)
    assert first["user_id"] == cs[0].user_id and first["trade"] == "焊工" and first["rank"] == 1
    assert first["organization_id"] == w.contest.organization_id
    assert first["contest_title"] == w.contest.name


def test_conferring_twice_does_nothing_the_second_time(world):
    w, cs = world
    ends = titles.notice_ends_at(w.contest)
    assert titles.confer_due(ends) == 5
    assert titles.confer_due(ends + timedelta(days=1)) == 0
    assert titles.confer(w.contest.id, actor=w.organizer, now=ends) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Award)) == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Honor)) == 5
    certs = db.session.scalars(sa.select(Certificate).where(Certificate.kind == "competition"))
    certs = certs.all()
    assert sorted(c.subject_id for c in certs) == sorted(c.id for c in cs[:5])
    assert all(c.organization_id == w.contest.organization_id for c in certs)
    assert "首席技工" in next(c.title for c in certs if c.subject_id == cs[0].id)
    told = db.session.scalars(
        sa.select(Notification).where(Notification.key.like("competition-awarded:%"))
    ).all()
    assert sorted(n.user_id for n in told) == sorted(c.user_id for c in cs[:5])


def test_only_the_organizer_confers_and_sets_the_notice(world):
    w, _ = world
    ends = titles.notice_ends_at(w.contest)
    with pytest.raises(Forbidden):
        titles.confer(w.contest.id, actor=w.officers[0], now=ends)
    with pytest.raises(Forbidden):
        titles.set_notice_days(w.officers[0], w.contest, 3)
    with pytest.raises(Invalid):
        titles.set_notice_days(w.organizer, w.contest, 99)
    titles.confer(w.contest.id, actor=w.organizer, now=ends)
    with pytest.raises(Conflict, match="已经授予"):
        titles.set_notice_days(w.organizer, w.contest, 3)


def test_nothing_is_conferred_before_release(app):
    w = build()
    with pytest.raises(Conflict, match="成绩发布"):
        titles.confer(w.contest.id, actor=w.organizer)
    assert titles.due() == []


def test_proposed_titles_follow_the_standings(world):
    w, cs = world
    rows = titles.proposed(w.contest)
    assert [(r.contestant_id, r.rank) for r in rows] == [
        (c.id, r) for c, r in zip(cs[:5], [1, 2, 2, 4, 5], strict=True)
    ]
    assert rows[0].total == Decimal("100.00")


def test_standings_and_marking_statements_do_not_grow_with_the_contestants(app, query_counter):
    w = build(places=4)
    people = [p for plant in w.plants for p in w.workers[plant.id]]
    judge = w.judges[0]

    def count(persons):
        marking = []
        for person in persons:
            plant = 0 if person.organization.parent_id == w.plants[0].id else 1
            c = services.register(w.officers[plant], w.trade, person)
            db.session.expire_all()
            with query_counter() as statements:
                services.mark(judge, w.trade, c.marking_code, {"M1": 40, "J1": 2})
            marking.append(len(statements))
        db.session.expire_all()
        with query_counter() as statements:
            rows = services.standings(w.trade)
        return set(marking), len(statements), len(rows)

    few = count([people[0], people[4]])
    many = count(people[1:4] + people[5:])  # four times as many contestants in all
    assert (few[2], many[2]) == (2, 8)
    assert few[:2] == many[:2]
    assert len(few[0]) == 1


def test_the_hourly_task_confers_once_the_notice_has_ended(world):
    from lms.competitions import tasks
    from lms.competitions.models import Contest

    w, _ = world
    contest_id = w.contest.id
    db.session.commit()  # the task runs in its own app context and session
    assert tasks.confer_due_titles() == 0  # the notice runs five more days
    contest = db.session.get(Contest, contest_id)
    contest.notice_days = 0
    db.session.commit()
    assert tasks.confer_due_titles() == 5
    assert tasks.confer_due_titles() == 0
    assert db.session.get(Contest, contest_id).titles_conferred_at is not None
