"""After lock: changes need the supervisor's approval; appeals within the window, decided
once by the arbitration group, a re-mark kept as audited versions."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.competitions import appeals, changes, services, titles
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.scoring import services as scoring
from tests.competitions.helpers import build
from tests.factories import UserFactory


def locked_world():
    w = build(places=2)
    people = [w.workers[w.plants[0].id][0], w.workers[w.plants[1].id][0]]
    cs = [services.register(w.officers[i], w.trade, p) for i, p in enumerate(people)]
    for c in cs:
        services.enter_theory(w.organizer, c, "80")
    for judge in [w.chief, *w.judges]:
        for c in cs:
            services.mark(judge, w.trade, c.marking_code, {"M1": 40, "J1": 2})
    services.lock_trade(w.chief, w.trade)
    return w, cs


@pytest.fixture
def world(app):
    return locked_world()


def total(w, c):
    return scoring.subject_total(services.panel_of(w.trade), c.marking_code)


def actions(name):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == name)
    )


def test_a_change_after_lock_waits_for_the_supervisor(world):
    w, (a, b) = world
    judge = w.judges[0]
    change = changes.request_change(judge, w.trade, a.marking_code, "J1", 3, reason="复看录像")
    assert (change.before, change.after, change.status) == (Decimal("2"), Decimal("3"), "pending")
    assert total(w, a) == Decimal("80.00")  # nothing changes before the approval
    with pytest.raises(Conflict, match="待监督审批"):
        changes.request_change(judge, w.trade, a.marking_code, "J1", 1, reason="再改")
    with pytest.raises(Forbidden):
        changes.approve(w.chief, change.id)
    with pytest.raises(Forbidden):
        changes.approve(judge, change.id)
    changes.approve(w.supervisor, change.id, note="同意")
    # three scorers: J1 levels 3, 2, 2 → mean 7/3 of 60/3 → 46.67; M1 40
    assert total(w, a) == Decimal("86.67")
    (version,) = scoring.versions(services.panel_of(w.trade), a.marking_code)
    assert (version.before, version.after, version.reason) == (2, 3, "复看录像")
    assert (version.requested_by_id, version.approved_by_id) == (judge.id, w.supervisor.id)
    assert actions("scoring.mark_changed") == 1
    assert actions("competitions.mark_change_approved") == 1
    with pytest.raises(Conflict, match="已经处理"):
        changes.approve(w.supervisor, change.id)
    assert changes.pending(w.supervisor, w.trade) == []


def test_change_requests_are_checked(world):
    w, (a, b) = world
    judge, other = w.judges
    with pytest.raises(Forbidden, match="自己的评分"):
        changes.request_change(judge, w.trade, a.marking_code, "J1", 3, reason="x", scorer=other)
    chiefs = changes.request_change(
        w.chief, w.trade, a.marking_code, "M1", 0, reason="尺寸复测超差", scorer=other
    )
    assert chiefs.scorer_id == other.id
    with pytest.raises(Forbidden):
        changes.request_change(w.supervisor, w.trade, a.marking_code, "J1", 3, reason="x")
    with pytest.raises(Invalid, match="理由"):
        changes.request_change(judge, w.trade, a.marking_code, "J1", 3, reason=" ")
    with pytest.raises(Invalid, match="外观"):
        changes.request_change(judge, w.trade, a.marking_code, "J1", 7, reason="x")
    with pytest.raises(Invalid, match="相同"):
        changes.request_change(judge, w.trade, a.marking_code, "J1", 2, reason="x")
    with pytest.raises(NotFound):
        changes.request_change(judge, w.trade, "NOPE0000", "J1", 3, reason="x")
    with pytest.raises(Invalid, match="理由"):
        changes.reject(w.supervisor, chiefs.id, note="")
    changes.reject(w.supervisor, chiefs.id, note="复测结果在公差内")
    assert total(w, a) == Decimal("80.00")
    assert actions("competitions.mark_change_rejected") == 1


def test_before_lock_there_is_nothing_to_approve(app):
    w = build()
    c = services.register(w.officers[0], w.trade, w.workers[w.plants[0].id][0])
    services.mark(w.judges[0], w.trade, c.marking_code, {"M1": 40, "J1": 2})
    with pytest.raises(Conflict, match="尚未锁定"):
        changes.request_change(w.judges[0], w.trade, c.marking_code, "J1", 3, reason="x")


def release(w):
    services.reveal(w.contest, w.chief, w.supervisor)
    services.release(w.organizer, w.contest)


def test_appeals_open_with_the_results_and_close_after_the_window(world):
    w, (a, b) = world
    me = a.user
    with pytest.raises(Conflict, match="成绩公布后"):
        appeals.file(me, a, "外观评分偏低")
    release(w)
    with pytest.raises(Forbidden):
        appeals.file(b.user, a, "替他申诉")
    late = w.contest.released_at + timedelta(hours=2, minutes=1)
    with pytest.raises(Conflict, match="2 小时内"):
        appeals.file(me, a, "外观评分偏低", now=late)
    with pytest.raises(Invalid):
        appeals.file(me, a, "  ")
    appeal = appeals.file(me, a, "外观评分偏低", now=late - timedelta(minutes=2))
    assert appeal.status == "pending"
    with pytest.raises(Conflict, match="只能申诉一次"):
        appeals.file(me, a, "再次申诉")
    assert appeals.appeal_of(a).id == appeal.id


def test_the_arbitration_group_decides_once_and_a_remark_is_versioned(world):
    w, (a, b) = world
    release(w)
    appeal = appeals.file(a.user, a, "外观评分偏低")
    officer = UserFactory(organization=w.city, roles=[Role.officer])
    with pytest.raises(Forbidden):
        appeals.decide(officer, appeal.id, "upheld", decision="x")
    with pytest.raises(Invalid):
        appeals.name_arbitrator(w.organizer, w.contest, w.judges[0])  # not an officer
    appeals.name_arbitrator(w.organizer, w.contest, officer)
    assert [x.id for x in appeals.queue(officer, w.trade)] == [appeal.id]
    with pytest.raises(Forbidden):
        appeals.queue(w.judges[0], w.trade)
    with pytest.raises(Invalid):
        appeals.decide(officer, appeal.id, "upheld", decision="", remarks=[])
    with pytest.raises(Invalid):
        appeals.decide(
            officer,
            appeal.id,
            "upheld",
            decision="复核",
            remarks=[{"scorer_id": w.supervisor.id, "criterion": "J1", "value": 3}],
        )
    with pytest.raises(Invalid, match="外观"):
        appeals.decide(
            officer,
            appeal.id,
            "upheld",
            decision="复核",
            remarks=[{"scorer_id": w.judges[0].id, "criterion": "J1", "value": 9}],
        )
    remarks = [{"scorer_id": j.id, "criterion": "J1", "value": 3} for j in w.judges]
    decided = appeals.decide(
        officer, appeal.id, "upheld", decision="复核录像，外观达优", remarks=remarks
    )
    assert (decided.status, decided.remarked, decided.decided_by_id) == ("upheld", 2, officer.id)
    # J1 levels 2, 3, 3 → 8/9 of 60 → 53.33; M1 40
    assert total(w, a) == Decimal("93.33")
    versions = scoring.versions(services.panel_of(w.trade), a.marking_code)
    assert [(v.before, v.after) for v in versions] == [(2, 3), (2, 3)]
    assert all("申诉" in v.reason for v in versions)
    assert actions("competitions.appeal_decided") == 1
    with pytest.raises(Conflict, match="已经裁决"):
        appeals.decide(w.supervisor, appeal.id, "dismissed", decision="维持")
    # The ranking follows the re-mark.
    assert services.standings(w.trade)[0].contestant.id == a.id


def test_supervisor_dismisses_and_nothing_is_remarked_after_titles(world):
    w, (a, b) = world
    release(w)
    first = appeals.file(a.user, a, "测量有误")
    with pytest.raises(Invalid, match="驳回"):
        appeals.decide(
            w.supervisor,
            first.id,
            "dismissed",
            decision="维持",
            remarks=[{"scorer_id": w.chief.id, "criterion": "M1", "value": 0}],
        )
    appeals.decide(w.supervisor, first.id, "dismissed", decision="复测无误，维持原成绩")
    second = appeals.file(b.user, b, "外观评分偏低")
    w.contest.notice_days = 0
    titles.confer(w.contest.id, actor=w.organizer)
    with pytest.raises(Conflict, match="称号已经授予"):
        appeals.decide(
            w.supervisor,
            second.id,
            "upheld",
            decision="复核",
            remarks=[{"scorer_id": w.chief.id, "criterion": "J1", "value": 3}],
        )
    with pytest.raises(Conflict, match="称号已经授予"):
        changes.request_change(w.chief, w.trade, b.marking_code, "J1", 3, reason="x")
