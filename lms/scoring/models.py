"""Panels, criteria, scorers, subjects, submissions, marks, spread resolutions and
the versions of marks changed after lock."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

MARK = sa.Numeric(8, 2)


class CriterionKind(enum.StrEnum):
    measurement = "measurement"  # full or zero, or one of the tolerance bands' marks
    judgement = "judgement"  # a level 0–3, each level described


JUDGEMENT_LEVELS = (0, 1, 2, 3)


class ScoringPanel(Base):
    __tablename__ = "scoring_panels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Judgement levels further apart than this are flagged for the chief.
    spread: Mapped[int] = mapped_column(default=1)
    # Five-scorer mode: the highest and the lowest mark of each criterion are dropped.
    drop_extremes: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[ScoringCriterion]] = relationship(
        back_populates="panel", order_by="ScoringCriterion.position"
    )
    scorers: Mapped[list[ScoringScorer]] = relationship(back_populates="panel")

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class ScoringCriterion(Base):
    __tablename__ = "scoring_criteria"
    __table_args__ = (
        sa.UniqueConstraint("panel_id", "code"),
        sa.CheckConstraint("kind IN ('measurement', 'judgement')", name="kind"),
        sa.CheckConstraint("max_mark > 0", name="max_mark_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_panels.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    max_mark: Mapped[Decimal] = mapped_column(MARK)
    position: Mapped[int] = mapped_column(default=0)
    # Measurement: allowed partial marks besides full and zero (tolerance bands), e.g. [1.5, 0.5].
    bands: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    # Judgement: a description for each of the levels 0, 1, 2, 3.
    levels: Mapped[list[Any] | None] = mapped_column(sa.JSON)

    panel: Mapped[ScoringPanel] = relationship(back_populates="criteria")


class ScoringScorer(Base):
    __tablename__ = "scoring_scorers"
    __table_args__ = (sa.UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_panels.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    is_chief: Mapped[bool] = mapped_column(default=False)

    panel: Mapped[ScoringPanel] = relationship(back_populates="scorers")


class ScoringSubject(Base):
    __tablename__ = "scoring_subjects"
    __table_args__ = (sa.UniqueConstraint("panel_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_panels.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(40))  # opaque: never a name


class ScoringSubmission(Base):
    __tablename__ = "scoring_submissions"
    # One scorer, one subject, one record: a double submit cannot make two.
    __table_args__ = (sa.UniqueConstraint("subject_id", "scorer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scoring_subjects.id", ondelete="CASCADE"), index=True
    )
    scorer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    marks: Mapped[list[ScoringMark]] = relationship(back_populates="submission")


class ScoringMark(Base):
    __tablename__ = "scoring_marks"
    __table_args__ = (sa.UniqueConstraint("submission_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scoring_submissions.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scoring_criteria.id", ondelete="CASCADE")
    )
    # Measurement: the mark; judgement: the level 0–3.
    value: Mapped[Decimal] = mapped_column(MARK)
    version: Mapped[int] = mapped_column(default=1)

    submission: Mapped[ScoringSubmission] = relationship(back_populates="marks")


class ScoringResolution(Base):
    """The chief's level for a judgement criterion whose marks were too far apart."""

    __tablename__ = "scoring_resolutions"
    __table_args__ = (sa.UniqueConstraint("subject_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scoring_subjects.id", ondelete="CASCADE")
    )
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("scoring_criteria.id", ondelete="CASCADE")
    )
    value: Mapped[Decimal] = mapped_column(MARK)
    chief_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(sa.String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoringMarkVersion(Base):
    """A mark changed after lock: before and after, why, who asked and who approved."""

    __tablename__ = "scoring_mark_versions"
    __table_args__ = (sa.UniqueConstraint("mark_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mark_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_marks.id", ondelete="CASCADE"))
    version: Mapped[int]
    before: Mapped[Decimal] = mapped_column(MARK)
    after: Mapped[Decimal] = mapped_column(MARK)
    reason: Mapped[str] = mapped_column(sa.String(500))
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
