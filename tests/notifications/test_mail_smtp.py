"""Mail over a real SMTP server (aiosmtpd on 127.0.0.1): the reminder's content and timing."""

import smtplib
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import current_app

from lms import signals
from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services
from lms.notifications.models import EmailMessage, MailStatus
from tests.factories import UserFactory


class Inbox:
    def __init__(self, refuse: int | None = None):
        self.messages = []
        self.refuse = refuse
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return f"{self.refuse} mailbox unavailable"
        # SMTP lines end in CRLF; a bare LF is refused or mangled by many servers.
        assert b"\n" not in envelope.original_content.replace(b"\r\n", b"")
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port():
    return _free_port()


@pytest.fixture
def app_overrides(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port}


@pytest.fixture
def inbox(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


def test_worker_receives_the_24h_reminder_by_mail_at_its_time(app, inbox):
    worker = UserFactory(name="王小虎", email="xiaohu@example.com")
    starts = utcnow().replace(microsecond=0) + timedelta(days=2)
    signals.session_scheduled.send(
        current_app._get_current_object(),
        session_id=41,
        class_id=3,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        title="焊接技能提升班 · 第 3 课次",
        location="焊接车间二楼培训室",
        user_ids=[worker.id],
        url="/training/sessions/41",
    )
    db.session.commit()
    services.dispatch_due(now=starts - timedelta(hours=24, minutes=1))
    assert inbox.messages == []  # a minute early: nothing yet
    services.dispatch_due(now=starts - timedelta(hours=24))
    [mail] = inbox.messages
    assert mail["To"] == "xiaohu@example.com"
    assert mail["Subject"] == "明天上课提醒：焊接技能提升班 · 第 3 课次"
    body = mail.get_content()
    local = starts.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert f"{local:%Y-%m-%d %H:%M}" in body
    assert "焊接车间二楼培训室" in body
    assert "http://127.0.0.1:5000/training/sessions/41" in body
    assert db.session.scalar(sa.select(EmailMessage.status)) == MailStatus.sent


def test_no_mail_leaves_for_a_change_that_was_rolled_back(app, inbox):
    worker = UserFactory(email="a@example.com")
    db.session.commit()
    services.notify([worker.id], "system", "不会发出", "正文")
    db.session.rollback()
    assert inbox.messages == []
    assert db.session.scalar(sa.select(sa.func.count(EmailMessage.id))) == 0


def test_a_refused_mail_is_recorded_as_failed_and_shown_to_admins(app, inbox, client, auth):
    from lms.accounts.models import Role

    inbox.refuse = 550
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory(email="nobody@example.com")
    db.session.commit()
    services.notify([worker.id], "system", "测试邮件", "正文")
    db.session.commit()
    message = db.session.scalar(sa.select(EmailMessage))
    assert message.status == MailStatus.failed and "550" in message.error
    auth.login(admin)
    page = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "nobody@example.com" in page and "发送失败" in page


def test_an_unreachable_server_is_retried_with_backoff_then_recorded_as_failed(app):
    from lms.notifications import mail, tasks

    assert tasks.send_email.autoretry_for == (smtplib.SMTPException, OSError)
    assert tasks.send_email.retry_backoff and tasks.send_email.max_retries == 6
    app.config["MAIL_PORT"] = _free_port()  # nobody listens here
    worker = UserFactory(email="a@example.com")
    message = services.queue_email(worker.email, "测试邮件", "正文", key="t:1")
    db.session.info.pop("lms_after_commit", None)  # the test plays the worker's attempts
    db.session.commit()
    for _attempt in range(2):
        with pytest.raises(ConnectionRefusedError):  # the task retries on this
            mail.deliver(message.id, final_attempt=False)
    assert message.status == MailStatus.queued and message.attempts == 2
    assert mail.deliver(message.id, final_attempt=True) == "failed"
    assert message.attempts == 3 and "ConnectionRefusedError" in message.error


def test_mails_reuse_one_connection_and_reconnect_when_it_was_dropped(app, inbox):
    worker = UserFactory(email="a@example.com")
    db.session.commit()
    services.notify([worker.id], "system", "第一封", "正文")
    db.session.commit()
    services.notify([worker.id], "system", "第二封", "正文")
    db.session.commit()
    assert [m["Subject"] for m in inbox.messages] == ["第一封", "第二封"]
    assert inbox.connections == 1
    from lms.notifications import mail

    for smtp in list(mail._SMTP.values()):
        smtp.sock.shutdown(socket.SHUT_RDWR)  # the connection drops while idle
    services.notify([worker.id], "system", "第三封", "正文")
    db.session.commit()
    assert [m["Subject"] for m in inbox.messages][-1] == "第三封"
    assert inbox.connections == 2
    assert (
        db.session.scalar(
            sa.select(sa.func.count(EmailMessage.id)).where(EmailMessage.status == MailStatus.sent)
        )
        == 3
    )


def test_a_run_of_reminder_mails_sends_the_good_and_records_the_refused(app, inbox):
    from datetime import timedelta as td

    from lms.notifications.models import Reminder
    from lms.notifications.services import ReminderSpec

    class RefuseOne(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("bad"):
                return "550 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    inbox.__class__ = RefuseOne
    people = [UserFactory(email=f"{name}@example.com") for name in ("ok1", "bad", "ok2")]
    services.schedule_reminders(
        [p.id for p in people],
        "class_session",
        9,
        [ReminderSpec("session_1h", utcnow() - td(minutes=1), utcnow() + td(hours=1))],
        category="class_session",
        title="课次",
    )
    db.session.commit()
    assert services.dispatch_due()["sent"] == 3
    assert sorted(m["To"] for m in inbox.messages) == ["ok1@example.com", "ok2@example.com"]
    rows = db.session.execute(sa.select(EmailMessage.to_address, EmailMessage.status)).all()
    statuses = {address: status for address, status in rows}
    assert statuses["bad@example.com"] == MailStatus.failed
    assert db.session.scalar(sa.select(sa.func.count(Reminder.id))) == 3


def test_runs_of_mails_go_out_each_mail_once_over_the_process_kept_connection(app, inbox):
    from datetime import timedelta as td

    from lms.notifications.services import ReminderSpec

    people = [UserFactory(email=f"p{i}@example.com") for i in range(20)]
    for subject_id in (1, 2):
        services.schedule_reminders(
            [p.id for p in people],
            "class_session",
            subject_id,
            [ReminderSpec("session_1h", utcnow() - td(minutes=1), utcnow() + td(hours=1))],
            category="class_session",
            title=f"课次 {subject_id}",
        )
        db.session.commit()
        assert services.dispatch_due()["sent"] == 20
    keys = [m["X-LMS-Key"] for m in inbox.messages]
    assert len(keys) == 40 and len(set(keys)) == 40
    assert inbox.connections == 1  # opened for the first run, used again for the second
    assert (
        db.session.scalar(
            sa.select(sa.func.count(EmailMessage.id)).where(EmailMessage.status == MailStatus.sent)
        )
        == 40
    )
