"""Innovation (创新): suggestions, the five smalls and technical innovations with their team,
attachments, supporters, review, benefit and reward; innovation studios with members and a
funding ledger; the finance duty and the reward grade table."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow

MONEY = sa.Numeric(14, 2)


class InnovationKind(enum.StrEnum):
    suggestion = "suggestion"  # 合理化建议
    small_invention = "small_invention"  # 小发明
    small_innovation = "small_innovation"  # 小创造
    small_modification = "small_modification"  # 小革新
    small_design = "small_design"  # 小设计
    small_suggestion = "small_suggestion"  # 小建议
    technical = "technical"  # 技术革新


class Stage(enum.StrEnum):
    opinion = "opinion"  # no method given: filed as an opinion, not reviewed
    review = "review"  # waiting for the unit's answer
    adopted = "adopted"
    trial = "trial"  # adopted for trial
    not_adopted = "not_adopted"
    merged = "merged"  # a duplicate, merged into an earlier item


DECISIONS = (Stage.adopted, Stage.trial, Stage.not_adopted)


class Innovation(TimestampMixin, Base):
    """One item from submission to benefit. ``version`` grows with every decision, so two
    reviewers deciding at once cannot both win (a conditional UPDATE on it)."""

    __tablename__ = "innovations"
    __table_args__ = (
        sa.Index("ix_innovations_org_stage", "organization_id", "stage"),
        sa.Index("ix_innovations_stage_due", "stage", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InnovationKind] = mapped_column(enum_type(InnovationKind, "innovation_kind"))
    title: Mapped[str] = mapped_column(sa.String(120))
    problem: Mapped[str] = mapped_column(sa.Text)
    method: Mapped[str | None] = mapped_column(sa.Text)
    expected_benefit: Mapped[str | None] = mapped_column(sa.Text)
    major: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    studio_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("innovation_studios.id", ondelete="SET NULL"), index=True
    )
    stage: Mapped[Stage] = mapped_column(enum_type(Stage, "innovation_stage"), default=Stage.review)
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]  # when the overdue item was escalated (once)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("innovations.id"))
    supporters_count: Mapped[int] = mapped_column(default=0)
    # implementation and benefit (annual net benefit, yuan)
    target_benefit: Mapped[Decimal | None] = mapped_column(MONEY)
    forecast_benefit: Mapped[Decimal | None] = mapped_column(MONEY)
    actual_benefit: Mapped[Decimal | None] = mapped_column(MONEY)
    benefit_formula: Mapped[str | None] = mapped_column(sa.Text)
    benefit_verified_at: Mapped[datetime | None]
    benefit_verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    organization: Mapped[Organization] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    benefit_verified_by: Mapped[User | None] = relationship(foreign_keys=[benefit_verified_by_id])
    merged_into: Mapped[Innovation | None] = relationship(remote_side=[id])
    studio: Mapped[Studio | None] = relationship(back_populates="innovations")
    members: Mapped[list[InnovationMember]] = relationship(
        back_populates="innovation", cascade="all, delete-orphan", order_by="InnovationMember.id"
    )
    attachments: Mapped[list[InnovationAttachment]] = relationship(
        back_populates="innovation", cascade="all, delete-orphan"
    )
    rewards: Mapped[list[RewardLine]] = relationship(back_populates="innovation")

    @property
    def answered(self) -> bool:
        return self.stage in (*DECISIONS, Stage.merged)


class InnovationMember(Base):
    """A person of the team and their share of the contribution (percent, sums to 100)."""

    __tablename__ = "innovation_members"
    __table_args__ = (
        sa.UniqueConstraint("innovation_id", "user_id"),
        sa.CheckConstraint("share > 0 AND share <= 100", name="share_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(sa.ForeignKey("innovations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    share: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))

    innovation: Mapped[Innovation] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class InnovationAttachment(Base):
    __tablename__ = "innovation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(sa.String(32))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(80))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    innovation: Mapped[Innovation] = relationship(back_populates="attachments")


class InnovationSupporter(Base):
    """One person supporting one item, once: merging moves rows to the original without
    counting anyone twice (the unique constraint decides)."""

    __tablename__ = "innovation_supporters"
    __table_args__ = (sa.UniqueConstraint("innovation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FinanceDuty(Base):
    """An officer holding the finance duty for an organization's subtree: only they verify
    benefits there (an assignment row, not a global role)."""

    __tablename__ = "innovation_finance_duties"
    __table_args__ = (sa.UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    organization: Mapped[Organization] = relationship()


class RewardGrade(Base):
    """The configurable grade table: a verified annual benefit of at least ``min_benefit``
    earns ``amount`` (the highest grade reached). Empty table: the defaults in services."""

    __tablename__ = "innovation_reward_grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    min_benefit: Mapped[Decimal] = mapped_column(MONEY)
    amount: Mapped[Decimal] = mapped_column(MONEY)


class RewardLine(Base):
    """One person's reward for one item, their team share applied. Written once per item."""

    __tablename__ = "innovation_rewards"
    __table_args__ = (sa.UniqueConstraint("innovation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(sa.ForeignKey("innovations.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    grade: Mapped[int]
    grade_name: Mapped[str] = mapped_column(sa.String(40))
    share: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    computed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    innovation: Mapped[Innovation] = relationship(back_populates="rewards")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


# --- studios --------------------------------------------------------------------------------


class StudioStatus(enum.StrEnum):
    applied = "applied"
    named = "named"
    rejected = "rejected"
    revoked = "revoked"


class StudioLevel(enum.StrEnum):
    city = "city"
    enterprise = "enterprise"


class Studio(TimestampMixin, Base):
    """An innovation studio (劳模和工匠人才创新工作室). ``balance`` is the ledger's running
    total, kept on the row so a spending checks and moves it in one conditional UPDATE."""

    __tablename__ = "innovation_studios"
    __table_args__ = (sa.CheckConstraint("balance >= 0", name="balance_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    trade: Mapped[str | None] = mapped_column(sa.String(64))
    level: Mapped[StudioLevel] = mapped_column(enum_type(StudioLevel, "studio_level"))
    year: Mapped[int]
    plan: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[StudioStatus] = mapped_column(
        enum_type(StudioStatus, "studio_status"), default=StudioStatus.applied
    )
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    balance: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    # named or last reconfirmed: a reconfirmation is due a set number of years after it
    confirmed_at: Mapped[datetime | None]

    lead: Mapped[User] = relationship(foreign_keys=[lead_id])
    organization: Mapped[Organization] = relationship()
    members: Mapped[list[StudioMember]] = relationship(
        back_populates="studio", cascade="all, delete-orphan", order_by="StudioMember.id"
    )
    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="studio", order_by="LedgerEntry.id"
    )
    innovations: Mapped[list[Innovation]] = relationship(back_populates="studio")


class StudioMember(Base):
    __tablename__ = "innovation_studio_members"
    __table_args__ = (sa.UniqueConstraint("studio_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(
        sa.ForeignKey("innovation_studios.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)

    studio: Mapped[Studio] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class EntryKind(enum.StrEnum):
    grant = "grant"
    spending = "spending"


class LedgerEntry(Base):
    """A grant (positive) or a spending (negative amount). Never updated or deleted: a
    correction is a new entry that refers to the one it corrects."""

    __tablename__ = "innovation_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    studio_id: Mapped[int] = mapped_column(sa.ForeignKey("innovation_studios.id"), index=True)
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind, "ledger_kind"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    description: Mapped[str] = mapped_column(sa.String(200))
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("innovation_ledger.id"))
    balance_after: Mapped[Decimal] = mapped_column(MONEY)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    studio: Mapped[Studio] = relationship(back_populates="entries")
    created_by: Mapped[User] = relationship()
