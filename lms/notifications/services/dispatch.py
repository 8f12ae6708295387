"""The dispatcher: the beat task's work of sending due reminders (SKIP LOCKED on PostgreSQL)
and dropping expired ones, a batch at a time in a handful of bulk statements."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from lms.accounts.models import User
from lms.db import is_postgres, utcnow
from lms.extensions import db
from lms.notifications import badge
from lms.notifications.models import (
    Cadence,
    Category,
    EmailMessage,
    MailStatus,
    Notification,
    Reminder,
    ReminderStatus,
)
from lms.notifications.services.preferences import among, channels_for, text_locale
from lms.notifications.services.reminders import reminder_text
from lms.notifications.services.telling import enqueue_mail_runs, mail_body

# --- the dispatcher --------------------------------------------------------------------------


# What sending needs of a claimed reminder: plain rows, not ORM objects (a batch is thousands).
_CLAIMED = (
    Reminder.id,
    Reminder.user_id,
    Reminder.kind,
    Reminder.category,
    Reminder.title,
    Reminder.detail,
    Reminder.event_at,
    Reminder.link,
    Reminder.expires_at,
)


def _claim(now: datetime, limit: int) -> list[sa.Row]:
    stmt = (
        sa.select(*_CLAIMED)
        .where(Reminder.status == ReminderStatus.pending, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if is_postgres(db.session):
        # Rows another worker holds are skipped, not waited for: two dispatchers never
        # take the same reminder, and neither blocks the other.
        stmt = stmt.with_for_update(skip_locked=True, of=Reminder)
    return list(db.session.execute(stmt))


def dispatch_batch(now: datetime | None = None, batch_size: int = 200) -> dict[str, int]:
    with text_locale():
        return _dispatch_batch(now, batch_size)


def _dispatch_batch(now: datetime | None, batch_size: int) -> dict[str, int]:
    """Claim one batch of due reminders, send or drop each, and commit.

    Marking a reminder sent, writing its notification and queueing its mail happen in one
    transaction, so a crash leaves the batch pending for the next run, never half sent.
    """
    now = now or utcnow()
    counts = {"sent": 0, "dropped": 0}
    rows = _claim(now, batch_size)
    if not rows:
        db.session.rollback()
        return counts
    dropped: list[int] = []
    by_category: dict[Category, list[sa.Row]] = {}
    for r in rows:
        if r.expires_at is not None and r.expires_at <= now:
            dropped.append(r.id)
        else:
            by_category.setdefault(r.category, []).append(r)
    if dropped:
        db.session.execute(
            sa.update(Reminder)
            .where(Reminder.id.in_(dropped))
            .values(status=ReminderStatus.dropped)
            .execution_options(synchronize_session=False)
        )
        counts["dropped"] = len(dropped)
    for category, reminders in by_category.items():
        _deliver(category, reminders, now)
        counts["sent"] += len(reminders)
    db.session.commit()
    return counts


def _deliver(category: Category, reminders: list[sa.Row], now: datetime) -> None:
    """Mark a claimed batch sent, with its notifications and mails, in a handful of statements.

    The rows are written with bulk INSERT and UPDATE statements rather than one ORM object
    per row: a batch of 500 reminders costs seven statements instead of ~1,500.
    The claimed reminders are plain rows (``_CLAIMED``), read, never changed.
    """
    user_ids = list({r.user_id for r in reminders})
    channels = channels_for(user_ids, category)
    emails = dict(
        db.session.execute(
            sa.select(User.id, User.email).where(among(User.id, user_ids), User.active.is_(True))
        ).all()
    )
    notes, noted, mails = [], [], []
    # A batch is mostly many people's reminders of the same few sessions: each text and mail
    # body is written once per (kind, title, detail, time, link), not once per person.
    texts: dict[tuple, tuple[str, str, str]] = {}
    for r in reminders:
        if r.user_id not in emails:
            continue  # the person left; nothing to tell
        same = (r.kind, r.title, r.detail, r.event_at, r.link)
        if same not in texts:
            title, body = reminder_text(r)
            texts[same] = (title, body, mail_body(body, r.link))
        title, body, mail_text = texts[same]
        ch = channels[r.user_id]
        address = emails[r.user_id]
        wants_digest = ch.email and ch.cadence == Cadence.digest and bool(address)
        if ch.in_app or wants_digest:
            notes.append(
                {
                    "user_id": r.user_id,
                    "category": category,
                    "title": title[:200],
                    "body": body,
                    "link": r.link,
                    "created_at": now,
                    "digest_pending": wants_digest,
                    "read_at": None if ch.in_app else now,
                }
            )
            noted.append(r.id)
        if ch.email and ch.cadence == Cadence.immediate and address:
            # The reminder is claimed and marked sent in this transaction, so its mail
            # cannot exist yet: no look-up needed; the unique key still guards.
            mails.append(
                {
                    "key": f"reminder:{r.id}",
                    "user_id": r.user_id,
                    "to_address": address,
                    "subject": title[:200],
                    "body": mail_text,
                    "status": MailStatus.queued,
                    "attempts": 0,
                    "created_at": now,
                }
            )
    note_ids = _insert_all(Notification, notes)
    badge.retire_after_commit(db.session, {n["user_id"] for n in notes})
    _mark_sent([r.id for r in reminders], dict(zip(noted, note_ids, strict=True)), now)
    enqueue_mail_runs(_insert_all(EmailMessage, mails))


def _insert_all(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` (dicts with the same keys) and return their ids in order.

    On PostgreSQL the ids are drawn from the table's sequence first and the rows go in as
    one INSERT … SELECT FROM unnest(one array per column): a few parameters instead of one
    per value, which the driver and SQLAlchemy would otherwise spend most of a batch's
    time writing out and parsing. Elsewhere: a bulk INSERT … RETURNING. ORM event hooks
    do not see the PostgreSQL statement (it names the table): the caller retires what is
    cached about the rows, as ``_deliver`` does for the unread badges.
    """
    if not rows:
        return []
    if not is_postgres(db.session):
        return list(
            db.session.scalars(
                sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows
            ).all()
        )
    table = model.__table__
    ids = list(
        db.session.scalars(
            sa.select(
                sa.func.nextval(sa.func.pg_get_serial_sequence(table.name, "id"))
            ).select_from(sa.func.generate_series(1, len(rows)))
        )
    )
    names = list(rows[0])
    columns = [sa.literal(ids, postgresql.ARRAY(sa.Integer))] + [
        sa.literal([row[name] for row in rows], postgresql.ARRAY(table.c[name].type))
        for name in names
    ]
    db.session.execute(
        sa.insert(table).from_select(
            ["id", *names], sa.select(*(sa.func.unnest(c) for c in columns))
        )
    )
    return ids


def _mark_sent(ids: list[int], notification_of: dict[int, int], now: datetime) -> None:
    """Mark a batch of reminders sent, each pointing at the notification it became: on
    PostgreSQL one UPDATE … FROM unnest(ids, notification ids); elsewhere (SQLite in tests
    and the embedded default) one UPDATE for the batch and one per linked row.
    """
    sent = {"status": ReminderStatus.sent, "sent_at": now, "attempts": Reminder.attempts + 1}
    if is_postgres(db.session):
        pairs = sa.select(
            sa.func.unnest(sa.literal(ids, postgresql.ARRAY(sa.Integer)), type_=sa.Integer).label(
                "id"
            ),
            sa.func.unnest(
                sa.literal([notification_of.get(i) for i in ids], postgresql.ARRAY(sa.Integer)),
                type_=sa.Integer,
            ).label("notification_id"),
        ).subquery("pairs")
        db.session.execute(
            sa.update(Reminder)
            .where(Reminder.id == pairs.c.id)
            .values(**sent, notification_id=pairs.c.notification_id)
            .execution_options(synchronize_session=False)
        )
        return
    db.session.execute(
        sa.update(Reminder)
        .where(Reminder.id.in_(ids))
        .values(**sent)
        .execution_options(synchronize_session=False)
    )
    if notification_of:
        db.session.execute(
            sa.update(Reminder),
            [{"id": rid, "notification_id": nid} for rid, nid in notification_of.items()],
        )


def dispatch_due(
    now: datetime | None = None, batch_size: int = 200, max_batches: int | None = None
) -> dict[str, int]:
    """Send everything due, batch after batch; after an outage this is the catch-up."""
    totals = {"sent": 0, "dropped": 0}
    batches = 0
    while max_batches is None or batches < max_batches:
        counts = dispatch_batch(now, batch_size)
        batches += 1
        if not counts["sent"] and not counts["dropped"]:
            break
        totals["sent"] += counts["sent"]
        totals["dropped"] += counts["dropped"]
    return totals
