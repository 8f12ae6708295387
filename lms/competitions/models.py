"""Contests, trades (events), quotas, officials' assignments and contestants."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin


class Official(enum.StrEnum):
    judge = "judge"
    chief_judge = "chief_judge"
    supervisor = "supervisor"


class Title(enum.StrEnum):
    chief_technician = "chief_technician"  # 首席技工
    technical_expert = "technical_expert"  # 技术能手


class Contest(TimestampMixin, Base):
    __tablename__ = "competition_contests"
    __table_args__ = (
        sa.CheckConstraint("theory_weight >= 0 AND theory_weight <= 1", name="theory_weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[str] = mapped_column(sa.String(20), default="city")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    starts_at: Mapped[datetime | None]
    registration_opens_at: Mapped[datetime]
    registration_closes_at: Mapped[datetime]
    # Total = theory × w + practical × (1 − w); 3:7 by default.
    theory_weight: Mapped[Decimal] = mapped_column(sa.Numeric(4, 3), default=Decimal("0.3"))
    chief_technician_places: Mapped[int] = mapped_column(default=0)
    technical_expert_places: Mapped[int] = mapped_column(default=0)
    revealed_at: Mapped[datetime | None]
    revealed_by_chief_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revealed_by_supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    released_at: Mapped[datetime | None]
    # Titles are conferred once the public notice (公示) after release has run this long.
    notice_days: Mapped[int] = mapped_column(default=7, server_default="7")
    titles_conferred_at: Mapped[datetime | None]
    # A contestant may appeal this many hours after the results are shown (released).
    appeal_hours: Mapped[int] = mapped_column(default=2, server_default="2")

    organization: Mapped[Organization] = relationship(foreign_keys=[organization_id])
    trades: Mapped[list[Trade]] = relationship(back_populates="contest", order_by="Trade.id")


class Trade(Base):
    """An event of a contest (one trade), with its eligibility and its scoring panel."""

    __tablename__ = "competition_trades"
    __table_args__ = (sa.UniqueConstraint("contest_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contests.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(sa.String(64))
    # Eligibility: the person's trade (None: any), skill levels (None: any), age bounds.
    person_trade: Mapped[str | None] = mapped_column(sa.String(64))
    skill_levels: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    panel_id: Mapped[int] = mapped_column(sa.ForeignKey("scoring_panels.id", ondelete="RESTRICT"))

    contest: Mapped[Contest] = relationship(back_populates="trades")


class Quota(Base):
    __tablename__ = "competition_quotas"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "organization_id"),
        sa.CheckConstraint("places >= 0", name="places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contests.id", ondelete="CASCADE")
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    places: Mapped[int]
    used: Mapped[int] = mapped_column(default=0)


class Assignment(Base):
    """A judge, chief judge or supervisor of one trade of a contest (a row, not a role)."""

    __tablename__ = "competition_assignments"
    __table_args__ = (
        sa.UniqueConstraint("trade_id", "user_id"),
        sa.CheckConstraint("official IN ('judge', 'chief_judge', 'supervisor')", name="official"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_trades.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    official: Mapped[str] = mapped_column(sa.String(16))
    # Declared conflicts of interest (shown in the allocation report).
    conflicts: Mapped[str] = mapped_column(sa.String(255), default="")

    user: Mapped[User] = relationship()


class Contestant(TimestampMixin, Base):
    __tablename__ = "competition_contestants"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "user_id"),
        sa.UniqueConstraint("contest_id", "number"),
        sa.UniqueConstraint("marking_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contests.id", ondelete="CASCADE"), index=True
    )
    trade_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_trades.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT")
    )
    number: Mapped[int]  # shown on the contestant's bib
    marking_code: Mapped[str] = mapped_column(sa.String(12))  # the only thing judges see
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    theory_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    trade: Mapped[Trade] = relationship()


# --- labour competitions (劳动竞赛) ----------------------------------------------------------


class LabourCompetition(TimestampMixin, Base):
    __tablename__ = "labour_competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))


class LabourIndicator(Base):
    __tablename__ = "labour_indicators"
    __table_args__ = (sa.CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("labour_competitions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    weight: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    higher_is_better: Mapped[bool] = mapped_column(default=True)


class LabourEntrant(Base):
    """A team (name and head count) or one person."""

    __tablename__ = "labour_entrants"
    __table_args__ = (
        sa.CheckConstraint("(team IS NULL) <> (user_id IS NULL)", name="team_or_person"),
        sa.CheckConstraint("members >= 1", name="members"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("labour_competitions.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[str | None] = mapped_column(sa.String(120))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    members: Mapped[int] = mapped_column(default=1)


class LabourResult(Base):
    __tablename__ = "labour_results"
    __table_args__ = (sa.UniqueConstraint("entrant_id", "indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entrant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("labour_entrants.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("labour_indicators.id", ondelete="CASCADE")
    )
    period: Mapped[str] = mapped_column(sa.String(16))
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
