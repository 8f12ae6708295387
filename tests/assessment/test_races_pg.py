"""On PostgreSQL: two submits of one sitting at once (a double tap, two tabs) make one
result, marked once; an answer racing the submit is either kept before it or refused."""

import threading

import pytest
import sqlalchemy as sa

from lms.assessment import services
from lms.assessment.models import Sitting
from lms.extensions import db
from lms.signals import assessment_sitting_closed
from tests.assessment.helpers import build, exam

pytestmark = pytest.mark.services


def test_two_submits_at_once_make_one_result(pg_app):
    world = build()
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 4}])
    sitting = services.start(world.workers[0], e.id)
    sitting_id, worker_id = sitting.id, world.workers[0].id
    db.session.commit()
    db.session.remove()

    heard: list[int] = []

    def listener(sender, **payload):
        heard.append(payload["sitting_id"])

    barrier = threading.Barrier(2)
    results: list[tuple] = []

    def submit():
        with pg_app.app_context():
            try:
                from lms.accounts.models import User

                worker = db.session.get(User, worker_id)
                barrier.wait(timeout=10)
                done = services.submit(worker, sitting_id)
                results.append((done.id, str(done.closed_at), str(done.score)))
            finally:
                db.session.remove()

    assessment_sitting_closed.connect(listener)
    try:
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        assessment_sitting_closed.disconnect(listener)
    assert len(results) == 2 and results[0] == results[1]
    assert heard == [sitting_id]  # closed and marked once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sitting)) == 1
