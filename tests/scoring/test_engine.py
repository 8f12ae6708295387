"""Every rule of the panel-scoring engine."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.scoring import services as scoring
from lms.scoring.models import ScoringSubmission
from tests.factories import UserFactory

LEVELS = ["未达到", "基本达到", "达到", "优秀"]


@pytest.fixture
def people(app):
    return [UserFactory() for _ in range(6)]


def make_panel(people, *, scorers=3, drop_extremes=False, spread=1):
    panel = scoring.create_panel("焊工实操", spread=spread, drop_extremes=drop_extremes)
    scoring.add_criterion(panel, "M1", "尺寸公差", "measurement", 4, bands=["2"])
    scoring.add_criterion(panel, "J1", "焊缝外观", "judgement", 6, levels=LEVELS)
    for i, person in enumerate(people[:scorers]):
        scoring.add_scorer(panel, person.id, chief=i == 0)
    scoring.add_subject(panel, "X7K2")
    return panel


def test_measurement_is_full_zero_or_a_band(people):
    panel = make_panel(people)
    with pytest.raises(Invalid):
        scoring.submit(panel, "X7K2", people[0].id, {"M1": "3", "J1": 2})
    for value in ("4", "2", "0"):
        scoring.add_subject(panel, f"S{value}")
        scoring.submit(panel, f"S{value}", people[0].id, {"M1": value, "J1": 2})


def test_judgement_is_a_level_0_to_3_each_described(people):
    panel = make_panel(people)
    with pytest.raises(Invalid):
        scoring.submit(panel, "X7K2", people[0].id, {"M1": 4, "J1": 4})
    with pytest.raises(Invalid):
        scoring.add_criterion(panel, "J2", "工艺", "judgement", 3, levels=["a", "b", "c"])


def test_every_criterion_must_be_marked_and_only_by_scorers(people):
    panel = make_panel(people)
    with pytest.raises(Invalid):
        scoring.submit(panel, "X7K2", people[0].id, {"M1": 4})
    with pytest.raises(Forbidden):
        scoring.submit(panel, "X7K2", people[5].id, {"M1": 4, "J1": 3})


def test_double_submit_makes_one_record(people):
    panel = make_panel(people)
    scoring.submit(panel, "X7K2", people[1].id, {"M1": 4, "J1": 3})
    with pytest.raises(Conflict):
        scoring.submit(panel, "X7K2", people[1].id, {"M1": 0, "J1": 0})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScoringSubmission)) == 1


def test_others_marks_hidden_until_all_submitted(people):
    panel = make_panel(people)
    scoring.submit(panel, "X7K2", people[0].id, {"M1": 4, "J1": 3})
    scoring.submit(panel, "X7K2", people[1].id, {"M1": 4, "J1": 2})
    assert set(scoring.marks_for(panel, "X7K2", people[1].id)) == {people[1].id}
    assert scoring.marks_for(panel, "X7K2", people[2].id) == {}
    scoring.submit(panel, "X7K2", people[2].id, {"M1": 0, "J1": 2})
    assert len(scoring.marks_for(panel, "X7K2", people[1].id)) == 3


def test_spread_flag_resolved_by_chief_only(people):
    panel = make_panel(people)
    scoring.submit(panel, "X7K2", people[0].id, {"M1": 4, "J1": 3})
    scoring.submit(panel, "X7K2", people[1].id, {"M1": 4, "J1": 1})
    scoring.submit(panel, "X7K2", people[2].id, {"M1": 4, "J1": 2})
    assert scoring.flags(panel, "X7K2") == ["J1"]
    with pytest.raises(Conflict):
        scoring.lock(panel, people[0].id)
    with pytest.raises(Forbidden):
        scoring.resolve(panel, "X7K2", "J1", people[1].id, 2)
    scoring.resolve(panel, "X7K2", "J1", people[0].id, 2)
    assert scoring.flags(panel, "X7K2") == []
    assert scoring.subject_scores(panel, "X7K2") == {"M1": Decimal("4.00"), "J1": Decimal("4.00")}


def test_marks_within_spread_are_not_flagged(people):
    panel = make_panel(people)
    scoring.submit(panel, "X7K2", people[0].id, {"M1": 4, "J1": 3})
    scoring.submit(panel, "X7K2", people[1].id, {"M1": 0, "J1": 2})
    assert scoring.flags(panel, "X7K2") == []


def test_five_scorer_mode_drops_highest_and_lowest(people):
    panel = make_panel(people, scorers=5, drop_extremes=True, spread=3)
    for person, (m, j) in zip(people[:5], [(4, 3), (0, 0), (4, 2), (2, 2), (4, 1)], strict=True):
        scoring.submit(panel, "X7K2", person.id, {"M1": m, "J1": j})
    # M1: 0 2 4 4 4 → 2 4 4 → 3.33; J1: 0 1 2 2 3 → 1 2 2 → 5/3 levels of 6 marks → 3.33
    assert scoring.subject_scores(panel, "X7K2") == {"M1": Decimal("3.33"), "J1": Decimal("3.33")}
    assert scoring.subject_total(panel, "X7K2") == Decimal("6.66")
    assert scoring.judgement_subtotal(panel, "X7K2") == Decimal("3.33")


def test_lock_needs_every_submission_and_the_chief(people):
    panel = make_panel(people, scorers=2)
    scoring.submit(panel, "X7K2", people[0].id, {"M1": 4, "J1": 3})
    with pytest.raises(Conflict):
        scoring.lock(panel, people[0].id)
    scoring.submit(panel, "X7K2", people[1].id, {"M1": 4, "J1": 3})
    with pytest.raises(Forbidden):
        scoring.lock(panel, people[1].id)
    scoring.lock(panel, people[0].id)
    with pytest.raises(Conflict):
        scoring.add_subject(panel, "NEW1")
    with pytest.raises(Conflict):
        scoring.lock(panel, people[0].id)


def test_change_after_lock_needs_reason_and_another_chief_and_is_versioned(people):
    panel = make_panel(people, scorers=3)
    scoring.add_scorer(panel, people[3].id, chief=True)
    for person in people[:4]:
        scoring.submit(panel, "X7K2", person.id, {"M1": 4, "J1": 3})
    scoring.lock(panel, people[0].id)
    kwargs = dict(requested_by_id=people[1].id, approved_by_id=people[0].id)
    with pytest.raises(Invalid):
        scoring.change_after_lock(panel, "X7K2", people[1].id, "M1", 0, reason=" ", **kwargs)
    with pytest.raises(Forbidden):
        scoring.change_after_lock(
            panel,
            "X7K2",
            people[1].id,
            "M1",
            0,
            reason="复核",
            requested_by_id=people[1].id,
            approved_by_id=people[2].id,
        )
    with pytest.raises(Forbidden):
        scoring.change_after_lock(
            panel,
            "X7K2",
            people[1].id,
            "M1",
            0,
            reason="复核",
            requested_by_id=people[0].id,
            approved_by_id=people[0].id,
        )
    version = scoring.change_after_lock(
        panel, "X7K2", people[1].id, "M1", 0, reason="复核量具误差", **kwargs
    )
    assert (version.version, version.before, version.after) == (2, Decimal("4.00"), Decimal("0.00"))
    assert [v.reason for v in scoring.versions(panel, "X7K2")] == ["复核量具误差"]
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "scoring.mark_changed")
    )
    assert entry.before["value"] == "4.00" and entry.after["value"] == "0.00"
    assert entry.actor_id == people[0].id
    assert scoring.subject_scores(panel, "X7K2")["M1"] == Decimal("3.00")


def test_change_before_lock_is_refused(people):
    panel = make_panel(people)
    with pytest.raises(Conflict):
        scoring.change_after_lock(
            panel,
            "X7K2",
            people[1].id,
            "M1",
            0,
            reason="x",
            requested_by_id=people[1].id,
            approved_by_id=people[0].id,
        )
