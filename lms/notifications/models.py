"""Notifications: in-app messages, the reminder outbox, preferences and the mail outbox."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import Base, enum_type, utcnow


class Category(enum.StrEnum):
    """What a notification is about; preferences are chosen per category."""

    class_session = "class_session"
    lecture = "lecture"
    course = "course"
    mentorship = "mentorship"
    attendance = "attendance"
    certificate = "certificate"
    system = "system"


class ReminderStatus(enum.StrEnum):
    pending = "pending"
    sent = "sent"
    withdrawn = "withdrawn"
    dropped = "dropped"  # its moment passed before it could be sent
    failed = "failed"


class Cadence(enum.StrEnum):
    immediate = "immediate"
    digest = "digest"


class MailStatus(enum.StrEnum):
    queued = "queued"
    sent = "sent"
    failed = "failed"


class Notification(Base):
    """One message in a person's notification centre."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_unread", "user_id", "read_at"),
        sa.Index("ix_notifications_user_created", "user_id", "created_at"),
        # ``notify(..., key=...)``: one notification per person and key, however often the
        # signal behind it fires.
        sa.Index("uq_notifications_user_key", "user_id", "key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[Category] = mapped_column(enum_type(Category, "notification_category"))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500))
    key: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Waiting for the person's daily digest mail (they chose digest for this category).
    digest_pending: Mapped[bool] = mapped_column(default=False, index=True)

    user: Mapped[User] = relationship()


class Reminder(Base):
    """The outbox of reminders: written when something is scheduled, sent when due.

    One row per person, subject and kind, so a reminder exists exactly once however
    often its signal fires. A reminder whose moment has passed (``expires_at``) is
    dropped, never sent late.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "subject_type", "subject_id", "kind"),
        sa.Index("ix_reminders_due", "status", "due_at"),
        sa.Index("ix_reminders_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    category: Mapped[Category] = mapped_column(enum_type(Category, "notification_category"))
    subject_type: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int]
    # What the reminder is about, as shown to the person (title, place, time, link).
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    detail: Mapped[str] = mapped_column(sa.String(255), default="")
    event_at: Mapped[datetime | None]
    link: Mapped[str | None] = mapped_column(sa.String(500))
    due_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    status: Mapped[ReminderStatus] = mapped_column(
        enum_type(ReminderStatus, "reminder_status"), default=ReminderStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notifications.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship()


class Preference(Base):
    """How one person wants one category: channels and cadence. No row: the defaults."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "category"),
        sa.CheckConstraint("digest_hour BETWEEN 0 AND 23", name="digest_hour_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[Category] = mapped_column(enum_type(Category, "notification_category"))
    in_app: Mapped[bool] = mapped_column(default=True)
    email: Mapped[bool] = mapped_column(default=True)
    cadence: Mapped[Cadence] = mapped_column(
        enum_type(Cadence, "notification_cadence"), default=Cadence.immediate
    )
    digest_hour: Mapped[int] = mapped_column(default=18)


class CategoryLock(Base):
    """A category an admin has locked on: everyone gets it in the app and by mail."""

    __tablename__ = "notification_category_locks"

    category: Mapped[Category] = mapped_column(
        enum_type(Category, "notification_category"), primary_key=True
    )
    locked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    locked_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailMessage(Base):
    """The mail outbox: written in the transaction that caused the mail, sent after commit.

    ``key`` makes a mail idempotent (``reminder:42``, ``digest:7:2026-11-26``): a retried
    task or a repeated signal finds the row and never sends a second copy.
    """

    __tablename__ = "email_messages"
    __table_args__ = (sa.Index("ix_email_messages_status", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MailStatus] = mapped_column(
        enum_type(MailStatus, "mail_status"), default=MailStatus.queued
    )
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    # Embedded mode: the .eml file the mail was written to, relative to the mail folder.
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
