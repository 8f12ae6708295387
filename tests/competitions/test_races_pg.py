"""On PostgreSQL: two officers registering for their organization's last place at once."""

import threading

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.competitions import services
from lms.competitions.models import Contestant, Quota, Trade
from lms.errors import Conflict, Forbidden
from lms.extensions import db
from tests.competitions.helpers import build
from tests.factories import UserFactory


def test_two_officers_for_the_last_place_get_exactly_one(pg_app):
    world = build(places=1)
    plant = world.plants[0]
    second_officer = UserFactory(organization=plant, roles=[Role.officer])
    people = world.workers[plant.id][:2]
    db.session.commit()
    pairs = [(world.officers[0].id, people[0].id), (second_officer.id, people[1].id)]
    trade_id = world.trade.id
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def register(officer_id, person_id):
        with pg_app.app_context():
            try:
                officer, person = db.session.get(User, officer_id), db.session.get(User, person_id)
                trade = db.session.get(Trade, trade_id)
                _ = trade.contest, officer.organization, person.organization
                barrier.wait(timeout=10)
                services.register(officer, trade, person)
                db.session.commit()
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contestant)) == 1
    assert db.session.scalar(sa.select(Quota.used).where(Quota.organization_id == plant.id)) == 1


def _race(pg_app, work, n=2):
    """Run ``work()`` in ``n`` threads, each in its own app context and session, released
    together; returns what each returned (or the name of the domain error it raised)."""
    barrier = threading.Barrier(n)
    results: list = []

    def run():
        with pg_app.app_context():
            try:
                barrier.wait(timeout=10)
                results.append(work())
                db.session.commit()
            except (Conflict, Forbidden) as exc:
                results.append(type(exc).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_titles_conferred_twice_at_once_are_conferred_once(pg_app):
    from lms.accounts.models import Honor
    from lms.certificates.models import Certificate
    from lms.competitions import titles
    from lms.competitions.rules_models import Award
    from tests.competitions.test_titles import released

    world, contestants = released()
    contest_id = world.contest.id
    ends = titles.notice_ends_at(world.contest)
    db.session.commit()
    db.session.remove()

    results = _race(pg_app, lambda: titles.confer(contest_id, now=ends))
    assert sorted(results) == [0, 5]

    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    assert count(Award) == 5
    assert count(Honor) == 5
    assert count(Certificate, Certificate.kind == "competition") == 5


def test_an_appeal_decided_twice_at_once_is_decided_once(pg_app):
    from lms.competitions import appeals
    from lms.competitions.rules_models import Appeal
    from lms.scoring.models import ScoringMarkVersion
    from tests.competitions.test_changes_and_appeals import locked_world, release

    world, (a, _b) = locked_world()
    release(world)
    appeal_id = appeals.file(a.user, a, "外观评分偏低").id
    deciders = [world.supervisor.id, world.organizer.id]
    appeals.name_arbitrator(world.organizer, world.contest, world.organizer)
    remarks = [{"scorer_id": j.id, "criterion": "J1", "value": 3} for j in world.judges]
    db.session.commit()
    db.session.remove()

    ids = iter(deciders)

    def decide():
        me = db.session.get(User, next(ids))
        return appeals.decide(me, appeal_id, "upheld", decision="复核", remarks=remarks).status

    assert sorted(_race(pg_app, decide)) == ["Conflict", "upheld"]
    assert db.session.get(Appeal, appeal_id).remarked == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoringMarkVersion)) == 2
