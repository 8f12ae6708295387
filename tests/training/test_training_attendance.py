"""Marking attendance, audit after the session, excuses, closing sessions, warnings, completion."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.errors import Conflict, Forbidden
from lms.extensions import db
from lms.signals import class_completed, excuse_requested, low_attendance
from lms.training import services, tasks
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    AttendanceWarning,
    CheckinMethod,
    ClassCompletion,
    ExcuseStatus,
)


@pytest.fixture
def signals():
    captured = []
    receivers = []
    for signal in (class_completed, excuse_requested, low_attendance):

        def receiver(sender, _name=signal.name, **kwargs):
            captured.append((_name, kwargs))

        signal.connect(receiver)
        receivers.append((signal, receiver))
    yield captured
    for signal, receiver in receivers:
        signal.disconnect(receiver)


def _marks(session):
    return {
        a.user_id: a.status
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }


def test_grid_marks_during_the_session_without_audit_and_after_it_with_audit(world, client, auth):
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(minutes=-10))
    auth.login(world.mentor)
    page = client.get(f"/training/sessions/{session.id}/attendance").get_data(as_text=True)
    assert world.workers[0].name in page and world.workers[1].name in page
    client.post(
        f"/training/sessions/{session.id}/attendance",
        data={f"u-{world.workers[0].id}": "present", f"u-{world.workers[1].id}": "absent"},
    )
    assert _marks(session) == {
        world.workers[0].id: AttendanceStatus.present,
        world.workers[1].id: AttendanceStatus.absent,
    }
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0

    # After the session: the officer corrects one record, and the change is audited.
    session.starts_at -= timedelta(hours=3)
    session.ends_at -= timedelta(hours=3)
    db.session.commit()
    auth.logout()
    auth.login(world.officer)
    response = client.post(
        f"/training/sessions/{session.id}/attendance",
        data={f"u-{world.workers[1].id}": "late", f"u-{world.workers[0].id}": "present"},
        follow_redirects=True,
    )
    assert "已保存 1 处修改" in response.get_data(as_text=True)
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.action == "training.attendance_change" and entry.actor_id == world.officer.id
    assert entry.before == {"user_id": world.workers[1].id, "status": "absent"}
    assert entry.after == {"user_id": world.workers[1].id, "status": "late"}
    assert entry.organization_id == world.enterprise.id


def test_workers_cannot_mark_attendance(world, client, auth):
    world.seat(world.workers[0])
    session = world.session()
    with pytest.raises(Forbidden):
        services.mark_attendance(world.workers[0], session, {world.workers[0].id: "present"})
    auth.login(world.workers[0])
    assert client.get(f"/training/sessions/{session.id}/attendance").status_code == 403


def test_end_of_session_task_marks_the_unmarked_absent_once(world):
    world.seat(*world.workers[:3])
    session = world.session(start_in=timedelta(hours=-3))
    services.mark_attendance(world.mentor, session, {world.workers[0].id: "present"})
    world.session(start_in=timedelta(hours=2))  # not ended yet: untouched
    assert tasks.close_ended_sessions.delay().get() == 1
    marks = _marks(session)
    assert marks[world.workers[0].id] == AttendanceStatus.present
    assert marks[world.workers[1].id] == marks[world.workers[2].id] == AttendanceStatus.absent
    # Running again (a redelivered task) adds nothing.
    assert tasks.close_session.delay(session.id).get() == 0
    assert tasks.close_ended_sessions.delay().get() == 0
    assert len(_marks(session)) == 3


def test_excuse_request_approval_marks_excused(world, signals, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(days=1))
    auth.login(world.workers[0])
    client.post(f"/training/sessions/{session.id}/excuse", data={"reason": "家中有事"})
    excuse = services.excuses_query(world.officer).limit(1)
    excuse = db.session.scalar(excuse)
    assert excuse.reason == "家中有事"
    assert signals[0][0] == "excuse-requested"
    assert signals[0][1]["request_id"] == excuse.id
    with pytest.raises(Conflict, match="已为本课次提交过"):
        services.request_excuse(world.workers[0], session, "再次")
    auth.logout()
    auth.login(world.officer)
    page = client.get("/training/excuses").get_data(as_text=True)
    assert "家中有事" in page
    client.post(f"/training/excuses/{excuse.id}/approve")
    assert excuse.status == ExcuseStatus.approved
    assert _marks(session) == {world.workers[0].id: AttendanceStatus.excused}


def test_rejected_excuse_can_be_asked_again(world):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(days=1))
    excuse = services.request_excuse(world.workers[0], session, "生病")
    services.decide_excuse(world.officer, excuse.id, approve=False)
    assert _marks(session) == {}
    again = services.request_excuse(world.workers[0], session, "生病，附医院证明")
    assert again.id == excuse.id and again.status == ExcuseStatus.pending


def _held(world, statuses_by_worker, count):
    """Hold ``count`` sessions in the past with the given marks, closing each."""
    sessions = [
        world.session(start_in=timedelta(days=-(count - i), hours=-1)) for i in range(count)
    ]
    for i, session in enumerate(sessions):
        marks = {w.id: s[i] for w, s in statuses_by_worker.items() if s[i]}
        if marks:
            services.mark_attendance(world.officer, session, marks)
        services.close_session(session.id)
    return sessions


def test_low_attendance_warns_once_after_three_sessions(world, signals):
    good, poor = world.workers[:2]
    world.seat(good, poor)
    world.session(start_in=timedelta(days=5))  # the class goes on
    _held(world, {good: ["present"] * 4, poor: ["present", None, None, None]}, 2)
    assert db.session.scalar(sa.select(sa.func.count(AttendanceWarning.id))) == 0
    _held(world, {good: ["present"] * 4, poor: [None, None, None, None]}, 2)
    warnings = list(db.session.scalars(sa.select(AttendanceWarning)))
    assert [(w.user_id, w.sessions_held) for w in warnings] == [(poor.id, 3)]
    sent = [k for name, k in signals if name == "low-attendance"]
    assert len(sent) == 1
    assert sent[0]["user_id"] == poor.id and sent[0]["officer_id"] == world.officer.id
    assert sent[0]["rate"] == pytest.approx(1 / 3) and sent[0]["threshold"] == 0.8


def test_officer_sees_warnings_on_their_page_and_home(world, client, auth):
    world.seat(world.workers[0])
    world.session(start_in=timedelta(days=5))
    _held(world, {world.workers[0]: [None] * 3}, 3)
    auth.login(world.workers[0])
    page = client.get(f"/training/classes/{world.training_class.id}").get_data(as_text=True)
    assert "我的出勤率：" in page and "低于本班要求的 80%" in page
    auth.logout()
    auth.login(world.officer)
    page = client.get("/training/warnings").get_data(as_text=True)
    assert world.workers[0].name in page and "0%" in page
    assert world.workers[0].name in client.get("/").get_data(as_text=True)


def test_class_completed_when_the_last_session_ends_for_those_above_the_bar(world, signals):
    good, poor, excused = world.workers[:3]
    world.seat(good, poor, excused)
    _held(
        world,
        {
            good: ["present", "late", "present", "absent", "present"],
            poor: ["present", None, None, "present", None],
            excused: ["excused", "present", "present", "present", "present"],
        },
        5,
    )
    completions = {c.user_id: c.rate for c in db.session.scalars(sa.select(ClassCompletion))}
    assert completions == {good.id: pytest.approx(0.8), excused.id: 1.0}
    sent = sorted(k["user_id"] for name, k in signals if name == "class-completed")
    assert sent == sorted([good.id, excused.id])
    assert world.training_class.completed_at is not None


def test_worker_page_shows_absent_after_closing(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(hours=-3))
    services.close_session(session.id)
    row = db.session.scalar(sa.select(Attendance))
    assert row.method == CheckinMethod.auto
    auth.login(world.workers[0])
    page = client.get(f"/training/people/{world.workers[0].id}/history").get_data(as_text=True)
    assert "缺勤" in page
