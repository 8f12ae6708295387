"""Notifications and reminders: the API every package may call.

- ``notify(user_ids, category, title, body, link)`` — tell people now (in the app, and by
  mail according to their preferences).
- ``schedule_reminders(...)`` — write reminder rows into the outbox; idempotent: one row
  per person, subject and kind, re-arming an unsent one with the new time.
- ``move_reminders(...)`` — a subject moved: shift its unsent reminders.
- ``withdraw_reminders(...)`` — a subject was cancelled or a person left: withdraw unsent ones.
- ``dispatch_due()`` — the beat task's work: send what is due, drop what expired.

Nothing here sends mail inside a request: mails go to the ``email_messages`` outbox and a
task on the ``email`` queue sends them once the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User, UserRole
from lms.db import after_commit, is_postgres, utcnow
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.notifications import badge
from lms.notifications.models import (
    Cadence,
    Category,
    CategoryLock,
    EmailMessage,
    MailStatus,
    Notification,
    Preference,
    Reminder,
    ReminderStatus,
)

CATEGORY_LABELS = {
    Category.class_session: _l("培训课次"),
    Category.lecture: _l("直播讲座"),
    Category.course: _l("在线课程"),
    Category.mentorship: _l("师徒带教"),
    Category.attendance: _l("考勤"),
    Category.certificate: _l("证书"),
    Category.system: _l("系统通知"),
}

DEFAULT_DIGEST_HOUR = 18


@contextmanager
def text_locale():
    """Outside a request (Celery tasks, CLI) texts are written in the installation's language."""
    if has_request_context():
        yield
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


# --- queueing work after commit ------------------------------------------------------------


def enqueue_after_commit(session, task, *args) -> None:
    """Like ``lms.db.enqueue_after_commit``, but a broker that is down never turns a committed
    change into an error: the outbox row stays queued and ``requeue_stale_mail`` (beat) or the
    next download picks it up.
    """
    after_commit(session, _delay_quietly, task, *args)


def _delay_quietly(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure; the outbox keeps the work
        current_app.logger.warning("could not queue %s%r; it stays in the outbox", task.name, args)


# --- preferences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool
    cadence: Cadence
    digest_hour: int
    locked: bool


def locked_categories() -> set[Category]:
    return set(db.session.scalars(sa.select(CategoryLock.category)))


def channels_for(user_ids: Iterable[int], category: Category) -> dict[int, Channels]:
    """Each person's channels for ``category`` in one query; locked categories are always on."""
    user_ids = list(user_ids)
    locked = db.session.get(CategoryLock, category) is not None
    rows = {
        p.user_id: p
        for p in db.session.scalars(
            sa.select(Preference).where(
                _among(Preference.user_id, user_ids), Preference.category == category
            )
        )
    }
    result = {}
    for uid in user_ids:
        p = rows.get(uid)
        in_app = True if p is None else p.in_app
        email = True if p is None else p.email
        cadence = Cadence.immediate if p is None else p.cadence
        hour = DEFAULT_DIGEST_HOUR if p is None else p.digest_hour
        if locked:
            in_app, email = True, True
        result[uid] = Channels(in_app, email, cadence, hour, locked)
    return result


def preferences_for(user: User) -> list[dict]:
    """Every category with the person's choice (or the default) and whether it is locked."""
    channels = {c: channels_for([user.id], c)[user.id] for c in Category}
    return [
        {"category": c, "label": str(CATEGORY_LABELS[c]), **channels[c].__dict__} for c in Category
    ]


def set_preference(
    actor: User,
    user: User,
    category: Category | str,
    *,
    in_app: bool,
    email: bool,
    cadence: Cadence | str = Cadence.immediate,
    digest_hour: int = DEFAULT_DIGEST_HOUR,
) -> Preference:
    if actor.id != user.id and not scope.is_admin(actor):
        raise Forbidden()
    try:
        category, cadence = Category(category), Cadence(cadence)
    except ValueError as exc:
        raise Invalid(errors={"category": [str(exc)]}) from exc
    if not 0 <= digest_hour <= 23:
        raise Invalid(errors={"digest_hour": [_("请选择 0 到 23 点之间的整点。")]})
    if db.session.get(CategoryLock, category) is not None and not (in_app and email):
        raise Invalid(
            _("管理员已将“%(label)s”设为必收通知，不能关闭。", label=CATEGORY_LABELS[category]),
            errors={"category": [_("此类通知不能关闭。")]},
        )
    pref = db.session.scalar(
        sa.select(Preference).where(Preference.user_id == user.id, Preference.category == category)
    )
    if pref is None:
        pref = Preference(user_id=user.id, category=category)
        db.session.add(pref)
    pref.in_app, pref.email, pref.cadence, pref.digest_hour = in_app, email, cadence, digest_hour
    db.session.flush()
    return pref


def lock_category(actor: User, category: Category | str, locked: bool) -> None:
    """Admins make a category compulsory (in the app and by mail) or optional again."""
    from lms.audit.services import record

    if not scope.is_admin(actor):
        raise Forbidden()
    category = Category(category)
    row = db.session.get(CategoryLock, category)
    if locked and row is None:
        db.session.add(CategoryLock(category=category, locked_by_id=actor.id))
    elif not locked and row is not None:
        db.session.delete(row)
    else:
        return
    record(
        actor,
        "notifications.lock" if locked else "notifications.unlock",
        "notification_category",
        None,
        after={"category": category.value, "locked": locked},
        summary=f"{'lock' if locked else 'unlock'} {category.value}",
    )
    db.session.flush()


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

    ``key`` (optional) makes the mail idempotent: a mail with the same key per person is
    queued once only (``f"{key}:{user_id}"``). Returns the in-app notifications created.
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
    keys = [f"{m.key}:{uid}" for m in messages if m.key for uid in m.user_ids]
    taken = set()
    for start in range(0, len(keys), 500):
        taken.update(
            db.session.scalars(
                sa.select(EmailMessage.key).where(EmailMessage.key.in_(keys[start : start + 500]))
            )
        )
    created, mails = [], []
    for m in messages:
        for uid in m.user_ids:
            if uid not in emails:
                continue
            ch = channels[uid]
            wants_digest = ch.email and ch.cadence == Cadence.digest and bool(emails[uid])
            if ch.in_app or wants_digest:
                n = Notification(
                    user_id=uid,
                    category=category,
                    title=m.title[:200],
                    body=m.body,
                    link=m.link,
                    digest_pending=wants_digest,
                    # Kept only for the digest when the person switched the app channel off.
                    read_at=None if ch.in_app else utcnow(),
                )
                db.session.add(n)
                created.append(n)
            key = f"{m.key}:{uid}" if m.key else None
            if ch.email and ch.cadence == Cadence.immediate and emails[uid] and key not in taken:
                mails.append(
                    _outbox_row(
                        emails[uid], m.title, _mail_body(m.body, m.link), key=key, user_id=uid
                    )
                )
                if key:
                    taken.add(key)
    db.session.add_all(mails)
    db.session.flush()
    if one_mail_each:
        from lms.notifications import tasks

        for mail in mails:
            enqueue_after_commit(db.session, tasks.send_email, mail.id)
    else:
        _enqueue_mail_runs([mail.id for mail in mails])
    return created


def _absolute(link: str | None) -> str | None:
    if not link:
        return None
    if link.startswith(("http://", "https://")):
        return link
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + link


def _mail_body(body: str, link: str | None) -> str:
    parts = [body.strip()] if body else []
    if link:
        parts.append(_("查看详情：%(url)s", url=_absolute(link)))
    parts.append(_("—— 工匠学堂（此邮件由系统发送，请勿直接回复。可在“通知设置”中调整提醒方式。）"))
    return "\n\n".join(parts) + "\n"


def queue_email(
    to_address: str, subject: str, body: str, *, key: str | None = None, user_id: int | None = None
) -> EmailMessage:
    """Put a mail into the outbox; the ``email`` queue sends it after this transaction commits."""
    from lms.notifications import tasks

    if key:
        existing = db.session.scalar(sa.select(EmailMessage).where(EmailMessage.key == key))
        if existing is not None:
            return existing
    message = _outbox_row(to_address, subject, body, key=key, user_id=user_id)
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(db.session, tasks.send_email, message.id)
    return message


def _outbox_row(
    to_address: str, subject: str, body: str, *, key: str | None, user_id: int | None
) -> EmailMessage:
    if not key:
        import secrets

        key = f"mail:{secrets.token_hex(12)}"
    return EmailMessage(
        key=key, user_id=user_id, to_address=to_address, subject=subject[:200], body=body
    )


# --- reminders: the outbox -------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderSpec:
    """One reminder to write for each person: its kind and when it is due."""

    kind: str
    due_at: datetime
    expires_at: datetime | None = None


def _upsert(values: list[dict]) -> None:
    """Insert reminders; an existing unsent one is re-armed with the new time and text."""
    if not values:
        return
    if is_postgres(db.session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(Reminder).values(values)
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "subject_type", "subject_id", "kind"],
        set_={
            "due_at": excluded.due_at,
            "expires_at": excluded.expires_at,
            "title": excluded.title,
            "detail": excluded.detail,
            "event_at": excluded.event_at,
            "link": excluded.link,
            "status": ReminderStatus.pending.value,
        },
        where=Reminder.status != ReminderStatus.sent.value,
    )
    db.session.execute(stmt)


def schedule_reminders(
    user_ids: Iterable[int],
    subject_type: str,
    subject_id: int,
    specs: Iterable[ReminderSpec],
    *,
    category: Category | str,
    title: str,
    detail: str = "",
    event_at: datetime | None = None,
    link: str | None = None,
) -> int:
    """Write one reminder per person and spec (idempotent). Returns how many rows were written.

    A reminder already sent stays sent (each reminder exactly once); a pending, withdrawn
    or dropped one is re-armed with the new time.
    """
    category = Category(category)
    now = utcnow()
    values = [
        {
            "user_id": uid,
            "kind": spec.kind,
            "category": category.value,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "title": title[:200],
            "detail": (detail or "")[:255],
            "event_at": event_at,
            "link": link,
            "due_at": spec.due_at,
            "expires_at": spec.expires_at,
            "status": ReminderStatus.pending.value,
            "attempts": 0,
            "created_at": now,
        }
        for uid in dict.fromkeys(user_ids)
        for spec in specs
    ]
    for start in range(0, len(values), 500):
        _upsert(values[start : start + 500])
    return len(values)


def move_reminders(
    subject_type: str,
    subject_id: int,
    specs: Iterable[ReminderSpec],
    *,
    title: str | None = None,
    detail: str | None = None,
    event_at: datetime | None = None,
    link: str | None = None,
) -> int:
    """A subject moved: give its unsent reminders of each kind the new due time."""
    moved = 0
    for spec in specs:
        changes: dict = {
            "due_at": spec.due_at,
            "expires_at": spec.expires_at,
            "status": ReminderStatus.pending,
        }
        for name, value in (("title", title), ("detail", detail), ("event_at", event_at)):
            if value is not None:
                changes[name] = value
        if link is not None:
            changes["link"] = link
        result = db.session.execute(
            sa.update(Reminder)
            .where(
                Reminder.subject_type == subject_type,
                Reminder.subject_id == subject_id,
                Reminder.kind == spec.kind,
                Reminder.status.in_([ReminderStatus.pending, ReminderStatus.dropped]),
            )
            .values(**changes)
            .execution_options(synchronize_session=False)
        )
        moved += result.rowcount or 0
    return moved


def withdraw_reminders(
    subject_type: str,
    subject_id: int,
    *,
    user_ids: Iterable[int] | None = None,
    kinds: Iterable[str] | None = None,
) -> int:
    """Withdraw the unsent reminders of a subject (for some people / kinds only, if given)."""
    stmt = sa.update(Reminder).where(
        Reminder.subject_type == subject_type,
        Reminder.subject_id == subject_id,
        Reminder.status == ReminderStatus.pending,
    )
    if user_ids is not None:
        stmt = stmt.where(Reminder.user_id.in_(list(user_ids)))
    if kinds is not None:
        stmt = stmt.where(Reminder.kind.in_(list(kinds)))
    result = db.session.execute(
        stmt.values(status=ReminderStatus.withdrawn).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- what a reminder says --------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def _text_session_24h(r: Reminder) -> tuple[str, str]:
    return (
        _("明天上课提醒：%(title)s", title=r.title),
        _("您报名的课次将于 %(when)s 开始。", when=_when(r.event_at))
        + ("\n" + _("地点：%(place)s", place=r.detail) if r.detail else ""),
    )


def _text_session_1h(r: Reminder) -> tuple[str, str]:
    return (
        _("1 小时后上课：%(title)s", title=r.title),
        _("课次将于 %(when)s 开始，请准时到场签到。", when=_when(r.event_at))
        + ("\n" + _("地点：%(place)s", place=r.detail) if r.detail else ""),
    )


def _text_cancelled(r: Reminder) -> tuple[str, str]:
    return (
        _("课次取消：%(title)s", title=r.title),
        _("原定 %(when)s 的课次已取消。", when=_when(r.event_at))
        + ("\n" + _("原因：%(reason)s", reason=r.detail) if r.detail else ""),
    )


def _text_lecture(r: Reminder) -> tuple[str, str]:
    return (
        _("直播讲座即将开始：%(title)s", title=r.title),
        _("讲座将于 %(when)s 开始，请提前进入直播间。", when=_when(r.event_at)),
    )


def _text_course_due(r: Reminder) -> tuple[str, str]:
    return (
        _("课程即将到期：%(title)s", title=r.title),
        _("指派给您的课程需在 %(when)s 前完成，请抓紧学习。", when=_when(r.event_at)),
    )


def _text_log_confirm(r: Reminder) -> tuple[str, str]:
    return (
        _("请确认带徒记录"),
        _("您的导师提交了一条带徒记录，请核对后确认。"),
    )


def _text_excuse(r: Reminder) -> tuple[str, str]:
    return (
        _("有请假申请待审批"),
        _("%(name)s 提交了请假申请，请及时处理。", name=r.detail),
    )


def _text_low_attendance(r: Reminder) -> tuple[str, str]:
    return (_("出勤率预警：%(title)s", title=r.title), r.detail)


def _text_cert_expiry(r: Reminder) -> tuple[str, str]:
    return (
        _("证书即将到期：%(title)s", title=r.title),
        _("您的证书将于 %(when)s 到期，如需延续请联系培训专员。", when=_when(r.event_at)),
    )


def _text_generic(r: Reminder) -> tuple[str, str]:
    return (r.title, r.detail)


#: kind → function(reminder) → (title, body). Other packages may add their kinds. A text may
#: depend on the reminder's kind, title, detail and event time only: the dispatcher writes
#: it once for all the reminders of a batch that share them.
TEXTS: dict[str, Callable[[Reminder], tuple[str, str]]] = {
    "session_24h": _text_session_24h,
    "session_1h": _text_session_1h,
    "session_cancelled": _text_cancelled,
    "lecture_start": _text_lecture,
    "course_due": _text_course_due,
    "log_confirm": _text_log_confirm,
    "excuse_review": _text_excuse,
    "low_attendance": _text_low_attendance,
    "cert_expiry": _text_cert_expiry,
}


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    return TEXTS.get(reminder.kind.split(":")[0], _text_generic)(reminder)


# --- the dispatcher --------------------------------------------------------------------------


def _claim(now: datetime, limit: int) -> list[Reminder]:
    stmt = (
        sa.select(Reminder)
        .where(Reminder.status == ReminderStatus.pending, Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if is_postgres(db.session):
        # Rows another worker holds are skipped, not waited for: two dispatchers never
        # take the same reminder, and neither blocks the other.
        stmt = stmt.with_for_update(skip_locked=True, of=Reminder)
    return list(db.session.scalars(stmt))


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
    by_category: dict[Category, list[Reminder]] = {}
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


def _deliver(category: Category, reminders: list[Reminder], now: datetime) -> None:
    """Mark a claimed batch sent, with its notifications and mails, in a handful of statements.

    The rows are written with bulk INSERT and UPDATE statements rather than one ORM object
    per row: a batch of 500 reminders costs seven statements instead of ~1,500.
    The claimed ``Reminder`` objects are read, never changed, and expire at the commit.
    """
    user_ids = list({r.user_id for r in reminders})
    channels = channels_for(user_ids, category)
    emails = dict(
        db.session.execute(
            sa.select(User.id, User.email).where(_among(User.id, user_ids), User.active.is_(True))
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
            texts[same] = (title, body, _mail_body(body, r.link))
        title, body, mail_body = texts[same]
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
                    "body": mail_body,
                    "status": MailStatus.queued,
                    "attempts": 0,
                    "created_at": now,
                }
            )
    note_ids = _insert_all(Notification, notes)
    badge.retire_after_commit(db.session, {n["user_id"] for n in notes})
    _mark_sent([r.id for r in reminders], dict(zip(noted, note_ids, strict=True)), now)
    _enqueue_mail_runs(_insert_all(EmailMessage, mails))


def _among(column, ids: list[int]):
    """``column IN ids``. On PostgreSQL one array parameter (``= ANY``) rather than one
    placeholder per id: a batch's statement stays small and the same for every batch.
    """
    if is_postgres(db.session):
        return column == sa.any_(sa.literal(ids, postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)


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


MAIL_RUN = 50


def _enqueue_mail_runs(ids: list[int]) -> None:
    """One ``send_emails`` task per run of mails, queued after commit."""
    from lms.notifications import tasks

    for start in range(0, len(ids), MAIL_RUN):
        enqueue_after_commit(db.session, tasks.send_emails, ids[start : start + MAIL_RUN])


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


# --- daily digest ----------------------------------------------------------------------------


def send_digests(now: datetime | None = None) -> int:
    """One mail per person whose digest hour it is, listing what waited; returns mails queued."""
    with text_locale():
        return _send_digests(now)


def _send_digests(now: datetime | None) -> int:
    from lms.timeutil import to_local

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
            lines.append(f"· [{_when(n.created_at)}] {n.title}")
            if n.link:
                lines.append(f"  {_absolute(n.link)}")
            n.digest_pending = False
        queue_email(
            user.email,
            _("工匠学堂每日通知摘要（%(count)d 条）", count=len(items)),
            _mail_body("\n".join(lines), "/notifications"),
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


def requeue_stale_mail(older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the mails still waiting after ``older_than`` (the broker was down, or a
    worker died before it took them). Sending is idempotent, so a duplicate task is harmless.
    """
    from lms.notifications import tasks

    cutoff = utcnow() - older_than
    ids = list(
        db.session.scalars(
            sa.select(EmailMessage.id)
            .where(EmailMessage.status == MailStatus.queued, EmailMessage.created_at < cutoff)
            .order_by(EmailMessage.id)
            .limit(5000)
        )
    )
    db.session.rollback()
    for message_id in ids:
        _delay_quietly(tasks.send_email, message_id)
    return len(ids)


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


def retry_mail(actor: User, message_id: int) -> EmailMessage:
    """An admin sends a failed mail again (after fixing the address or the server)."""
    from lms.notifications import tasks

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


# --- who to tell when a package gives only a person ------------------------------------------


def officers_for(user_id: int) -> list[int]:
    """The training officers nearest above a person: the deepest organization that has some."""
    user = db.session.get(User, user_id)
    if user is None:
        return []
    rows = db.session.execute(
        sa.select(User.id, Organization.path)
        .join(UserRole, UserRole.user_id == User.id)
        .join(Organization, Organization.id == User.organization_id)
        .where(UserRole.role == Role.officer, User.active.is_(True))
    ).all()
    above = [(uid, path) for uid, path in rows if user.organization.path.startswith(path)]
    if not above:
        return []
    deepest = max(len(path) for _uid, path in above)
    return sorted(uid for uid, path in above if len(path) == deepest)


# --- hooks for scans that need other packages' tables ----------------------------------------

#: Periodic scans other packages register (e.g. mentorship: "mentor with no log for N days").
#: Each is called by the beat task ``lms.notifications.tasks.run_scans`` with ``now`` and
#: should call ``schedule_reminders`` for what it finds (idempotent, so rerunning is safe).
_SCANS: list[Callable[[datetime], None]] = []


def register_scan(scan: Callable[[datetime], None]) -> None:
    if scan not in _SCANS:
        _SCANS.append(scan)


def run_scans(now: datetime | None = None) -> int:
    now = now or utcnow()
    for scan in list(_SCANS):
        scan(now)
        db.session.commit()
    return len(_SCANS)


def session_specs(starts_at: datetime, now: datetime | None = None) -> list[ReminderSpec]:
    """A class session's reminders: 24 hours and 1 hour before; both expire at the start.

    The 24-hour one is skipped when the session is scheduled less than an hour and a bit
    ahead (the 1-hour one says the same thing then).
    """
    now = now or utcnow()
    specs = [ReminderSpec("session_1h", starts_at - timedelta(hours=1), starts_at)]
    if starts_at - now > timedelta(hours=1, minutes=30):
        specs.insert(0, ReminderSpec("session_24h", starts_at - timedelta(hours=24), starts_at))
    return specs
