"""Races on PostgreSQL: skill-level changes recorded at once for one person."""

import threading
from datetime import date

import pytest

from lms.accounts.models import Role, SkillChange, User
from lms.accounts.services import skills
from lms.errors import Conflict, Invalid
from lms.extensions import db
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.services


def _race(pg_app, officer_ids, person_id, specs) -> list[str]:
    barrier = threading.Barrier(len(specs))
    results: list[str] = []

    def record(officer_id, spec):
        with pg_app.app_context():
            try:
                actor = db.session.get(User, officer_id)
                person = db.session.get(User, person_id)
                barrier.wait(timeout=10)
                level, on, number = spec
                skills.record_change(
                    actor,
                    person,
                    to_level=level,
                    changed_on=on,
                    certificate_no=number,
                    issuing_body="市职业技能鉴定中心",
                )
                results.append("ok")
            except (Conflict, Invalid):  # the same certificate, or the level already held
                results.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=record, args=(officer_ids[i], spec)) for i, spec in enumerate(specs)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(results)


def _world():
    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officers = [UserFactory(organization=plant, roles=[Role.officer]) for _ in range(2)]
    person = UserFactory(organization=shop, skill_level="intermediate")
    db.session.commit()
    ids = [o.id for o in officers], person.id
    db.session.remove()
    return ids


def test_two_changes_at_once_leave_the_latest_level(pg_app):
    officer_ids, person_id = _world()
    specs = [("senior", date(2025, 3, 1), "A-1"), ("technician", date(2025, 5, 1), "B-1")]
    assert _race(pg_app, officer_ids, person_id, specs) == ["ok", "ok"]
    assert db.session.get(User, person_id).skill_level == "technician"
    assert db.session.query(SkillChange).count() == 2


def test_one_certificate_recorded_twice_at_once_is_one_row(pg_app):
    officer_ids, person_id = _world()
    specs = [("senior", date(2025, 3, 1), "C-1"), ("senior", date(2025, 3, 1), "C-1")]
    results = _race(pg_app, officer_ids, person_id, specs)
    assert db.session.query(SkillChange).count() == 1
    assert results == ["ok", "refused"]
