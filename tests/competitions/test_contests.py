"""Registration within quota and eligibility, recusal, reveal, release and ranking."""

from decimal import Decimal

import pytest

from lms.competitions import services
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from tests.competitions.helpers import build
from tests.factories import UserFactory


@pytest.fixture
def world(app):
    return build(places=2)


def test_only_officers_of_the_organizing_organization_organize(world):
    with pytest.raises(Forbidden):
        services.add_trade(world.officers[0], world.contest, "车工")
    with pytest.raises(Forbidden):
        services.set_quota(world.officers[0], world.contest, world.plants[0], 9)


def test_registration_within_quota_with_number_and_secret_code(world):
    plant = world.plants[0]
    a, b, c = world.workers[plant.id][:3]
    first = services.register(world.officers[0], world.trade, a)
    second = services.register(world.officers[0], world.trade, b)
    assert (first.number, second.number) == (1, 2)
    assert first.marking_code != second.marking_code and len(first.marking_code) == 8
    with pytest.raises(Conflict, match="名额已满"):
        services.register(world.officers[0], world.trade, c)
    with pytest.raises(Conflict):
        services.register(world.officers[0], world.trade, a)


def test_officers_register_only_their_own_people(world):
    other = world.workers[world.plants[1].id][0]
    with pytest.raises(Forbidden):
        services.register(world.officers[0], world.trade, other)


def test_eligibility_gives_a_clear_reason(world):
    person = world.workers[world.plants[0].id][0]
    person.trade = "车工"
    with pytest.raises(Invalid, match="焊工"):
        services.register(world.officers[0], world.trade, person)
    person.trade = "焊工"
    world.trade.max_age = 35
    person.id_number = "110101198001011234"
    with pytest.raises(Invalid, match="35"):
        services.register(world.officers[0], world.trade, person)
    person.id_number = "110101200001011234"
    services.register(world.officers[0], world.trade, person)


def test_no_quota_no_registration(world):
    world.contest.registration_closes_at = world.contest.registration_opens_at
    with pytest.raises(Conflict, match="报名时间"):
        services.register(world.officers[0], world.trade, world.workers[world.plants[0].id][0])


def test_judges_recuse_from_their_own_organizations_contestants(world):
    plant = world.plants[0]
    mine = services.register(world.officers[0], world.trade, world.workers[plant.id][0])
    theirs = services.register(world.officers[1], world.trade, world.workers[world.plants[1].id][0])
    judge = UserFactory(organization=plant)
    services.assign(world.organizer, world.trade, judge, "judge", conflicts="本企业员工")
    assert services.judge_codes(judge, world.trade) == [theirs.marking_code]
    with pytest.raises(Forbidden):
        services.mark(judge, world.trade, mine.marking_code, {"M1": 40, "J1": 3})
    with pytest.raises(Forbidden):
        services.judge_codes(world.supervisor, world.trade)


def _mark_all(world, contestants, marks_by_code):
    for judge in [world.chief, *world.judges]:
        for c in contestants:
            services.mark(judge, world.trade, c.marking_code, marks_by_code[c.marking_code])


def test_reveal_needs_every_trade_locked_and_both_officials_then_release_then_ranking(world):
    p0, p1 = world.plants
    people = world.workers[p0.id][:2] + world.workers[p1.id][:2]
    cs = [
        services.register(world.officers[i // 2], world.trade, person)
        for i, person in enumerate(people)
    ]
    # practical totals: A 100, B 80 (judgement 40), C 80 (judgement 60 → wins the tie), D 100
    marks = [{"M1": 40, "J1": 3}, {"M1": 40, "J1": 2}, {"M1": 0, "J1": 2}, {"M1": 40, "J1": 3}]
    theory = ["80", "90", "90", "80"]
    for c, t in zip(cs, theory, strict=True):
        services.enter_theory(world.organizer, c, t)
    _mark_all(world, cs, {c.marking_code: m for c, m in zip(cs, marks, strict=True)})
    with pytest.raises(Conflict):
        services.reveal(world.contest, world.chief, world.supervisor)
    services.lock_trade(world.chief, world.trade)
    with pytest.raises(Forbidden):
        services.reveal(world.contest, world.chief, world.judges[0])
    with pytest.raises(Forbidden):
        services.reveal(world.contest, world.judges[0], world.supervisor)
    with pytest.raises(NotFound):
        services.results(world.organizer, world.trade)
    services.reveal(world.contest, world.chief, world.supervisor)
    assert world.contest.revealed_by_supervisor_id == world.supervisor.id
    with pytest.raises(NotFound):
        services.results(None, world.trade)
    services.release(world.organizer, world.contest)
    rows = services.results(None, world.trade)
    # A, D: 80×.3 + 100×.7 = 94 (tied all the way: same rank); B: 27 + 80×.7 = 83; C: 27 + 28
    summary = [(r.contestant.id, r.total, r.rank) for r in rows]
    assert summary == [
        (cs[0].id, Decimal("94.00"), 1),
        (cs[3].id, Decimal("94.00"), 1),
        (cs[1].id, Decimal("83.00"), 3),
        (cs[2].id, Decimal("55.00"), 4),
    ]


def test_tie_broken_by_practical_then_judgement(world):
    w = world
    w.contest.chief_technician_places, w.contest.technical_expert_places = 1, 2
    p0, p1 = w.plants
    people = w.workers[p0.id][:2] + w.workers[p1.id][:2]
    cs = [services.register(w.officers[i // 2], w.trade, person) for i, person in enumerate(people)]
    w.contest.theory_weight = Decimal("0.5")
    theory = ["60", "80", "100", "100"]
    marks = [{"M1": 40, "J1": 3}, {"M1": 40, "J1": 2}, {"M1": 40, "J1": 1}, {"M1": 0, "J1": 3}]
    for c, t in zip(cs, theory, strict=True):
        services.enter_theory(w.organizer, c, t)
    _mark_all(w, cs, {c.marking_code: m for c, m in zip(cs, marks, strict=True)})
    rows = services.standings(w.trade)
    # with weight 0.5 every total is 80; practical 100, 80, 60, 60; the last two tie on practical,
    # judgement 20 vs 60 → D before C.
    assert [r.contestant.id for r in rows] == [cs[0].id, cs[1].id, cs[3].id, cs[2].id]
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert [r.title for r in rows] == [
        "chief_technician",
        "technical_expert",
        "technical_expert",
        None,
    ]


def test_theory_weight_must_be_a_fraction(app):
    w = build()
    with pytest.raises(Invalid):
        services.create_contest(
            w.organizer,
            w.city,
            name="x",
            registration_opens_at=w.contest.registration_opens_at,
            registration_closes_at=w.contest.registration_closes_at,
            theory_weight="1.5",
        )
