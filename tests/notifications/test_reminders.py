"""Reminders a worker gets for class sessions: written on scheduling, sent once when due."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from lms import signals
from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services
from lms.notifications.models import (
    EmailMessage,
    Notification,
    Reminder,
    ReminderStatus,
)
from tests.factories import UserFactory


def _send(signal, **kwargs):
    signal.send(current_app._get_current_object(), **kwargs)
    db.session.commit()


def _schedule(user_ids, session_id=7, starts_at=None, title="焊接技能提升班 · 第 3 课次"):
    starts_at = starts_at or utcnow() + timedelta(days=3)
    _send(
        signals.session_scheduled,
        session_id=session_id,
        class_id=3,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        title=title,
        location="焊接车间二楼培训室",
        user_ids=user_ids,
        url=f"/training/sessions/{session_id}",
    )
    return starts_at


def _reminders(**where):
    stmt = sa.select(Reminder).order_by(Reminder.user_id, Reminder.kind)
    for key, value in where.items():
        stmt = stmt.where(getattr(Reminder, key) == value)
    return list(db.session.scalars(stmt))


def test_scheduling_a_session_writes_24h_and_1h_reminders_for_each_person(app):
    a, b = UserFactory(), UserFactory()
    starts = _schedule([a.id, b.id])
    rows = _reminders()
    assert [(r.user_id, r.kind) for r in rows] == [
        (a.id, "session_1h"),
        (a.id, "session_24h"),
        (b.id, "session_1h"),
        (b.id, "session_24h"),
    ]
    due = {r.kind: r.due_at for r in rows}
    assert due["session_24h"] == starts - timedelta(hours=24)
    assert due["session_1h"] == starts - timedelta(hours=1)
    assert all(r.expires_at == starts for r in rows)


def test_the_same_signal_twice_writes_each_reminder_once(app):
    a = UserFactory()
    _schedule([a.id])
    _schedule([a.id])
    assert len(_reminders()) == 2


def test_nothing_is_sent_before_it_is_due_and_the_24h_reminder_once_when_due(app):
    worker = UserFactory(email="xiaohu@example.com")
    starts = _schedule([worker.id])
    assert services.dispatch_due(now=starts - timedelta(hours=25))["sent"] == 0
    assert services.dispatch_due(now=starts - timedelta(hours=23))["sent"] == 1
    assert services.dispatch_due(now=starts - timedelta(hours=23))["sent"] == 0
    [note] = db.session.scalars(sa.select(Notification)).all()
    assert note.user_id == worker.id
    assert "焊接技能提升班" in note.title and "明天上课" in note.title
    assert "焊接车间二楼培训室" in note.body
    assert note.link == "/training/sessions/7"
    [mail] = db.session.scalars(sa.select(EmailMessage)).all()
    assert mail.to_address == "xiaohu@example.com" and mail.status == "sent"
    assert "http://127.0.0.1:5000/training/sessions/7" in mail.body


def test_a_reminder_whose_session_has_started_is_dropped_not_sent_late(app):
    worker = UserFactory()
    starts = _schedule([worker.id])
    counts = services.dispatch_due(now=starts + timedelta(minutes=5))
    assert counts == {"sent": 0, "dropped": 2}
    assert {r.status for r in _reminders()} == {ReminderStatus.dropped}
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_after_an_outage_the_dispatcher_sends_what_is_still_relevant(app):
    worker = UserFactory()
    starts = _schedule([worker.id])
    # Down from a day before until 30 minutes before the session: the 24h reminder's
    # moment passed but the session has not started, so both are still worth sending.
    counts = services.dispatch_due(now=starts - timedelta(minutes=30))
    assert counts == {"sent": 2, "dropped": 0}


def test_a_rescheduled_session_moves_its_unsent_reminders(app):
    worker = UserFactory()
    old = _schedule([worker.id])
    new = old + timedelta(days=2, hours=3)
    _send(
        signals.session_rescheduled,
        session_id=7,
        class_id=3,
        old_starts_at=old,
        starts_at=new,
        ends_at=new + timedelta(hours=2),
        title="焊接技能提升班 · 第 3 课次",
        location="总装车间会议室",
        user_ids=[worker.id],
        url="/training/sessions/7",
    )
    rows = {r.kind: r for r in _reminders()}
    assert len(rows) == 2
    assert rows["session_24h"].due_at == new - timedelta(hours=24)
    assert rows["session_1h"].due_at == new - timedelta(hours=1)
    assert rows["session_1h"].detail == "总装车间会议室"
    # Nothing is sent at the old time any more.
    assert services.dispatch_due(now=old - timedelta(hours=23))["sent"] == 0
    assert services.dispatch_due(now=new - timedelta(hours=23))["sent"] == 1


def test_a_sent_reminder_stays_sent_when_the_session_moves(app):
    worker = UserFactory()
    old = _schedule([worker.id])
    services.dispatch_due(now=old - timedelta(hours=23))
    new = old + timedelta(days=1)
    _send(
        signals.session_rescheduled,
        session_id=7,
        class_id=3,
        old_starts_at=old,
        starts_at=new,
        ends_at=new,
        title="t",
        location="",
        user_ids=[worker.id],
        url="/x",
    )
    rows = {r.kind: r for r in _reminders()}
    assert rows["session_24h"].status == ReminderStatus.sent
    assert rows["session_1h"].status == ReminderStatus.pending


def test_a_cancelled_session_withdraws_reminders_and_tells_the_people(app):
    a, b = UserFactory(), UserFactory()
    starts = _schedule([a.id, b.id])
    for _ in range(2):  # sent twice: people are still told once
        _send(
            signals.session_cancelled,
            session_id=7,
            class_id=3,
            starts_at=starts,
            title="焊接技能提升班 · 第 3 课次",
            reason="讲师临时出差",
            user_ids=[a.id, b.id],
            url="/training/sessions/7",
        )
    services.dispatch_due(now=utcnow())
    statuses = {(r.user_id, r.kind): r.status for r in _reminders()}
    assert statuses[(a.id, "session_24h")] == ReminderStatus.withdrawn
    assert statuses[(a.id, "session_1h")] == ReminderStatus.withdrawn
    assert statuses[(a.id, "session_cancelled")] == ReminderStatus.sent
    notes = db.session.scalars(sa.select(Notification).order_by(Notification.user_id)).all()
    assert [n.user_id for n in notes] == [a.id, b.id]
    assert "课次取消" in notes[0].title and "讲师临时出差" in notes[0].body
    # Nothing else is sent later.
    assert services.dispatch_due(now=starts - timedelta(minutes=30))["sent"] == 0


def test_roster_changes_add_and_withdraw_one_persons_reminders(app):
    stays, joins = UserFactory(), UserFactory()
    starts = _schedule([stays.id])
    upcoming = [
        {
            "session_id": 7,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "title": "焊接技能提升班 · 第 3 课次",
            "location": "二楼",
            "url": "/training/sessions/7",
        }
    ]
    _send(signals.roster_changed, class_id=3, user_id=joins.id, change="added", upcoming=upcoming)
    assert len(_reminders(user_id=joins.id, status=ReminderStatus.pending)) == 2
    _send(signals.roster_changed, class_id=3, user_id=joins.id, change="removed", upcoming=upcoming)
    assert len(_reminders(user_id=joins.id, status=ReminderStatus.withdrawn)) == 2
    assert len(_reminders(user_id=stays.id, status=ReminderStatus.pending)) == 2
    # Back on the roster (promoted from the waiting list): re-armed, still one row each.
    _send(
        signals.roster_changed, class_id=3, user_id=joins.id, change="promoted", upcoming=upcoming
    )
    assert len(_reminders(user_id=joins.id, status=ReminderStatus.pending)) == 2


def test_a_session_scheduled_within_the_hour_gets_only_the_1h_reminder(app):
    worker = UserFactory()
    _schedule([worker.id], starts_at=utcnow() + timedelta(minutes=50))
    assert [r.kind for r in _reminders()] == ["session_1h"]


@pytest.mark.parametrize(
    ("signal_name", "kwargs", "kind", "words"),
    [
        (
            "course_assigned",
            {"course_id": 5, "due_at_days": 10, "assigned_by_id": None},
            "course_due",
            "课程即将到期",
        ),
        (
            "mentor_log_submitted",
            {"log_id": 9, "mentorship_id": 2, "mentor_id": None},
            "log_confirm",
            "请确认带徒记录",
        ),
    ],
)
def test_course_and_mentoring_signals_remind_the_worker(app, signal_name, kwargs, kind, words):
    worker = UserFactory()
    kwargs = dict(kwargs)
    if "due_at_days" in kwargs:
        kwargs["due_at"] = utcnow() + timedelta(days=kwargs.pop("due_at_days"))
        kwargs["user_id"] = worker.id
    else:
        kwargs["apprentice_id"] = worker.id
    _send(getattr(signals, signal_name), **kwargs)
    [row] = _reminders()
    assert row.kind == kind and row.user_id == worker.id
    services.dispatch_due(now=row.due_at + timedelta(seconds=1))
    [note] = db.session.scalars(sa.select(Notification)).all()
    assert words in note.title


def test_an_excuse_request_reminds_the_nearest_officer(app):
    from lms.accounts.models import Role
    from tests.factories import EnterpriseFactory, WorkshopFactory

    enterprise = EnterpriseFactory()
    workshop = WorkshopFactory(parent=enterprise)
    officer = UserFactory(organization=enterprise, roles=[Role.officer])
    UserFactory(organization=enterprise.parent, roles=[Role.officer])  # further up: not told
    UserFactory(organization=WorkshopFactory(), roles=[Role.officer])  # elsewhere: not told
    worker = UserFactory(organization=workshop, name="王小虎")
    _send(signals.excuse_requested, class_id=3, session_id=7, user_id=worker.id, request_id=11)
    services.dispatch_due()
    [note] = db.session.scalars(sa.select(Notification)).all()
    assert note.user_id == officer.id
    assert "王小虎" in note.body


def test_low_attendance_warns_worker_and_officer_once(app):
    from lms.accounts.models import Role

    officer = UserFactory(roles=[Role.officer])
    worker = UserFactory(name="李春花")
    for _ in range(2):
        _send(
            signals.low_attendance,
            class_id=3,
            user_id=worker.id,
            rate=0.5,
            threshold=0.8,
            officer_id=officer.id,
        )
    services.dispatch_due()
    notes = db.session.scalars(sa.select(Notification).order_by(Notification.user_id)).all()
    by_user = {n.user_id: n for n in notes}
    assert len(notes) == 2
    assert "50%" in by_user[worker.id].body and "80%" in by_user[worker.id].body
    assert "李春花" in by_user[officer.id].body


def test_live_lecture_reminder_moves_with_the_lecture_and_goes_when_cancelled(app):
    worker = UserFactory()
    starts = utcnow() + timedelta(days=1)
    kwargs = dict(lecture_id=4, course_id=2, title="劳模讲堂", user_ids=[worker.id])
    _send(signals.live_lecture_scheduled, starts_at=starts, **kwargs)
    _send(signals.live_lecture_scheduled, starts_at=starts + timedelta(hours=2), **kwargs)
    [row] = _reminders()
    assert row.due_at == starts + timedelta(hours=2) - timedelta(minutes=30)
    _send(signals.live_lecture_cancelled, lecture_id=4)
    assert _reminders()[0].status == ReminderStatus.withdrawn


def test_a_dispatched_reminder_shows_in_the_cached_badge_at_once(app, client, auth):
    worker = UserFactory(email="xiaohu@example.com")
    starts = _schedule([worker.id])
    db.session.commit()
    auth.login(worker)
    assert 'data-unread="0"' in client.get("/").get_data(as_text=True)  # now cached
    assert services.dispatch_due(now=starts - timedelta(hours=23))["sent"] == 1
    assert 'data-unread="1"' in client.get("/").get_data(as_text=True)
