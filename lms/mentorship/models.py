"""Master–apprentice mentoring (传帮带): programmes, pairings, goals, logs and their history."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow


class MentorshipStatus(enum.StrEnum):
    proposed = "proposed"
    active = "active"
    paused = "paused"
    completed = "completed"
    cancelled = "cancelled"


#: Statuses that hold a mentor's place and the apprentice's one pairing per programme.
OPEN_STATUSES = (MentorshipStatus.proposed, MentorshipStatus.active, MentorshipStatus.paused)


class GoalStatus(enum.StrEnum):
    open = "open"
    in_progress = "in_progress"
    achieved = "achieved"
    dropped = "dropped"


class LogKind(enum.StrEnum):
    on_the_job = "on_the_job"
    demonstration = "demonstration"
    practice = "practice"
    assessment = "assessment"


class LogStatus(enum.StrEnum):
    submitted = "submitted"
    confirmed = "confirmed"
    disputed = "disputed"
    resolved = "resolved"


class Resolution(enum.StrEnum):
    upheld = "upheld"  # the officer found the session took place: its minutes count
    rejected = "rejected"  # it did not: its minutes do not count


class Programme(TimestampMixin, Base):
    """An optional grouping of pairings, e.g. a year's 传帮带 drive in one enterprise."""

    __tablename__ = "mentorship_programmes"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)

    organization: Mapped[Organization] = relationship()


class MentorProfile(Base):
    """A mentor's capacity: how many apprentices they may take at once.

    The row is also the lock taken while a pairing is added, so two pairings made at
    the same moment cannot both take the last place.
    """

    __tablename__ = "mentor_profiles"
    __table_args__ = (sa.CheckConstraint("capacity BETWEEN 0 AND 20", name="capacity_range"),)

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    capacity: Mapped[int] = mapped_column(default=3)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Mentorship(TimestampMixin, Base):
    __tablename__ = "mentorships"
    __table_args__ = (
        sa.CheckConstraint("mentor_id <> apprentice_id", name="not_self"),
        sa.CheckConstraint("planned_end > start_date", name="end_after_start"),
        sa.CheckConstraint("confirmed_minutes >= 0", name="minutes_not_negative"),
        # An apprentice has at most one open pairing per programme (0 = no programme).
        sa.Index(
            "uq_mentorships_apprentice_open",
            "apprentice_id",
            "programme_key",
            unique=True,
            postgresql_where=sa.text("status IN ('proposed', 'active', 'paused')"),
            sqlite_where=sa.text("status IN ('proposed', 'active', 'paused')"),
        ),
        sa.Index("ix_mentorships_mentor_status", "mentor_id", "status"),
        sa.Index("ix_mentorships_apprentice_id", "apprentice_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    apprentice_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentorship_programmes.id", ondelete="RESTRICT"), index=True
    )
    programme_key: Mapped[int] = mapped_column(default=0)
    # The apprentice's organization when paired: officers see pairings in their subtree.
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[MentorshipStatus] = mapped_column(
        enum_type(MentorshipStatus, "mentorship_status"),
        default=MentorshipStatus.proposed,
        index=True,
    )
    requested_by_apprentice: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date]
    planned_end: Mapped[date]
    agreement: Mapped[str] = mapped_column(sa.Text)
    mentor_signed_at: Mapped[datetime | None]
    apprentice_signed_at: Mapped[datetime | None]
    final_assessment: Mapped[str | None] = mapped_column(sa.Text)
    assessed_at: Mapped[datetime | None]
    early_graduation: Mapped[bool] = mapped_column(default=False)
    graduation_approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    graduation_approved_at: Mapped[datetime | None]
    # Kept in step with confirmed and upheld logs, so lists and totals never sum the logs.
    confirmed_minutes: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    apprentice: Mapped[User] = relationship(foreign_keys=[apprentice_id])
    programme: Mapped[Programme | None] = relationship()
    organization: Mapped[Organization] = relationship()
    graduation_approved_by: Mapped[User | None] = relationship(
        foreign_keys=[graduation_approved_by_id]
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="mentorship", order_by="Goal.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[MentorshipEvent]] = relationship(
        back_populates="mentorship", order_by="MentorshipEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def fully_signed(self) -> bool:
        return self.mentor_signed_at is not None and self.apprentice_signed_at is not None

    @property
    def confirmed_hours(self) -> float:
        return round(self.confirmed_minutes / 60, 1)


class MentorshipEvent(Base):
    """One step of a pairing's life: who moved it, when, from which status to which."""

    __tablename__ = "mentorship_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[MentorshipStatus | None] = mapped_column(
        enum_type(MentorshipStatus, "mentorship_event_from")
    )
    to_status: Mapped[MentorshipStatus] = mapped_column(
        enum_type(MentorshipStatus, "mentorship_event_to")
    )
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Goal(TimestampMixin, Base):
    __tablename__ = "mentorship_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentorships.id", ondelete="CASCADE"), index=True
    )
    skill: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str | None] = mapped_column(sa.Text)
    target_date: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(
        enum_type(GoalStatus, "goal_status"), default=GoalStatus.open
    )
    achieved_at: Mapped[datetime | None]

    mentorship: Mapped[Mentorship] = relationship(back_populates="goals")


class MentorLog(Base):
    """One mentoring session, written by the mentor, confirmed (or disputed) by the apprentice."""

    __tablename__ = "mentor_logs"
    __table_args__ = (
        sa.CheckConstraint("minutes BETWEEN 1 AND 720", name="minutes_range"),
        # A double tap on a phone sends the same form twice: the second is the same log.
        sa.UniqueConstraint("mentorship_id", "client_token"),
        sa.Index("ix_mentor_logs_mentorship_date", "mentorship_id", "session_date"),
        sa.Index("ix_mentor_logs_mentor_status", "mentor_id", "status"),
        # Disputes are few among many logs; officers look them up all the time.
        sa.Index(
            "ix_mentor_logs_disputed",
            "mentorship_id",
            postgresql_where=sa.text("status = 'disputed'"),
            sqlite_where=sa.text("status = 'disputed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(sa.ForeignKey("mentorships.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    session_date: Mapped[date]
    minutes: Mapped[int]
    kind: Mapped[LogKind] = mapped_column(enum_type(LogKind, "mentor_log_kind"))
    topic: Mapped[str] = mapped_column(sa.String(120))
    skills: Mapped[str | None] = mapped_column(sa.String(255))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[LogStatus] = mapped_column(
        enum_type(LogStatus, "mentor_log_status"), default=LogStatus.submitted
    )
    client_token: Mapped[str | None] = mapped_column(sa.String(64))
    dispute_reason: Mapped[str | None] = mapped_column(sa.String(500))
    disputed_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    resolution: Mapped[Resolution | None] = mapped_column(enum_type(Resolution, "log_resolution"))
    resolution_note: Mapped[str | None] = mapped_column(sa.String(500))
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentorship: Mapped[Mentorship] = relationship()
    attachments: Mapped[list[LogAttachment]] = relationship(
        back_populates="log", cascade="all, delete-orphan", order_by="LogAttachment.id"
    )

    @property
    def counts(self) -> bool:
        return self.status == LogStatus.confirmed or (
            self.status == LogStatus.resolved and self.resolution == Resolution.upheld
        )


class LogAttachment(Base):
    """A photo or file kept with a log; stored under an opaque random name."""

    __tablename__ = "mentor_log_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentor_logs.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    log: Mapped[MentorLog] = relationship(back_populates="attachments")
