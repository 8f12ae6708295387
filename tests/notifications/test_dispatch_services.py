"""The reminder dispatcher on PostgreSQL: SKIP LOCKED, and a worker killed mid-dispatch."""

import json
import threading
from datetime import timedelta

import sqlalchemy as sa

from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services, tasks
from lms.notifications.models import EmailMessage, Notification, Reminder, ReminderStatus
from lms.notifications.services import ReminderSpec
from tests.factories import UserFactory
from tests.plugins.services import _key_prefix, wait_for


def _due_reminders(people: int, per_person: int) -> None:
    users = [UserFactory(email=f"w{i}@example.com") for i in range(people)]
    db.session.flush()
    past, later = utcnow() - timedelta(minutes=5), utcnow() + timedelta(hours=2)
    for subject in range(per_person):
        services.schedule_reminders(
            [u.id for u in users],
            "class_session",
            subject + 1,
            [ReminderSpec("session_1h", past, later)],
            category="class_session",
            title=f"课次 {subject + 1}",
            event_at=later,
            link=f"/training/sessions/{subject + 1}",
        )
    db.session.commit()


def _count(model, *where):
    db.session.rollback()  # a fresh snapshot
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _assert_each_sent_exactly_once(total: int) -> None:
    assert _count(Reminder, Reminder.status == ReminderStatus.sent) == total
    assert _count(Notification) == total
    # Every sent reminder points at its own notification, and has one mail.
    assert (
        db.session.scalar(sa.select(sa.func.count(sa.distinct(Reminder.notification_id)))) == total
    )
    assert _count(EmailMessage, EmailMessage.key.like("reminder:%")) == total


def test_two_dispatchers_at_once_never_send_the_same_reminder(pg_app):
    _due_reminders(people=20, per_person=10)
    results = []

    def dispatch():
        with pg_app.app_context():
            results.append(services.dispatch_due(batch_size=7))
            db.session.remove()

    threads = [threading.Thread(target=dispatch) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["sent"] for r in results) == 200
    _assert_each_sent_exactly_once(200)


def test_a_worker_killed_mid_dispatch_of_1000_reminders_loses_and_repeats_nothing(
    worker_app, worker_process, tmp_path
):
    # Queues of its own: a worker started by an earlier test (the session's) would take
    # some of these mail tasks and write the mails into its own folder.
    queues = {"broker_transport_options": {"global_keyprefix": f"{_key_prefix()}killed:"}}
    worker_app.extensions["celery"].conf.update(queues)
    _due_reminders(people=100, per_person=10)
    env = {"LMS_MAIL_FOLDER": str(tmp_path / "mail"), "LMS_CELERY": json.dumps(queues)}
    first = worker_process("dispatch-a", concurrency=2, extra_env=env)
    tasks.dispatch_reminders.delay(batch_size=5, max_batches=1000)
    sent = wait_for(
        lambda: _count(Reminder, Reminder.status == ReminderStatus.sent) >= 50,
        timeout=120,
        message="the first worker never started dispatching:\n" + first.log()[-3000:],
    )
    first.kill()  # SIGKILL, mid-batch
    done_before = _count(Reminder, Reminder.status == ReminderStatus.sent)
    assert sent and done_before < 1000, "dispatch finished before the kill; nothing was tested"

    second = worker_process("dispatch-b", concurrency=2, extra_env=env)
    # The beat's next minute: two dispatchers at once on the new worker.
    tasks.dispatch_reminders.delay(batch_size=50, max_batches=1000)
    tasks.dispatch_reminders.delay(batch_size=50, max_batches=1000)
    wait_for(
        lambda: _count(Reminder, Reminder.status == ReminderStatus.sent) == 1000,
        timeout=180,
        message="not every reminder was sent:\n" + second.log()[-3000:],
    )
    _assert_each_sent_exactly_once(1000)
    # Mail tasks the killed worker had taken wait in Redis until their visibility timeout;
    # the beat's "requeue stale mail" sweep (10 minutes, here at once) queues them again.
    services.requeue_stale_mail(older_than=timedelta(0))
    wait_for(
        lambda: _count(EmailMessage, EmailMessage.status == "sent") == 1000,
        timeout=180,
        message="mails stuck in the outbox:\n" + second.log()[-3000:],
    )
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len({f.name.split("-", 1)[1] for f in files}) == 1000


def test_a_bulk_dispatch_on_postgresql_retires_the_cached_badge(pg_app):
    from lms.accounts.models import User
    from lms.notifications import badge

    _due_reminders(people=3, per_person=1)
    user = db.session.scalar(sa.select(User).order_by(User.id))
    assert badge.unread_count(user) == 0  # now cached
    assert services.dispatch_due()["sent"] == 3
    assert badge.unread_count(user) == 1
