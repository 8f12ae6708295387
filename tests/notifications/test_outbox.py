"""The mail outbox survives a broker outage; packages plug periodic scans into the beat."""

from datetime import timedelta

import sqlalchemy as sa

from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services, tasks
from lms.notifications.models import EmailMessage, MailStatus, Notification
from tests.factories import UserFactory


def test_a_broker_outage_keeps_the_mail_queued_and_the_sweep_sends_it_later(app, monkeypatch):
    worker = UserFactory(email="w@example.com")
    db.session.commit()

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.send_email, "delay", broker_down)
    services.notify([worker.id], "system", "停机期间的通知", "正文")
    db.session.commit()  # the change commits; the person still sees it in the app
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1
    message = db.session.scalar(sa.select(EmailMessage))
    assert message.status == MailStatus.queued

    monkeypatch.undo()
    assert services.requeue_stale_mail(older_than=timedelta(minutes=10)) == 0  # too recent
    assert services.requeue_stale_mail(older_than=timedelta(0)) == 1
    assert db.session.get(EmailMessage, message.id).status == MailStatus.sent


def test_a_registered_scan_runs_on_the_beat_and_its_reminders_are_sent_once(app):
    """How mentorship plugs in "a mentor with no log for N days" without us reading its tables."""
    mentor = UserFactory()
    db.session.commit()

    def mentors_without_logs(now):
        services.schedule_reminders(
            [mentor.id],
            "mentorship",
            12,
            [services.ReminderSpec(f"no_log:{now:%Y%m%d}", now)],
            category="mentorship",
            title="已 14 天没有带徒记录",
            detail="请记录最近一次带教。",
            link="/mentorship/12",
        )

    services.register_scan(mentors_without_logs)
    try:
        services.run_scans(now=utcnow())
        services.run_scans(now=utcnow())  # the same day again: nothing new
        assert services.dispatch_due()["sent"] == 1
        [note] = db.session.scalars(sa.select(Notification)).all()
        assert note.user_id == mentor.id and note.title == "已 14 天没有带徒记录"
    finally:
        services._SCANS.remove(mentors_without_logs)
