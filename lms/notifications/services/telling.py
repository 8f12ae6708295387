"""Telling people now: ``notify`` (in the app and by mail, as each prefers), ``gathered``
for many at once, the mail outbox (``queue_email``, ``requeue_stale_mail``), and who to tell
when a package names only a person (``officers_for``).

Nothing here sends mail inside a request: mails go to the ``email_messages`` outbox and a
task on the ``email`` queue sends them once the transaction has committed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts.models import Organization, Role, User, UserRole
from lms.db import enqueue_after_commit, utcnow
from lms.extensions import db
from lms.notifications import tasks
from lms.notifications.models import Cadence, Category, EmailMessage, MailStatus, Notification
from lms.notifications.services.preferences import Channels, channels_for, text_locale

# --- telling people now ----------------------------------------------------------------------


def notify(
    user_ids: Iterable[int],
    category: Category | str,
    title: str,
    body: str = "",
    link: str | None = None,
    *,
    key: str | None = None,
) -> list[Notification]:
    """Tell people now: a notification in the app and a mail, as each person prefers.

    ``key`` (optional, up to 120 characters) makes it idempotent: a person is told once per
    key, in the app and by mail (``f"{key}:{user_id}"``), however often the caller repeats. Returns the in-app notifications created.
    Inside ``gathered()`` the work waits for the end of that block and this returns ``[]``.
    """
    message = _Message(list(dict.fromkeys(user_ids)), title, body, link, key)
    pending = db.session.info.get(_GATHERED)
    if pending is not None:
        pending.setdefault(Category(category), []).append(message)
        return []
    with text_locale():
        return _notify(Category(category), [message], one_mail_each=True)


@dataclass(frozen=True)
class _Message:
    user_ids: list[int]
    title: str
    body: str
    link: str | None
    key: str | None


_GATHERED = "lms_gathered_notifications"


@contextmanager
def gathered():
    """Within the block, ``notify`` calls are gathered and written together when it ends.

    For work that tells many people one at a time in one transaction (a certificate batch):
    the preferences, addresses and existing mails of everyone are read in a few queries and
    the notifications and mails inserted together, instead of six queries per person. The
    mails go out in runs (``send_emails``) after the transaction commits.
    """
    if db.session.info.get(_GATHERED) is not None:
        yield  # already gathering: the outer block writes
        return
    pending: dict[Category, list[_Message]] = {}
    db.session.info[_GATHERED] = pending
    try:
        yield
    finally:
        db.session.info.pop(_GATHERED, None)
    with text_locale():
        for category, messages in pending.items():
            _notify(category, messages, one_mail_each=False)


def _already_done(messages: list[_Message]) -> tuple[set[str], set[tuple[int, str]]]:
    """The keyed mails already in the outbox, and the (person, key) already told in the app."""
    keys = [f"{m.key}:{uid}" for m in messages if m.key for uid in m.user_ids]
    plain_keys = list({m.key for m in messages if m.key})
    taken, told = set(), set()
    for start in range(0, len(keys), 500):
        taken.update(
            db.session.scalars(
                sa.select(EmailMessage.key).where(EmailMessage.key.in_(keys[start : start + 500]))
            )
        )
    for start in range(0, len(plain_keys), 500):
        told.update(
            db.session.execute(
                sa.select(Notification.user_id, Notification.key).where(
                    Notification.key.in_(plain_keys[start : start + 500])
                )
            ).tuples()
        )
    return taken, told


def _in_app(
    category: Category, m: _Message, uid: int, ch: Channels, *, has_address: bool
) -> Notification | None:
    """The person's notification, if they read this category in the app or in the digest."""
    wants_digest = ch.email and ch.cadence == Cadence.digest and has_address
    if not (ch.in_app or wants_digest):
        return None
    return Notification(
        user_id=uid,
        category=category,
        title=m.title[:200],
        body=m.body,
        link=m.link,
        key=m.key,
        digest_pending=wants_digest,
        # Kept only for the digest when the person switched the app channel off.
        read_at=None if ch.in_app else utcnow(),
    )


def _notify(
    category: Category, messages: list[_Message], *, one_mail_each: bool
) -> list[Notification]:
    user_ids = list(dict.fromkeys(uid for m in messages for uid in m.user_ids))
    if not user_ids:
        return []
    channels = channels_for(user_ids, category)
    emails = dict(
        db.session.execute(
            sa.select(User.id, User.email).where(User.id.in_(user_ids), User.active.is_(True))
        ).all()
    )
    taken, told = _already_done(messages)
    created, mails = [], []
    for m in messages:
        for uid in m.user_ids:
            if uid not in emails or (uid, m.key) in told:
                continue  # left, or already told of this (a signal sent twice)
            ch = channels[uid]
            note = _in_app(category, m, uid, ch, has_address=bool(emails[uid]))
            if note is not None:
                db.session.add(note)
                created.append(note)
            if m.key:
                told.add((uid, m.key))
            key = f"{m.key}:{uid}" if m.key else None
            if ch.email and ch.cadence == Cadence.immediate and emails[uid] and key not in taken:
                mails.append(
                    outbox_row(
                        emails[uid], m.title, mail_body(m.body, m.link), key=key, user_id=uid
                    )
                )
                if key:
                    taken.add(key)
    _queue_mails(mails, one_mail_each=one_mail_each)
    return created


def _queue_mails(mails: list[EmailMessage], *, one_mail_each: bool) -> None:
    """Into the outbox; one ``send_email`` task each, or runs of ``send_emails``."""
    db.session.add_all(mails)
    db.session.flush()
    if one_mail_each:
        for mail in mails:
            enqueue_after_commit(db.session, tasks.send_email, mail.id)
    else:
        enqueue_mail_runs([mail.id for mail in mails])


def absolute_url(link: str | None) -> str | None:
    if not link:
        return None
    if link.startswith(("http://", "https://")):
        return link
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link


def mail_body(body: str, link: str | None) -> str:
    parts = [body.strip()] if body else []
    if link:
        parts.append(_("查看详情：%(url)s", url=absolute_url(link)))
    parts.append(_("—— 工匠学堂（此邮件由系统发送，请勿直接回复。可在“通知设置”中调整提醒方式。）"))
    return "\n\n".join(parts) + "\n"


def queue_email(
    to_address: str, subject: str, body: str, *, key: str | None = None, user_id: int | None = None
) -> EmailMessage:
    """Put a mail into the outbox; the ``email`` queue sends it after this transaction commits."""
    if key:
        existing = db.session.scalar(sa.select(EmailMessage).where(EmailMessage.key == key))
        if existing is not None:
            return existing
    message = outbox_row(to_address, subject, body, key=key, user_id=user_id)
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(db.session, tasks.send_email, message.id)
    return message


def outbox_row(
    to_address: str, subject: str, body: str, *, key: str | None, user_id: int | None
) -> EmailMessage:
    if not key:
        key = f"mail:{secrets.token_hex(12)}"
    return EmailMessage(
        key=key, user_id=user_id, to_address=to_address, subject=subject[:200], body=body
    )


# Mails per ``send_emails`` task: ids only, a few thousand, so the broker carries one message
# per run and each worker process sends the run over its one kept SMTP connection.
MAIL_RUN = 2000


def enqueue_mail_runs(ids: list[int]) -> None:
    """One ``send_emails`` task per run of mails, queued after commit."""
    for start in range(0, len(ids), MAIL_RUN):
        enqueue_after_commit(db.session, tasks.send_emails, ids[start : start + MAIL_RUN])


def requeue_stale_mail(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the mails still waiting after ``older_than`` (the broker was down, or a
    worker died before it took them). Sending is idempotent, so a duplicate task is harmless.
    """
    cutoff = utcnow() - older_than
    ids = list(
        db.session.scalars(
            sa.select(EmailMessage.id)
            .where(EmailMessage.status == MailStatus.queued, EmailMessage.created_at < cutoff)
            .order_by(EmailMessage.id)
            .limit(5000)
        )
    )
    for message_id in ids:
        enqueue_after_commit(db.session, tasks.send_email, message_id)
    db.session.commit()
    return len(ids)


# --- who to tell when a package gives only a person ------------------------------------------


def officers_for(user_id: int) -> list[int]:
    """The training officers nearest above a person: the deepest organization that has some."""
    user = db.session.get(User, user_id)
    return officers_over(user.organization_id) if user is not None else []


def officers_over(organization_id: int) -> list[int]:
    """The training officers whose scope holds an organization, nearest first: those of the
    deepest organization at or above it that has any."""
    org = db.session.get(Organization, organization_id)
    if org is None:
        return []
    ancestors = [int(part) for part in org.path.strip("/").split("/") if part]
    rows = db.session.execute(
        sa.select(User.id, Organization.path)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Organization, Organization.id == User.organization_id)
        .where(
            UserRole.role == Role.officer,
            User.active.is_(True),
            User.organization_id.in_(ancestors),
        )
    ).all()
    if not rows:
        return []
    deepest = max(len(path) for _uid, path in rows)
    return sorted(uid for uid, path in rows if len(path) == deepest)
