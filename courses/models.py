"""Courses, their ordered lectures, quizzes, enrollments and progress."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, SkillLevel, User
from lms.db import Base, TimestampMixin, enum_type, utcnow


class CourseStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"


class Visibility(enum.StrEnum):
    everyone = "everyone"  # the whole city: only the federation opens a course this wide
    organizations = "organizations"  # the chosen organizations and everything below them


class LectureKind(enum.StrEnum):
    video = "video"
    text = "text"
    file = "file"
    quiz = "quiz"
    live = "live"


class EnrollmentStatus(enum.StrEnum):
    enrolled = "enrolled"
    waitlisted = "waitlisted"
    completed = "completed"


course_organizations = sa.Table(
    "course_organizations",
    Base.metadata,
    sa.Column("course_id", sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "organization_id",
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

course_lecturers = sa.Table(
    "course_lecturers",
    Base.metadata,
    sa.Column("course_id", sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Course(TimestampMixin, Base):
    __tablename__ = "courses"
    __table_args__ = (
        # The last seat is protected by the database as well as by the service.
        sa.CheckConstraint(
            "capacity IS NULL OR seats_taken <= capacity", name="seats_within_capacity"
        ),
        sa.CheckConstraint("seats_taken >= 0", name="seats_not_negative"),
        sa.Index("ix_courses_status_published_at", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    cover_key: Mapped[str | None] = mapped_column(sa.String(32))
    trade: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    skill_level: Mapped[SkillLevel | None] = mapped_column(enum_type(SkillLevel, "skill_level"))
    hours: Mapped[float] = mapped_column(sa.Float, default=0)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # The chosen organizations' subtrees (the owner's when none is chosen) unless the
    # federation opened the course to the whole city (services.authoring decides).
    visibility: Mapped[Visibility] = mapped_column(
        enum_type(Visibility, "course_visibility"), default=Visibility.everyone
    )
    status: Mapped[CourseStatus] = mapped_column(
        enum_type(CourseStatus, "course_status"), default=CourseStatus.draft
    )
    self_enroll: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int | None]
    # Seated learners (enrolled or completed); also the "most enrolled" sort key.
    seats_taken: Mapped[int] = mapped_column(default=0, index=True)
    waitlisted: Mapped[int] = mapped_column(default=0)
    published_at: Mapped[datetime | None]
    # Optional completion criterion: the learner also finished this training class at or
    # above its attendance bar (told by the training package's ``class_completed`` signal).
    # A plain id, not a foreign key: training is a sibling package, not a dependency.
    linked_class_id: Mapped[int | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()
    lecturers: Mapped[list[User]] = relationship(secondary=course_lecturers, order_by=User.id)
    organizations: Mapped[list[Organization]] = relationship(secondary=course_organizations)
    lectures: Mapped[list[Lecture]] = relationship(
        back_populates="course", order_by="Lecture.position", cascade="all, delete-orphan"
    )

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)


class Lecture(TimestampMixin, Base):
    __tablename__ = "lectures"
    __table_args__ = (
        sa.Index("ix_lectures_course_id_position", "course_id", "position"),
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[LectureKind] = mapped_column(enum_type(LectureKind, "lecture_kind"))
    required: Mapped[bool] = mapped_column(default=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    video_url: Mapped[str | None] = mapped_column(sa.String(500))
    # An uploaded file: the video itself, an attachment, or a live lecture's recording.
    file_key: Mapped[str | None] = mapped_column(sa.String(32))
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    file_type: Mapped[str | None] = mapped_column(sa.String(100))
    file_size: Mapped[int | None]
    duration_seconds: Mapped[int | None]
    starts_at: Mapped[datetime | None]  # live lectures
    join_url: Mapped[str | None] = mapped_column(sa.String(500))
    pass_mark: Mapped[int] = mapped_column(default=60)  # percent, quizzes
    max_attempts: Mapped[int | None]

    course: Mapped[Course] = relationship(back_populates="lectures")
    questions: Mapped[list[Question]] = relationship(
        back_populates="lecture", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def has_media(self) -> bool:
        return bool(self.file_key or self.video_url)

    @property
    def completes_by_watching(self) -> bool:
        """A video of known length is done when watched (90%), not when someone says so.

        A video without a known length (an external link the player cannot measure) and
        a live session (attended, not played) may still be marked done by hand.
        """
        return self.kind == LectureKind.video and bool(self.duration_seconds)


class Question(Base):
    __tablename__ = "quiz_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lecture_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lectures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    multiple: Mapped[bool] = mapped_column(default=False)

    lecture: Mapped[Lecture] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question",
        order_by="Option.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class Option(Base):
    __tablename__ = "quiz_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(500))
    correct: Mapped[bool] = mapped_column(default=False)

    question: Mapped[Question] = relationship(back_populates="options")


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "course_id"),
        sa.Index("ix_enrollments_course_id_status_created_at", "course_id", "status", "created_at"),
        sa.CheckConstraint("progress_percent BETWEEN 0 AND 100", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (user_id, course_id) index serves lookups by user.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    status: Mapped[EnrollmentStatus] = mapped_column(
        enum_type(EnrollmentStatus, "enrollment_status")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seated_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    assigned_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    progress_percent: Mapped[int] = mapped_column(default=0)
    last_lecture_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lectures.id", ondelete="SET NULL")
    )
    last_active_at: Mapped[datetime | None]
    class_attended: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])


class LectureProgress(Base):
    __tablename__ = "lecture_progress"
    __table_args__ = (sa.UniqueConstraint("enrollment_id", "lecture_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id", ondelete="CASCADE"))
    lecture_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lectures.id", ondelete="CASCADE"), index=True
    )
    position_seconds: Mapped[int] = mapped_column(default=0)
    # Seconds of the recording watched, counted on the server save by save (see
    # courses/services/progress.py); a video completes when this reaches 90% of its length.
    watched_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    completed: Mapped[bool] = mapped_column(default=False)
    completed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        # Two submissions racing for the last attempt cannot both get the same number.
        sa.UniqueConstraint("enrollment_id", "lecture_id", "number"),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id", ondelete="CASCADE"))
    lecture_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lectures.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    score: Mapped[int]
    passed: Mapped[bool]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAnswer(Base):
    """One option a learner ticked in an attempt."""

    __tablename__ = "quiz_answers"

    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_options.id", ondelete="CASCADE"), primary_key=True, index=True
    )
