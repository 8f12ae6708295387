"""The mail outbox survives a broker outage."""

from datetime import timedelta

import sqlalchemy as sa

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
