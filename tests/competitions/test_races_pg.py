"""On PostgreSQL: two officers registering for their organization's last place at once."""

import threading

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.competitions import services
from lms.competitions.models import Contestant, Quota, Trade
from lms.errors import Conflict
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
