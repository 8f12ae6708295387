"""Review: the queue and overdue list with a moved clock, decisions, merging duplicates."""

from __future__ import annotations

import pytest

from lms.errors import Conflict, Invalid, NotFound
from lms.innovation import services
from lms.innovation.models import Stage
from tests.innovation.conftest import submit


def _ids(stmt):
    from lms.extensions import db

    return [i.id for i in db.session.scalars(stmt)]


def test_overdue_list_after_the_deadline(world, clock):
    normal = submit(world["worker"])
    major = submit(world["worker"], major=True, title="重大技改")
    officer = world["officer"]
    clock.move(days=59)
    assert _ids(services.queue_query(officer, overdue_only=True)) == []
    clock.move(days=2)
    assert _ids(services.queue_query(officer, overdue_only=True)) == [normal.id]
    assert services.is_overdue(normal) and not services.is_overdue(major)
    clock.move(days=30)
    assert _ids(services.queue_query(officer, overdue_only=True)) == [normal.id, major.id]
    assert services.overdue_count(officer) == 2
    services.decide(officer, normal, "adopted", None)
    assert services.overdue_count(officer) == 1


def test_the_queue_is_the_officers_subtree_only(world):
    item = submit(world["worker"])
    assert _ids(services.queue_query(world["officer"])) == [item.id]
    assert _ids(services.queue_query(world["outsider"])) == []
    with pytest.raises(NotFound):
        services.decide(world["outsider"], item, "adopted", None)


def test_not_adopted_needs_a_reason_the_author_sees(world):
    item = submit(world["worker"])
    with pytest.raises(Invalid) as caught:
        services.decide(world["officer"], item, "not_adopted", "")
    assert "reason" in caught.value.errors
    services.decide(world["officer"], item, "not_adopted", "现有工艺已解决此问题")
    seen = services.get_item(world["worker"], item.id)
    assert seen.stage == Stage.not_adopted
    assert seen.decision_reason == "现有工艺已解决此问题"


def test_a_second_decision_is_refused(world):
    item = submit(world["worker"])
    services.decide(world["officer"], item, "trial", None)
    with pytest.raises(Conflict):
        services.decide(world["officer2"], item, "adopted", None)


def test_a_stale_copy_loses_to_the_first_decision(world):
    """Two reviewers read the item at once; the second's UPDATE finds a new version."""
    from lms.extensions import db
    from lms.innovation.models import Innovation

    item = submit(world["worker"])
    db.session.execute(
        Innovation.__table__.update()
        .where(Innovation.id == item.id)
        .values(version=item.version + 1, stage=Stage.adopted)
    )
    with pytest.raises(Conflict) as caught:
        services.decide(world["officer2"], item, "not_adopted", "理由")
    assert "另一位评审人" in caught.value.message


def test_a_worker_sees_only_their_own_and_their_teams(world):
    item = submit(world["worker"], team=[(world["worker"].id, 50), (world["mate"].id, 50)])
    assert services.get_item(world["mate"], item.id) is item
    with pytest.raises(NotFound):
        services.get_item(world["stranger"], item.id)
    with pytest.raises(NotFound):
        services.get_item(world["outsider"], item.id)


def test_merge_moves_supporters_without_counting_twice(world, clock):
    original = submit(world["worker"])
    clock.move(days=1)
    duplicate = submit(world["mate"], title="焊接夹具改造")
    officer = world["officer"]
    services.support(world["stranger"], original)
    services.support(world["stranger"], duplicate)
    services.support(officer, duplicate)
    services.support(officer, duplicate)  # twice is once
    assert duplicate.supporters_count == 2
    services.merge(officer, duplicate, original)
    assert duplicate.stage == Stage.merged and duplicate.merged_into_id == original.id
    # stranger (both), officer (duplicate) and the duplicate's author: three people
    assert original.supporters_count == 3
    assert duplicate.supporters_count == 0
    assert original.author_id == world["worker"].id
    assert original.stage == Stage.review


def test_merge_keeps_the_first_submitters_priority(world, clock):
    first = submit(world["worker"])
    clock.move(hours=1)
    later = submit(world["mate"])
    with pytest.raises(Invalid) as caught:
        services.merge(world["officer"], first, later)
    assert "先提交" in caught.value.errors["original_id"][0]
    assert first.stage == Stage.review


def test_similar_earlier_items_are_found_in_the_same_enterprise(world, app):
    earlier = submit(world["worker"], title="焊接夹具改进", problem="焊接时工件变形严重返工多")
    submit(world["worker"], title="食堂排队", problem="午餐排队时间太长")
    found = services.similar(world["mate"], "改进焊接夹具", "焊接工件变形返工")
    assert [s.item.id for s in found] == [earlier.id]
    other = __import__("tests.factories", fromlist=["x"]).UserFactory(organization=world["other"])
    assert services.similar(other, "改进焊接夹具", "焊接工件变形返工") == []


def test_overdue_items_are_escalated_once(world, clock):
    from lms import signals
    from lms.innovation import tasks

    item = submit(world["worker"])
    submit(world["worker"], major=True, title="重大")
    heard = []

    def listener(sender, **payload):
        heard.append(payload)

    with signals.innovation_overdue.connected_to(listener):
        clock.move(days=59)
        assert tasks.escalate_overdue() == 0
        clock.move(days=2)
        assert tasks.escalate_overdue() == 1
        assert tasks.escalate_overdue() == 0
    assert heard == [
        {
            "innovation_id": item.id,
            "organization_id": world["workshop"].id,
            "author_id": world["worker"].id,
        }
    ]
