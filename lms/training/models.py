"""Training classes, their sessions, rosters, attendance and what follows from them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow


class RegistrationMode(enum.StrEnum):
    assigned = "assigned"  # the officer fills the roster
    open = "open"  # workers register themselves until the deadline


class SessionStatus(enum.StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class RosterStatus(enum.StrEnum):
    seated = "seated"
    waitlisted = "waitlisted"
    withdrawn = "withdrawn"


class AttendanceStatus(enum.StrEnum):
    present = "present"
    late = "late"
    excused = "excused"
    absent = "absent"


class CheckinMethod(enum.StrEnum):
    qr = "qr"
    code = "code"
    manual = "manual"
    auto = "auto"  # marked absent by the end-of-session task


class ExcuseStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class_instructors = sa.Table(
    "training_class_instructors",
    Base.metadata,
    sa.Column(
        "class_id", sa.ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingClass(TimestampMixin, Base):
    __tablename__ = "training_classes"
    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint(
            "completion_rate >= 0 AND completion_rate <= 1", name="completion_rate_range"
        ),
        sa.CheckConstraint(
            "low_attendance_rate >= 0 AND low_attendance_rate <= 1", name="low_rate_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    officer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    capacity: Mapped[int | None]
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    registration_mode: Mapped[RegistrationMode] = mapped_column(
        enum_type(RegistrationMode, "registration_mode"), default=RegistrationMode.assigned
    )
    # Until when workers may register themselves (open mode) and withdraw (both modes).
    registration_deadline: Mapped[datetime | None]
    # Open classes are seen and joined by the organization's subtree; the federation may
    # open one to the whole city.
    city_wide: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    late_threshold_minutes: Mapped[int] = mapped_column(default=10)
    # Check-in is open from this many minutes before the start until as many after it.
    checkin_window_minutes: Mapped[int] = mapped_column(default=30)
    # Networks (CIDR, one per line) check-in is accepted from; empty: anywhere.
    checkin_networks: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # How long a QR code is accepted, if shorter than the site's; None: the site's.
    qr_window_seconds: Mapped[int | None]
    completion_rate: Mapped[float] = mapped_column(default=0.8)
    low_attendance_rate: Mapped[float] = mapped_column(default=0.8)
    low_attendance_min_sessions: Mapped[int] = mapped_column(default=3)
    # Secret for the class's calendar feed.
    feed_token: Mapped[str] = mapped_column(sa.String(43), unique=True)
    completed_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship(lazy="joined", innerjoin=True)
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    instructors: Mapped[list[User]] = relationship(secondary=class_instructors, order_by=User.id)
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class",
        order_by="ClassSession.starts_at",
        cascade="all, delete-orphan",
    )


class ClassSession(TimestampMixin, Base):
    __tablename__ = "training_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_training_sessions_class_start", "class_id", "starts_at"),
        sa.Index("ix_training_sessions_instructor_start", "instructor_id", "starts_at"),
        sa.Index("ix_training_sessions_room_start", "room", "starts_at"),
        sa.Index("ix_training_sessions_status_end", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str] = mapped_column(sa.String(120), default="")
    instructor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, "session_status"), default=SessionStatus.scheduled
    )
    cancel_reason: Mapped[str] = mapped_column(sa.String(255), default="")
    # Sessions created together by one recurrence share a series id.
    series_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    # iCalendar SEQUENCE: bumped on every change a calendar must show.
    sequence: Mapped[int] = mapped_column(default=0)
    # Set once the end-of-session task has marked the unmarked absent.
    closed_at: Mapped[datetime | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")
    instructor: Mapped[User | None] = relationship()

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class RosterEntry(TimestampMixin, Base):
    __tablename__ = "training_roster"
    __table_args__ = (
        sa.UniqueConstraint("class_id", "user_id"),
        sa.Index("ix_training_roster_class_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RosterStatus] = mapped_column(enum_type(RosterStatus, "roster_status"))
    waitlist_position: Mapped[int | None]
    waitlisted_at: Mapped[datetime | None]
    seated_at: Mapped[datetime | None]
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    training_class: Mapped[TrainingClass] = relationship()


class Attendance(Base):
    __tablename__ = "training_attendance"
    __table_args__ = (
        # One row per session and person: 200 simultaneous check-ins make exactly one.
        sa.UniqueConstraint("session_id", "user_id"),
        # Reports count marks per session and status from this index alone.
        sa.Index("ix_training_attendance_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status")
    )
    checked_in_at: Mapped[datetime | None]
    method: Mapped[CheckinMethod] = mapped_column(enum_type(CheckinMethod, "checkin_method"))
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(255), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    session: Mapped[ClassSession] = relationship()


class ExcuseRequest(TimestampMixin, Base):
    __tablename__ = "training_excuses"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[ExcuseStatus] = mapped_column(
        enum_type(ExcuseStatus, "excuse_status"), default=ExcuseStatus.pending, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    session: Mapped[ClassSession] = relationship(lazy="joined", innerjoin=True)


class AttendanceWarning(Base):
    """A worker fell below the class's attendance threshold; recorded once per class."""

    __tablename__ = "training_attendance_warnings"
    __table_args__ = (sa.UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rate: Mapped[float]
    sessions_held: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    training_class: Mapped[TrainingClass] = relationship(lazy="joined", innerjoin=True)


class ClassCompletion(Base):
    """A worker finished a class at or above its attendance bar; recorded once."""

    __tablename__ = "training_completions"
    __table_args__ = (sa.UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rate: Mapped[float]
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarToken(Base):
    """The secret in a person's calendar feed URL; kept apart from the users table."""

    __tablename__ = "training_calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(43), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
