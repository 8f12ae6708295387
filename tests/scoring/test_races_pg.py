"""On PostgreSQL: the same scorer submitting twice at once (two tabs) leaves one record."""

import threading

import sqlalchemy as sa

from lms.errors import Conflict
from lms.extensions import db
from lms.scoring import services as scoring
from lms.scoring.models import ScoringMark, ScoringPanel, ScoringSubmission
from tests.factories import UserFactory


def test_double_submit_at_once_makes_one_record(pg_app):
    judge, chief = UserFactory(), UserFactory()
    panel = scoring.create_panel("车工实操")
    scoring.add_criterion(panel, "M1", "尺寸", "measurement", 5)
    scoring.add_scorer(panel, chief.id, chief=True)
    scoring.add_scorer(panel, judge.id)
    scoring.add_subject(panel, "Q9P3")
    db.session.commit()
    panel_id, judge_id = panel.id, judge.id
    db.session.remove()

    barrier = threading.Barrier(2)
    results: list[str] = []

    def submit(value):
        with pg_app.app_context():
            try:
                panel = db.session.get(ScoringPanel, panel_id)
                _ = panel.criteria, panel.scorers
                barrier.wait(timeout=10)
                scoring.submit(panel, "Q9P3", judge_id, {"M1": value})
                db.session.commit()
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(v,)) for v in (5, 0)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "ok"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoringSubmission)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoringMark)) == 1
