"""Marking schemes: aspects of two kinds, exactly 100 to publish, versions after the start
signed by the chief judge."""

from datetime import timedelta
from decimal import Decimal

import pytest

from lms.competitions import schemes, services
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid
from lms.scoring import services as scoring
from tests.competitions.helpers import LEVELS, build


def rows(m1=30, j1=70, *, j2=None):
    found = [
        {"code": "M1", "title": "焊缝尺寸", "kind": "measurement", "max_mark": m1, "bands": [15]},
        {"code": "J1", "title": "焊缝外观", "kind": "judgement", "max_mark": j1, "levels": LEVELS},
    ]
    if j2 is not None:
        found.append(
            {
                "code": "J2",
                "title": "安全文明",
                "kind": "judgement",
                "max_mark": j2,
                "levels": LEVELS,
            }
        )
    return found


@pytest.fixture
def world(app):
    return build(places=2)


def criteria(world):
    panel = services.panel_of(world.trade)
    return [(c.code, c.kind, c.max_mark) for c in panel.criteria]


def test_a_scheme_must_total_exactly_100_to_be_published(world):
    schemes.save_draft(world.organizer, world.trade, rows(30, 60))
    with pytest.raises(Invalid, match="当前合计 90 分") as refused:
        schemes.publish(world.organizer, world.trade)
    assert "aspects" in refused.value.errors
    assert schemes.published(world.trade) is None
    assert criteria(world) == [("M1", "measurement", 40), ("J1", "judgement", 60)]
    schemes.save_draft(world.chief, world.trade, rows(30, 70, j2=10))
    with pytest.raises(Invalid, match="110"):
        schemes.publish(world.chief, world.trade)


def test_publishing_makes_the_panels_criteria_the_aspects(world):
    schemes.save_draft(world.organizer, world.trade, rows(20, 70, j2=10))
    scheme = schemes.publish(world.organizer, world.trade)
    assert (scheme.version, scheme.total) == (1, Decimal("100"))
    assert criteria(world) == [
        ("M1", "measurement", 20),
        ("J1", "judgement", 70),
        ("J2", "judgement", 10),
    ]
    panel = services.panel_of(world.trade)
    assert panel.criteria[0].bands == ["15"]
    assert panel.criteria[2].levels == LEVELS
    # Before the start an edit is still version 1, back to draft until published again.
    schemes.save_draft(world.organizer, world.trade, rows(30, 70))
    assert schemes.published(world.trade) is None
    assert [s.version for s in schemes.versions(world.trade)] == [1]
    schemes.publish(world.organizer, world.trade)
    assert criteria(world) == [("M1", "measurement", 30), ("J1", "judgement", 70)]


def test_aspects_are_checked_row_by_row(world):
    bad = rows()
    bad[1]["levels"] = ["一", "二"]
    with pytest.raises(Invalid, match="第 2 项") as refused:
        schemes.save_draft(world.organizer, world.trade, bad)
    assert "aspects.2" in refused.value.errors
    bad = rows()
    bad[0]["bands"] = [45]
    with pytest.raises(Invalid, match="容差档"):
        schemes.save_draft(world.organizer, world.trade, bad)
    with pytest.raises(Invalid, match="重复"):
        schemes.save_draft(world.organizer, world.trade, [rows()[0], rows()[0]])
    with pytest.raises(Invalid):
        schemes.save_draft(world.organizer, world.trade, [])
    with pytest.raises(Forbidden):
        schemes.save_draft(world.judges[0], world.trade, rows())
    assert schemes.latest(world.trade) is None


def test_after_the_start_an_edit_is_a_new_version_signed_by_the_chief(world):
    schemes.save_draft(world.organizer, world.trade, rows())
    first = schemes.publish(world.organizer, world.trade)
    world.contest.starts_at = utcnow() - timedelta(minutes=5)
    with pytest.raises(Conflict, match="新版本"):
        schemes.save_draft(world.organizer, world.trade, rows(40, 60))
    with pytest.raises(Forbidden):
        schemes.revise(world.organizer, world.trade, rows(40, 60), reason="图纸更正")
    with pytest.raises(Forbidden):
        schemes.revise(world.judges[0], world.trade, rows(40, 60), reason="图纸更正")
    with pytest.raises(Invalid, match="理由"):
        schemes.revise(world.chief, world.trade, rows(40, 60), reason="  ")
    with pytest.raises(Invalid, match="100"):
        schemes.revise(world.chief, world.trade, rows(40, 50), reason="图纸更正")
    second = schemes.revise(world.chief, world.trade, rows(40, 60), reason="图纸尺寸更正")
    assert [s.version for s in schemes.versions(world.trade)] == [1, 2]
    assert (second.signed_by_id, second.reason) == (world.chief.id, "图纸尺寸更正")
    assert schemes.published(world.trade).id == second.id
    assert [(a.code, a.max_mark) for a in first.aspects] == [("M1", 30), ("J1", 70)]
    assert criteria(world) == [("M1", "measurement", 40), ("J1", "judgement", 60)]


def test_marked_aspects_keep_their_kind_and_measurement_marks(world):
    schemes.save_draft(world.organizer, world.trade, rows(30, 60, j2=10))
    schemes.publish(world.organizer, world.trade)
    person = world.workers[world.plants[0].id][0]
    c = services.register(world.officers[0], world.trade, person)
    services.mark(world.judges[0], world.trade, c.marking_code, {"M1": 15, "J1": 3, "J2": 3})
    # A judge has marked: the contest counts as started even without a start time.
    assert schemes.started(world.trade)
    with pytest.raises(Conflict, match="M1"):
        schemes.revise(world.chief, world.trade, rows(40, 50, j2=10), reason="改分值")
    with pytest.raises(Conflict, match="不能删除"):
        schemes.revise(world.chief, world.trade, rows(30, 70), reason="删去安全文明")
    more = rows(30, 60, j2=5)
    more.append({**more[2], "code": "J3", "max_mark": 5})
    with pytest.raises(Conflict, match="新增"):
        schemes.revise(world.chief, world.trade, more, reason="加一项")
    # A judgement aspect's marks may change (its levels are scaled to them); titles too.
    new = rows(30, 50, j2=20)
    new[0]["title"] = "焊缝尺寸（按图纸第二版）"
    schemes.revise(world.chief, world.trade, new, reason="外观与安全的分值调整")
    panel = services.panel_of(world.trade)
    assert panel.criteria[0].title == "焊缝尺寸（按图纸第二版）"
    assert scoring.subject_scores(panel, c.marking_code) == {
        "M1": Decimal("15.00"),
        "J1": Decimal("50.00"),
        "J2": Decimal("20.00"),
    }
    assert [s.version for s in schemes.versions(world.trade)] == [1, 2]
