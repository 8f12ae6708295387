"""Innovation's panels and honours (split from ``models`` by size): the evaluation scorecard
and its evaluators with their declared conflicts, the five-smalls contest with its entries
and prizes, recommendations to higher-level awards, and the studios' annual appraisals.

Marks themselves live in the shared panel engine (``lms.scoring``): an evaluation and a
contest each own one scoring panel; nothing here stores a mark."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow
from lms.innovation.models import MONEY, Innovation, Studio

SCORE = sa.Numeric(8, 2)


class ScorecardCriterion(Base):
    """The configurable scorecard (empty table: the defaults in services). An evaluation or a
    contest copies it into its panel when it opens, so a later change never moves a score."""

    __tablename__ = "innovation_scorecard"
    __table_args__ = (sa.CheckConstraint("max_mark > 0", name="max_mark_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    title: Mapped[str] = mapped_column(sa.String(80))
    max_mark: Mapped[Decimal] = mapped_column(SCORE)
    position: Mapped[int] = mapped_column(default=0)


class EvaluationStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class Evaluation(Base):
    """The expert evaluation of one item: its panel in the scoring engine, and the total once
    the lead evaluator closes it."""

    __tablename__ = "innovation_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovations.id", ondelete="CASCADE"), unique=True
    )
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_panels.id", ondelete="RESTRICT"))
    status: Mapped[EvaluationStatus] = mapped_column(
        enum_type(EvaluationStatus, "evaluation_status"), default=EvaluationStatus.open
    )
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    total: Mapped[Decimal | None] = mapped_column(SCORE)
    # {criterion code: score} at closing, so pages need not ask the engine again
    scores: Mapped[dict | None] = mapped_column(sa.JSON)

    innovation: Mapped[Innovation] = relationship()
    evaluators: Mapped[list[Evaluator]] = relationship(
        back_populates="evaluation", order_by="Evaluator.id", cascade="all, delete-orphan"
    )


class Declaration(enum.StrEnum):
    pending = "pending"  # not declared yet: may not see the scoring form
    none = "none"  # no conflict: a scorer of the panel
    conflict = "conflict"  # recused, with the reason given


class Evaluator(Base):
    __tablename__ = "innovation_evaluators"
    __table_args__ = (sa.UniqueConstraint("evaluation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovation_evaluations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)
    declaration: Mapped[Declaration] = mapped_column(
        enum_type(Declaration, "evaluator_declaration"), default=Declaration.pending
    )
    conflict_reason: Mapped[str | None] = mapped_column(sa.String(500))
    declared_at: Mapped[datetime | None]

    evaluation: Mapped[Evaluation] = relationship(back_populates="evaluators")
    user: Mapped[User] = relationship()


# --- the five-smalls contest ----------------------------------------------------------------


class ContestStatus(enum.StrEnum):
    call = "call"  # the call for entries is open (until the deadline)
    defence = "defence"  # entries closed; the panel scores the on-site defence
    closed = "closed"  # scores locked, ranks and prizes computed


class Prize(enum.StrEnum):
    first = "first"
    second = "second"
    third = "third"


class SmallsContest(TimestampMixin, Base):
    """A five-smalls contest: a call for entries, an on-site defence scored by a panel (the
    scoring engine; its chief locks the marks) and prizes by rank."""

    __tablename__ = "innovation_contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    year: Mapped[int]
    call_text: Mapped[str | None] = mapped_column(sa.Text)
    entry_deadline: Mapped[datetime]
    defence_at: Mapped[datetime | None]
    defence_place: Mapped[str | None] = mapped_column(sa.String(200))
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_panels.id", ondelete="RESTRICT"))
    status: Mapped[ContestStatus] = mapped_column(
        enum_type(ContestStatus, "smalls_contest_status"), default=ContestStatus.call
    )
    # prizes: how many of each, and the money per entry
    first_count: Mapped[int] = mapped_column(default=1)
    second_count: Mapped[int] = mapped_column(default=2)
    third_count: Mapped[int] = mapped_column(default=3)
    first_money: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    second_money: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    third_money: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()
    entries: Mapped[list[ContestEntry]] = relationship(
        back_populates="contest", order_by="ContestEntry.id"
    )


class ContestEntry(Base):
    __tablename__ = "innovation_contest_entries"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "innovation_id"),
        sa.UniqueConstraint("contest_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovation_contests.id", ondelete="CASCADE")
    )
    innovation_id: Mapped[int] = mapped_column(sa.ForeignKey("innovations.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(16))  # the defence order number
    entered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
    total: Mapped[Decimal | None] = mapped_column(SCORE)
    rank: Mapped[int | None]
    prize: Mapped[Prize | None] = mapped_column(enum_type(Prize, "smalls_prize"))
    prize_money: Mapped[Decimal | None] = mapped_column(MONEY)

    contest: Mapped[SmallsContest] = relationship(back_populates="entries")
    innovation: Mapped[Innovation] = relationship()


# --- recommended upward ---------------------------------------------------------------------


class RecommendationKind(enum.StrEnum):
    item = "item"  # an adopted item or an innovation result of the platform
    method = "method"  # an advanced operation method (先进操作法), described here


class Outcome(enum.StrEnum):
    pending = "pending"
    won = "won"
    not_won = "not_won"


class Recommendation(TimestampMixin, Base):
    """An item or an advanced operation method recommended to a higher-level award; its
    outcome and prize money recorded once."""

    __tablename__ = "innovation_recommendations"
    __table_args__ = (
        sa.Index("ix_innovation_recommendations_author", "author_id"),
        sa.CheckConstraint("prize_money IS NULL OR prize_money >= 0", name="prize_money_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RecommendationKind] = mapped_column(
        enum_type(RecommendationKind, "recommendation_kind")
    )
    innovation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    studio_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("innovation_studios.id", ondelete="SET NULL"), index=True
    )
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    award: Mapped[str] = mapped_column(sa.String(120))  # e.g. 省十佳创新成果
    awarding_body: Mapped[str] = mapped_column(sa.String(120))
    year: Mapped[int]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    recommended_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[Outcome] = mapped_column(
        enum_type(Outcome, "recommendation_outcome"), default=Outcome.pending
    )
    outcome_level: Mapped[str | None] = mapped_column(sa.String(60))
    prize_money: Mapped[Decimal | None] = mapped_column(MONEY)
    outcome_at: Mapped[datetime | None]
    outcome_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    studio: Mapped[Studio | None] = relationship()
    organization: Mapped[Organization] = relationship()
    innovation: Mapped[Innovation | None] = relationship()


# --- studio lifecycle -----------------------------------------------------------------------


class StudioAppraisal(Base):
    """A studio's annual appraisal against its plan: the projects of the year are counted
    from its linked items, never typed."""

    __tablename__ = "innovation_studio_appraisals"
    __table_args__ = (sa.UniqueConstraint("studio_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovation_studios.id", ondelete="CASCADE")
    )
    year: Mapped[int]
    projects: Mapped[int]
    required: Mapped[int]
    passed: Mapped[bool]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    appraised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    appraised_at: Mapped[datetime] = mapped_column(default=utcnow)

    appraised_by: Mapped[User] = relationship()
