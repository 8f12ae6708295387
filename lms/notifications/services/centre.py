"""The person's notification centre (list, unread count, read marks, upcoming reminders),
the daily digest mail, and the admins' view of the mail outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import User
from lms.db import enqueue_after_commit, utcnow
from lms.errors import Forbidden, NotFound
from lms.extensions import db
from lms.notifications import badge, tasks
from lms.notifications.models import (
    EmailMessage,
    MailStatus,
    Notification,
    Reminder,
    ReminderStatus,
)
from lms.notifications.services.preferences import channels_for, text_locale
from lms.notifications.services.reminders import when
from lms.notifications.services.telling import absolute_url, mail_body, queue_email
from lms.timeutil import to_local

# --- daily digest ----------------------------------------------------------------------------


def send_digests(now: datetime | None = None) -> int:
    """One mail per person whose digest hour it is, listing what waited; returns mails queued."""
    with text_locale():
        return _send_digests(now)


def _send_digests(now: datetime | None) -> int:
    now = now or utcnow()
    local = to_local(now)
    waiting = db.session.execute(
        sa.select(Notification.user_id, Notification.category)
        .where(Notification.digest_pending.is_(True))
        .distinct()
    ).all()
    due_users: set[int] = set()
    for uid, category in waiting:
        ch = channels_for([uid], category)[uid]
        if ch.digest_hour == local.hour:
            due_users.add(uid)
    queued = 0
    for uid in sorted(due_users):
        user = db.session.get(User, uid)
        items = list(
            db.session.scalars(
                sa.select(Notification)
                .where(Notification.user_id == uid, Notification.digest_pending.is_(True))
                .order_by(Notification.created_at)
            )
        )
        if user is None or not user.email or not items:
            continue
        lines = [_("%(name)s，您好！以下是您今天的通知摘要：", name=user.name), ""]
        for n in items:
            lines.append(f"· [{when(n.created_at)}] {n.title}")
            if n.link:
                lines.append(f"  {absolute_url(n.link)}")
            n.digest_pending = False
        queue_email(
            user.email,
            _("工匠学堂每日通知摘要（%(count)d 条）", count=len(items)),
            mail_body("\n".join(lines), "/notifications"),
            key=f"digest:{uid}:{local:%Y-%m-%d}:{local.hour}",
            user_id=uid,
        )
        queued += 1
    db.session.commit()
    return queued


# --- the notification centre -----------------------------------------------------------------


def notifications_query(user: User, *, unread_only: bool = False) -> sa.Select:
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def unread_count(user: User) -> int:
    return badge.unread_count(user)


def get_notification(actor: User, notification_id: int) -> Notification:
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != actor.id:
        raise NotFound()
    return n


def mark_read(actor: User, notification_id: int) -> Notification:
    n = get_notification(actor, notification_id)
    if n.read_at is None:
        n.read_at = utcnow()
    db.session.flush()
    return n


def mark_all_read(actor: User) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def reminders_for(user: User, limit: int = 20) -> list[Reminder]:
    """The person's upcoming reminders (pending), soonest first."""
    return list(
        db.session.scalars(
            sa.select(Reminder)
            .where(Reminder.user_id == user.id, Reminder.status == ReminderStatus.pending)
            .order_by(Reminder.due_at)
            .limit(limit)
        )
    )


# --- admin: the mail outbox ------------------------------------------------------------------


def mail_query(actor: User, status: str | None = None) -> sa.Select:
    if not scope.is_admin(actor):
        raise Forbidden()
    stmt = sa.select(EmailMessage).order_by(EmailMessage.created_at.desc(), EmailMessage.id.desc())
    if status:
        stmt = stmt.where(EmailMessage.status == MailStatus(status))
    return stmt


def mail_counts(actor: User) -> dict[str, int]:
    if not scope.is_admin(actor):
        raise Forbidden()
    rows = db.session.execute(
        sa.select(EmailMessage.status, sa.func.count(EmailMessage.id)).group_by(EmailMessage.status)
    ).all()
    counts = {s.value: 0 for s in MailStatus}
    counts.update({MailStatus(s).value: c for s, c in rows})
    return counts


def get_mail_file(actor: User, message_id: int) -> EmailMessage:
    """A mail written to the folder (embedded mode), for admins to open."""
    if not scope.is_admin(actor):
        raise Forbidden()
    message = db.session.get(EmailMessage, message_id)
    if message is None or not message.file_name:
        raise NotFound()
    return message


def retry_mail(actor: User, message_id: int) -> EmailMessage:
    """An admin sends a failed mail again (after fixing the address or the server)."""
    if not scope.is_admin(actor):
        raise Forbidden()
    message = db.session.get(EmailMessage, message_id)
    if message is None:
        raise NotFound()
    if message.status == MailStatus.failed:
        message.status, message.error = MailStatus.queued, None
        enqueue_after_commit(db.session, tasks.send_email, message.id)
    db.session.flush()
    return message
