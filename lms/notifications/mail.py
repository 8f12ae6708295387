"""Delivering one queued mail: over SMTP when ``MAIL_SERVER`` is set, else into a folder.

In the embedded default (no ``MAIL_SERVER``) mails are written as ``.eml`` files under
``<instance>/mail`` and listed on the admin page "邮件发送", so nothing needs a mail server.
"""

from __future__ import annotations

import base64
import functools
import os
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from lms.db import enqueue_after_commit, is_postgres, utcnow
from lms.extensions import db
from lms.notifications.models import EmailMessage, MailStatus


class PermanentMailError(Exception):
    """The server refused the mail for good (5xx): retrying will not help."""


def mail_dir() -> Path:
    path = Path(current_app.config.get("MAIL_FOLDER") or Path(current_app.instance_path) / "mail")
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_mime(message: EmailMessage) -> bytes:
    """The mail as MIME bytes with CRLF line ends: UTF-8 text in base64, Chinese headers as
    RFC 2047 encoded words.

    Written out directly: it is one fixed shape of message, and the email package's
    generators cost ~0.5 ms a mail (~2 ms with ``email.policy.SMTP``'s header objects), the
    largest part of sending a reminder. ``Header`` encodes spaces inside its encoded words, so
    a long Chinese subject folded over several lines keeps its spaces in every mail reader.
    """
    headers = (
        ("From", _sender()[0]),
        ("To", message.to_address),
        ("Subject", _header(message.subject)),
        ("Date", formatdate(localtime=False)),
        ("Message-ID", make_msgid(idstring=f"lms{message.id}", domain="craftsman-academy.local")),
        ("X-LMS-Key", message.key),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "base64"),
    )
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return head.encode("utf-8") + b"\r\n" + _base64_lines(message.body)


# Reminder mails of one session share their subject and body: each is encoded once.
@functools.lru_cache(maxsize=256)
def _base64_lines(body: str) -> bytes:
    return base64.encodebytes(body.encode("utf-8")).replace(b"\n", b"\r\n")


@functools.lru_cache(maxsize=256)
def _header(value: str) -> str:
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


@functools.lru_cache(maxsize=8)
def _sender_of(configured: str) -> tuple[str, str]:
    name, address = parseaddr(configured)
    return _header(formataddr((name, address), "utf-8")), address


def _sender() -> tuple[str, str]:
    """(the From header, the envelope sender) for ``MAIL_DEFAULT_SENDER``."""
    return _sender_of(current_app.config["MAIL_DEFAULT_SENDER"])


# SMTP connections are kept open from mail to mail (a new TCP + TLS + login handshake per
# mail would cap throughput at a few hundred per second): one per worker process (and
# thread, should a threaded pool be used), opened at its first mail. Throughput comes from
# the number of worker processes (``celery worker --concurrency``), each sending one mail
# after another with smtplib's public ``sendmail``.
_SMTP: dict[tuple, smtplib.SMTP] = {}


def _connect(config) -> smtplib.SMTP:
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    timeout = float(config.get("MAIL_TIMEOUT") or 30)
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


@dataclass(frozen=True)
class _Outgoing:
    """A mail ready for the wire: envelope and CRLF bytes."""

    sender: str
    to: str
    data: bytes


def _outgoing(message: EmailMessage) -> _Outgoing:
    return _Outgoing(_sender()[1], message.to_address, build_mime(message))


def _server(config) -> dict:
    names = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_SSL", "MAIL_USE_TLS", "MAIL_USERNAME")
    return {n: config.get(n) for n in (*names, "MAIL_PASSWORD", "MAIL_TIMEOUT")}


def _key(server: dict) -> tuple:
    return (
        os.getpid(),
        threading.get_ident(),
        *(server[n] for n in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_SSL", "MAIL_USE_TLS")),
        server["MAIL_USERNAME"],
    )


def _send_bytes(server: dict, mail: _Outgoing) -> None:
    """Send over this process's connection to ``server``; reconnect once if it was dropped."""
    key = _key(server)
    for attempt in (1, 2):
        fresh = key not in _SMTP
        if fresh:
            _SMTP[key] = _connect(server)
        try:
            _SMTP[key].sendmail(mail.sender, [mail.to], mail.data)
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


def _send_run(server: dict, messages: list[EmailMessage]) -> list[Exception | None]:
    """Send mails one after another; per mail, None or its error.

    When the server cannot be reached (a fresh connection fails), the mails left get that
    error at once instead of each waiting for its own time-out; they are retried with backoff.
    """
    results: list[Exception | None] = []
    for i, message in enumerate(messages):
        try:
            _send_bytes(server, _outgoing(message))
        except (PermanentMailError, smtplib.SMTPResponseException) as exc:
            results.append(exc)
        except (smtplib.SMTPException, OSError) as exc:
            results.extend([exc] * (len(messages) - i))
            break
        else:
            results.append(None)
    return results


def _write_eml(message: EmailMessage) -> str:
    name = f"{message.id:08d}-{message.key.replace(':', '_').replace('/', '_')}.eml"
    target = mail_dir() / name
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(build_mime(message))
    tmp.replace(target)
    return name


def _transmit(message: EmailMessage) -> None:
    """Send one mail now (SMTP, or a .eml file in the embedded default)."""
    if current_app.config.get("MAIL_SERVER"):
        _send_bytes(_server(current_app.config), _outgoing(message))
    else:
        message.file_name = _write_eml(message)


def _transmit_all(messages: list[EmailMessage]) -> list[Exception | None]:
    """Send several mails now, one after another; per mail, None or the error it met."""
    if current_app.config.get("MAIL_SERVER"):
        return _send_run(_server(current_app.config), messages)
    results: list[Exception | None] = []
    for message in messages:
        try:
            _transmit(message)
        except (PermanentMailError, smtplib.SMTPException, OSError) as exc:
            results.append(exc)
        else:
            results.append(None)
    return results


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


def deliver_many(message_ids: list[int], *, retry, chunk: int = 100) -> dict[str, int]:
    """Send a run of mails, committing every ``chunk``.

    Used by the reminder dispatcher (one task per run instead of one per mail). A mail that
    hits a passing SMTP error is handed to the task ``retry`` (``send_email``) to retry on its
    own with backoff. A worker killed mid-chunk leaves that chunk queued: at most ``chunk``
    mails may go twice, none is lost. The chunk's sent mails are marked in one UPDATE.
    """
    counts = {"sent": 0, "failed": 0, "retry": 0}
    for start in range(0, len(message_ids), chunk):
        # Found by primary key alone and checked for "queued" here: with the status in the
        # WHERE clause PostgreSQL may combine the status index, whose "queued" part is every
        # mail still waiting (100,000 after a large dispatch), into each chunk's look-up.
        stmt = (
            sa.select(EmailMessage)
            .where(EmailMessage.id.in_(message_ids[start : start + chunk]))
            .order_by(EmailMessage.id)
            .execution_options(populate_existing=True)
        )
        if is_postgres(db.session):
            stmt = stmt.with_for_update(skip_locked=True)
        messages = [m for m in db.session.scalars(stmt) if m.status == MailStatus.queued]
        sent, failed, retried = [], [], []
        for message, exc in zip(messages, _transmit_all(messages), strict=True):
            if exc is None:
                sent.append(message)
            elif isinstance(exc, PermanentMailError):
                failed.append((message, MailStatus.failed, str(exc)[:500]))
            else:
                failed.append((message, MailStatus.queued, f"{exc.__class__.__name__}: {exc}"))
                retried.append(message.id)
        if sent:
            db.session.execute(
                sa.update(EmailMessage)
                .where(EmailMessage.id.in_([m.id for m in sent]))
                .values(
                    status=MailStatus.sent,
                    sent_at=utcnow(),
                    error=None,
                    attempts=EmailMessage.attempts + 1,
                )
                # The loaded rows are not updated in place; the commit below expires them.
                # (In embedded mode each still writes its own .eml file name.)
                .execution_options(synchronize_session=False)
            )
        for message, status, error in failed:
            message.attempts += 1
            message.status, message.error = status, error[:500]
        for message_id in retried:
            enqueue_after_commit(db.session, retry, message_id)
        db.session.commit()
        counts["sent"] += len(sent)
        counts["failed"] += len(failed) - len(retried)
        counts["retry"] += len(retried)
    return counts
