"""Every package's figures and growth entries against the hand-made year (conftest.py), whose
totals are written out here by hand."""

from __future__ import annotations

from datetime import date

import pytest

from lms.core import figures, growth
from tests.overview.conftest import at  # noqa: F401  (the world's clock)


def _query(world, org="union", children=("plant_a", "plant_b")):
    o = world[org]
    return figures.Query(
        organization_id=o.id,
        path=o.path,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        children={world[c].id: world[c].path for c in children},
    )


def _by_key(found):
    return {f.key: f for f in found}


EXPECTED_UNION = {
    "training.classes": 2,
    "training.sessions": 4,  # cancelled, 1 January 2026 (local) and the other city's: out
    "training.person_times": 5,  # present and late count; absent does not
    "training.hours": 10.0,
    "courses.completions": 2,
    "courses.learners": 2,
    "courses.hours": 8.0,
    "mentorship.pairs": 1,
    "mentorship.graduations": 1,
    "mentorship.hours": 1.5,  # confirmed minutes only
    "certificates.issued": 1,  # the revoked one does not count
    "care.cases": 1,
    "care.visits": 1,
    "care.checkups": 0,
    "care.recuperation": 0,
    "innovation.suggestions": 1,  # the merged duplicate does not count
    "innovation.smalls": 1,
    "innovation.adopted": 1,
    "innovation.benefit": 12000,
    "innovation.studios_named": 0,
    "accounts.titles": 1,
    "accounts.honours": 1,  # the 2019 honour is another year
    "competitions.contests": 0,
}


def test_union_figures_match_the_hand_made_year(year, app):
    with app.test_request_context():
        found = _by_key(figures.figures_for(_query(year)))
    for key, expected in EXPECTED_UNION.items():
        assert float(found[key].value) == pytest.approx(expected), key


def test_children_and_months(year, app):
    a, b = year["plant_a"].id, year["plant_b"].id
    with app.test_request_context():
        found = _by_key(figures.figures_for(_query(year)))
    sessions = found["training.sessions"]
    assert sessions.by_child == {a: 3, b: 1}
    assert sessions.by_month["2025-03"] == 2
    assert sessions.by_month["2025-04"] == 1
    assert sessions.by_month["2025-12"] == 1  # 23:30 local on 31 December, 15:30 UTC
    assert sessions.by_month["2025-05"] == 0
    assert len(sessions.by_month) == 12
    assert found["training.person_times"].by_child == {a: 3, b: 2}
    assert found["training.hours"].by_child == {a: 6.0, b: 4.0}
    assert found["mentorship.graduations"].by_child == {a: 0, b: 1}
    assert found["mentorship.graduations"].by_month["2025-08"] == 1
    assert found["innovation.adopted"].by_month["2025-05"] == 1
    assert found["accounts.titles"].by_child == {a: 1, b: 0}


def test_an_enterprise_subtree_counts_only_its_own(year, app):
    with app.test_request_context():
        found = _by_key(figures.figures_for(_query(year, "plant_a", ("shop_a",))))
    assert found["training.sessions"].value == 3
    assert found["training.person_times"].value == 3
    assert found["courses.completions"].value == 1
    assert found["innovation.benefit"].value == 0
    assert found["mentorship.graduations"].value == 0
    assert found["training.person_times"].by_child == {year["shop_a"].id: 3}


def test_growth_record_of_worker_a(year, app):
    with app.test_request_context():
        mine = growth.entries_for(year["worker_a"].id, "self")
        seen = growth.entries_for(year["worker_a"].id, "officer")
        public = growth.entries_for(year["worker_a"].id, "public")
    kinds = sorted(e.kind for e in mine)
    assert kinds == sorted(
        [
            "class_attended",
            "course_completed",
            "mentoring_as_apprentice",
            "certificate",
            "care_case",
            "care_visit",
            "innovation",
            "title",
        ]
    )
    by_kind = {e.kind: e for e in mine}
    assert by_kind["class_attended"].hours == 7.0  # 2 + 3 + 1 + 1 (January 2026 too)
    assert by_kind["class_attended"].on == date(2026, 1, 1)
    assert by_kind["course_completed"].hours == 4.0
    assert by_kind["mentoring_as_apprentice"].hours == 1.5
    assert "高师傅" in by_kind["mentoring_as_apprentice"].title
    assert by_kind["title"].link == "competition"
    assert "GJT20250001" in by_kind["certificate"].detail
    assert {e.kind for e in seen} == set(kinds) - {"care_case", "care_visit"}
    assert not any(e.private for e in seen)
    # The public sees no links and no unadopted suggestion.
    assert all(e.url is None for e in public)
    assert "innovation" not in {e.kind for e in public}


def test_growth_record_of_the_mentor_shows_the_apprentice(year, app):
    with app.test_request_context():
        mine = growth.entries_for(year["mentor"].id, "self")
    assert [e.title for e in mine if e.kind == "mentoring_as_mentor"] == ["带徒：王小焊"]
