"""The contest rules' records: titles conferred (awards), versioned marking schemes and
their aspects, changes after lock waiting for the supervisor, and appeals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.competitions.models import Contestant
from lms.db import Base, utcnow

MARK = sa.Numeric(8, 2)


class Award(Base):
    """A title conferred on a contestant after the public notice: one per contestant."""

    __tablename__ = "competition_awards"
    __table_args__ = (
        sa.CheckConstraint("title IN ('chief_technician', 'technical_expert')", name="title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contests.id", ondelete="CASCADE"), index=True
    )
    contestant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contestants.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(20))
    rank: Mapped[int]
    total: Mapped[Decimal] = mapped_column(MARK)
    honor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("honors.id", ondelete="SET NULL"))
    conferred_at: Mapped[datetime] = mapped_column(default=utcnow)
    conferred_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    contestant: Mapped[Contestant] = relationship()


class Scheme(Base):
    """A version of a trade's marking scheme (评分标准). Before the contest starts the
    latest version is edited and published; after, each edit is a new version, published at
    once, with a reason signed by the chief judge. Every version is kept."""

    __tablename__ = "competition_schemes"
    __table_args__ = (sa.UniqueConstraint("trade_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_trades.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    published_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    aspects: Mapped[list[SchemeAspect]] = relationship(
        order_by="SchemeAspect.position", cascade="all, delete-orphan"
    )

    @property
    def total(self) -> Decimal:
        return sum((a.max_mark for a in self.aspects), Decimal("0"))


class SchemeAspect(Base):
    """One aspect: measurement (full marks or zero, or tolerance bands) or judgement (a
    level 0–3, each described), with its marks."""

    __tablename__ = "competition_scheme_aspects"
    __table_args__ = (
        sa.UniqueConstraint("scheme_id", "code"),
        sa.CheckConstraint("kind IN ('measurement', 'judgement')", name="kind"),
        sa.CheckConstraint("max_mark > 0", name="max_mark_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_schemes.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(16))
    max_mark: Mapped[Decimal] = mapped_column(MARK)
    bands: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    levels: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    position: Mapped[int] = mapped_column(default=0)

    def spec(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "max_mark": self.max_mark,
            "bands": self.bands,
            "levels": self.levels,
        }


class MarkChange(Base):
    """A change to a locked mark: a judge or the chief judge asks with a reason, the
    supervisor approves (the mark gets a new audited version) or rejects."""

    __tablename__ = "competition_mark_changes"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_trades.id", ondelete="CASCADE"), index=True
    )
    marking_code: Mapped[str] = mapped_column(sa.String(12))
    scorer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    criterion_code: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[Decimal] = mapped_column(MARK)
    after: Mapped[Decimal] = mapped_column(MARK)
    reason: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("scoring_mark_versions.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Arbitrator(Base):
    """A member of a contest's arbitration group (仲裁组), named by the organizer. The
    contest's supervisors arbitrate too, without a row."""

    __tablename__ = "competition_arbitrators"
    __table_args__ = (sa.UniqueConstraint("contest_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contests.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))


class Appeal(Base):
    """A contestant's appeal against their module's results: one per contestant, filed in
    the window after the results are shown, decided once by the arbitration group."""

    __tablename__ = "competition_appeals"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'upheld', 'dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contestant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contestants.id", ondelete="CASCADE"), unique=True
    )
    trade_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_trades.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decision: Mapped[str] = mapped_column(sa.Text, default="")
    # How many marks the re-mark changed (each a new audited version in the scoring engine).
    remarked: Mapped[int] = mapped_column(default=0)

    contestant: Mapped[Contestant] = relationship()
