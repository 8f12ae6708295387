"""Publicity (宣传): columns, stories about a person or a team with their photos and videos,
the person's consent, the review workflow, media coverage and the daily reach counters.

Every table here is changed through ``lms.publicity.services`` only.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow


class StoryStatus(enum.StrEnum):
    draft = "draft"
    review = "review"
    published = "published"
    withdrawn = "withdrawn"


class MediaKind(enum.StrEnum):
    image = "image"
    video = "video"


class Column(TimestampMixin, Base):
    """A column (专栏: 劳模风采, 工匠故事 …) that groups stories on the public pages."""

    __tablename__ = "publicity_columns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    description: Mapped[str | None] = mapped_column(sa.String(500))
    position: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Story(TimestampMixin, Base):
    """A story (先进事迹) about a person, or a team represented by one person, kept in the
    scope of the organization it was written for."""

    __tablename__ = "publicity_stories"
    __table_args__ = (
        sa.Index("ix_publicity_stories_status_published", "status", "published_at"),
        sa.CheckConstraint(
            "status != 'published' OR consent_at IS NOT NULL", name="published_with_consent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    column_id: Mapped[int] = mapped_column(
        sa.ForeignKey("publicity_columns.id", ondelete="RESTRICT"), index=True
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    # The person concerned: the story's subject, or the team's representative. They consent.
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    team_name: Mapped[str | None] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[StoryStatus] = mapped_column(
        enum_type(StoryStatus, "publicity_story_status"), default=StoryStatus.draft
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Consent is given to one version of the text: an edit takes it back.
    consent_at: Mapped[datetime | None]
    show_growth: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    review_note: Mapped[str | None] = mapped_column(sa.Text)
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    column: Mapped[Column] = relationship()
    organization: Mapped[Organization] = relationship()
    person: Mapped[User] = relationship(foreign_keys=[person_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    media: Mapped[list[StoryMedia]] = relationship(
        back_populates="story", order_by="StoryMedia.id", cascade="all, delete-orphan"
    )


class StoryMedia(Base):
    """A photo or video of a story, its bytes kept in ``lms.core.storage``."""

    __tablename__ = "publicity_story_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("publicity_stories.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MediaKind] = mapped_column(enum_type(MediaKind, "publicity_media_kind"))
    storage_key: Mapped[str] = mapped_column(sa.String(32))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    caption: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    story: Mapped[Story] = relationship(back_populates="media")


class StoryEvent(Base):
    """The story's history: each step of the workflow, with who and the notes."""

    __tablename__ = "publicity_story_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("publicity_stories.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


class StoryReach(Base):
    """Views of a published story on one local day: a count, nothing about who read it."""

    __tablename__ = "publicity_story_reach"
    __table_args__ = (sa.CheckConstraint("views >= 0", name="views_positive"),)

    story_id: Mapped[int] = mapped_column(
        sa.ForeignKey("publicity_stories.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    views: Mapped[int] = mapped_column(default=0)


report_people = sa.Table(
    "publicity_report_people",
    Base.metadata,
    sa.Column(
        "report_id",
        sa.ForeignKey("publicity_media_reports.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class MediaReport(TimestampMixin, Base):
    """A report about the union's people in outside media (媒体报道)."""

    __tablename__ = "publicity_media_reports"
    __table_args__ = (
        sa.CheckConstraint("link IS NOT NULL OR scan_key IS NOT NULL", name="link_or_scan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    outlet: Mapped[str] = mapped_column(sa.String(80))
    published_on: Mapped[date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    link: Mapped[str | None] = mapped_column(sa.String(500))
    scan_key: Mapped[str | None] = mapped_column(sa.String(32))
    scan_filename: Mapped[str | None] = mapped_column(sa.String(200))
    scan_content_type: Mapped[str | None] = mapped_column(sa.String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()
    people: Mapped[list[User]] = relationship(secondary=report_people, order_by="User.name")


class BookStatus(enum.StrEnum):
    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"


collection_stories = sa.Table(
    "publicity_collection_stories",
    Base.metadata,
    sa.Column(
        "collection_id",
        sa.ForeignKey("publicity_collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "story_id", sa.ForeignKey("publicity_stories.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("position", sa.Integer, nullable=False, default=0),
)


class Collection(TimestampMixin, Base):
    """A collection of published stories (报告文学集), made into a PDF and an EPUB on Celery."""

    __tablename__ = "publicity_collections"
    __table_args__ = (sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    subtitle: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[BookStatus] = mapped_column(
        enum_type(BookStatus, "publicity_book_status"), default=BookStatus.pending
    )
    progress: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.String(500))
    pdf_key: Mapped[str | None] = mapped_column(sa.String(32))
    epub_key: Mapped[str | None] = mapped_column(sa.String(32))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()
    stories: Mapped[list[Story]] = relationship(
        secondary=collection_stories, order_by=collection_stories.c.position
    )
