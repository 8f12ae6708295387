"""Delivering one queued mail: over SMTP when ``MAIL_SERVER`` is set, else into a folder.

In the embedded default (no ``MAIL_SERVER``) mails are written as ``.eml`` files under
``<instance>/mail`` and listed on the admin page "邮件发送", so nothing needs a mail server.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email import policy
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from lms.db import utcnow
from lms.extensions import db
from lms.notifications.models import EmailMessage, MailStatus


class PermanentMailError(Exception):
    """The server refused the mail for good (5xx): retrying will not help."""


def mail_dir() -> Path:
    path = Path(current_app.config.get("MAIL_FOLDER") or Path(current_app.instance_path) / "mail")
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_mime(message: EmailMessage) -> MimeMessage:
    # Long headers are not folded: folding Chinese subjects into several encoded words
    # loses the spaces between them in most mail readers.
    mime = MimeMessage(policy=policy.SMTP.clone(max_line_length=998))
    mime["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = make_msgid(idstring=f"lms{message.id}", domain="craftsman-academy.local")
    mime["X-LMS-Key"] = message.key
    mime.set_content(message.body)
    return mime


# One SMTP connection per worker process, reused from mail to mail (a new TCP + TLS + login
# handshake per mail would cap throughput at a few hundred per second).
_SMTP: dict[tuple, smtplib.SMTP] = {}


def _connect(config) -> smtplib.SMTP:
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT", 30))
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _drop_connection(key: tuple) -> None:
    smtp = _SMTP.pop(key, None)
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _send_smtp(mime: MimeMessage) -> None:
    config = current_app.config
    key = (
        os.getpid(),
        config["MAIL_SERVER"],
        config.get("MAIL_PORT"),
        config.get("MAIL_USE_SSL"),
        config.get("MAIL_USE_TLS"),
        config.get("MAIL_USERNAME"),
    )
    for attempt in (1, 2):
        fresh = key not in _SMTP
        if fresh:
            _SMTP[key] = _connect(config)
        try:
            _SMTP[key].send_message(mime)
            return
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentMailError(f"recipient refused: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            _drop_connection(key)
            if 500 <= exc.smtp_code < 600:
                raise PermanentMailError(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
        except (smtplib.SMTPServerDisconnected, OSError):
            _drop_connection(key)
            # A reused connection the server closed while idle: try once on a new one.
            if fresh or attempt == 2:
                raise


def _write_eml(message: EmailMessage, mime: MimeMessage) -> str:
    name = f"{message.id:08d}-{message.key.replace(':', '_').replace('/', '_')}.eml"
    target = mail_dir() / name
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(bytes(mime))
    tmp.replace(target)
    return name


def _transmit(message: EmailMessage) -> None:
    """Send one mail now (SMTP, or a .eml file in the embedded default)."""
    mime = build_mime(message)
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(mime)
    else:
        message.file_name = _write_eml(message, mime)


def deliver(message_id: int, *, final_attempt: bool) -> str:
    """Send one mail; record the attempt. Raises to ask for a retry unless it is the last one.

    Returns the status afterwards. A mail already sent is never sent again.
    """
    # The row lock (PostgreSQL) makes a duplicate task wait, then find the mail sent.
    message = db.session.get(EmailMessage, message_id, with_for_update=True)
    if message is None or message.status != MailStatus.queued:
        return "skipped"
    message.attempts += 1
    try:
        _transmit(message)
    except PermanentMailError as exc:
        message.status, message.error = MailStatus.failed, str(exc)[:500]
        db.session.commit()
        current_app.logger.warning("mail %s failed permanently: %s", message.id, exc)
        return message.status.value
    except (smtplib.SMTPException, OSError) as exc:
        message.error = f"{exc.__class__.__name__}: {exc}"[:500]
        if final_attempt:
            message.status = MailStatus.failed
            db.session.commit()
            current_app.logger.warning("mail %s failed after retries: %s", message.id, exc)
            return message.status.value
        db.session.commit()
        raise
    message.status, message.sent_at, message.error = MailStatus.sent, utcnow(), None
    db.session.commit()
    return message.status.value


def deliver_many(message_ids: list[int], chunk: int = 25) -> dict[str, int]:
    """Send a run of mails over one connection, committing every ``chunk``.

    Used by the reminder dispatcher (one task per batch instead of one per mail). A mail that
    hits a passing SMTP error is handed to ``send_email`` to retry on its own with backoff.
    A worker killed mid-chunk leaves that chunk queued: at most ``chunk`` mails may go twice,
    none is lost.
    """
    from lms.db import is_postgres
    from lms.notifications import tasks
    from lms.notifications.services import _delay_quietly

    counts = {"sent": 0, "failed": 0, "retry": 0}
    for start in range(0, len(message_ids), chunk):
        stmt = (
            sa.select(EmailMessage)
            .where(
                EmailMessage.id.in_(message_ids[start : start + chunk]),
                EmailMessage.status == MailStatus.queued,
            )
            .order_by(EmailMessage.id)
        )
        if is_postgres(db.session):
            stmt = stmt.with_for_update(skip_locked=True)
        retry = []
        now = utcnow()
        for message in db.session.scalars(stmt):
            message.attempts += 1
            try:
                _transmit(message)
            except PermanentMailError as exc:
                message.status, message.error = MailStatus.failed, str(exc)[:500]
                counts["failed"] += 1
            except (smtplib.SMTPException, OSError) as exc:
                message.error = f"{exc.__class__.__name__}: {exc}"[:500]
                retry.append(message.id)
            else:
                message.status, message.sent_at, message.error = MailStatus.sent, now, None
                counts["sent"] += 1
        db.session.commit()
        for message_id in retry:
            _delay_quietly(tasks.send_email, message_id)
        counts["retry"] += len(retry)
    return counts
