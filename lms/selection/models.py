"""Model-worker selection (选树): campaigns, their quotas, nomination dossiers and every step
they take up the organization tree, departmental vetting, the committee, the public notice
and its objections.

Nothing a later step does rewrites an earlier one: each decision is a ``DossierStep`` row,
the published notice is stored once and never changed, and an objection keeps its finding
and disposition beside the original text.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import HonorKind, HonorLevel, Organization, User
from lms.db import Base, TimestampMixin, enum_type, utcnow


class CampaignStatus(enum.StrEnum):
    nominating = "nominating"  # units nominate and levels review
    vetting = "vetting"  # the organizer asks departments; the committee votes
    notice = "notice"  # the list is on public notice
    approved = "approved"  # honours conferred
    cancelled = "cancelled"


class DossierStatus(enum.StrEnum):
    draft = "draft"  # written by the nominating unit, not yet sent up
    pending = "pending"  # waiting for the officers of ``level_org``
    returned = "returned"  # sent back to ``level_org`` with reasons, to amend and resubmit
    accepted = "accepted"  # on the organizer's list
    rejected = "rejected"
    vetoed = "vetoed"  # a department's veto removed the candidate
    withdrawn = "withdrawn"  # removed after an objection was upheld, or by the unit
    conferred = "conferred"  # the honour was conferred


#: Dossiers that hold a place in the quotas on their way up.
ACTIVE_STATUSES = (
    DossierStatus.draft,
    DossierStatus.pending,
    DossierStatus.returned,
    DossierStatus.accepted,
)


class StepAction(enum.StrEnum):
    nominate = "nominate"
    submit = "submit"  # sent up from the nominating unit (or resubmitted after a return)
    approve = "approve"  # a level approved and forwarded (at the top: accepted on the list)
    return_ = "return"
    reject = "reject"
    amend = "amend"
    veto = "veto"
    withdraw = "withdraw"
    confer = "confer"
    revoke = "revoke"


class VettingVerdict(enum.StrEnum):
    pending = "pending"
    passed = "passed"
    vetoed = "vetoed"


class VoteChoice(enum.StrEnum):
    yes = "yes"
    no = "no"
    abstain = "abstain"


class ObjectionStatus(enum.StrEnum):
    open = "open"  # filed, not yet taken up
    investigating = "investigating"
    found = "found"  # the finding is written, the disposition not yet
    closed = "closed"


class Disposition(enum.StrEnum):
    not_upheld = "not_upheld"  # the candidate stays on the list
    upheld = "upheld"  # the candidate is withdrawn from the list


class Campaign(TimestampMixin, Base):
    """A selection campaign: what it confers, its quotas and composition rules, its stages."""

    __tablename__ = "selection_campaigns"
    __table_args__ = (
        sa.CheckConstraint("year BETWEEN 1950 AND 2100", name="year_range"),
        sa.CheckConstraint(
            "min_frontline_percent IS NULL OR min_frontline_percent BETWEEN 0 AND 100",
            name="frontline_range",
        ),
        sa.CheckConstraint(
            "max_heads_percent IS NULL OR max_heads_percent BETWEEN 0 AND 100",
            name="heads_range",
        ),
        sa.CheckConstraint("notice_workdays BETWEEN 1 AND 30", name="notice_days_range"),
        sa.CheckConstraint("review_until >= nominate_until", name="review_after_nominate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    honour_kind: Mapped[HonorKind] = mapped_column(enum_type(HonorKind, "honor_kind"))
    honour_level: Mapped[HonorLevel] = mapped_column(enum_type(HonorLevel, "honor_level"))
    year: Mapped[int]
    # The organizing organization (the city federation): its officers organise the campaign.
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[CampaignStatus] = mapped_column(
        enum_type(CampaignStatus, "selection_campaign_status"),
        default=CampaignStatus.nominating,
    )
    description: Mapped[str | None] = mapped_column(sa.Text)
    # Composition rules: front-line workers and technical staff at least this share of the
    # list, enterprise heads at most this share (percent; None: no rule).
    min_frontline_percent: Mapped[int | None]
    max_heads_percent: Mapped[int | None]
    # Eligibility: a prior honour of a lower level required.
    requires_prior_honour: Mapped[bool] = mapped_column(default=False)
    # Stages (Beijing dates, inclusive).
    nominate_until: Mapped[date]
    review_until: Mapped[date]
    notice_workdays: Mapped[int] = mapped_column(default=5)
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organization: Mapped[Organization] = relationship()
    quotas: Mapped[list[CampaignQuota]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class CampaignQuota(Base):
    """How many candidates an organization may send up (for the organizing organization:
    how many the campaign confers). ``used`` moves by a conditional update, so two officers
    taking the last place at once get exactly one."""

    __tablename__ = "selection_quotas"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "organization_id"),
        sa.CheckConstraint("places BETWEEN 0 AND 10000", name="places_range"),
        sa.CheckConstraint("used >= 0 AND used <= places", name="used_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_campaigns.id", ondelete="CASCADE")
    )
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    places: Mapped[int]
    used: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="quotas")
    organization: Mapped[Organization] = relationship()


class Dossier(TimestampMixin, Base):
    """A nomination dossier: one person in one campaign (the database says so), where it is
    in the tree (``level_org``) and what the nominating unit wrote."""

    __tablename__ = "selection_nominations"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "candidate_id"),
        sa.Index("ix_selection_nominations_queue", "campaign_id", "level_org_id", "status"),
        sa.CheckConstraint(
            "unit_notice_to IS NULL OR unit_notice_from IS NULL "
            "OR unit_notice_to >= unit_notice_from",
            name="unit_notice_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_campaigns.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    # The nominating unit (the candidate's organization when nominated) and the level that
    # holds the dossier now.
    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    level_org_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[DossierStatus] = mapped_column(
        enum_type(DossierStatus, "selection_dossier_status"), default=DossierStatus.draft
    )
    # What the public notice shows (short), and the full story (事迹材料).
    summary: Mapped[str] = mapped_column(sa.String(300))
    achievements: Mapped[str] = mapped_column(sa.Text)
    frontline: Mapped[bool] = mapped_column(default=False)  # front-line worker or technician
    enterprise_head: Mapped[bool] = mapped_column(default=False)  # 企业负责人
    # The unit's workers' congress resolution and its own notice of the name.
    congress_resolution: Mapped[str | None] = mapped_column(sa.String(300))
    unit_notice_from: Mapped[date | None]
    unit_notice_to: Mapped[date | None]
    # Basis linked from the registry, as ids: honours, contest titles, innovations.
    basis: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    nominated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    honour_id: Mapped[int | None] = mapped_column(sa.ForeignKey("honors.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])
    unit: Mapped[Organization] = relationship(foreign_keys=[unit_id])
    level_org: Mapped[Organization] = relationship(foreign_keys=[level_org_id])
    steps: Mapped[list[DossierStep]] = relationship(
        back_populates="dossier", order_by="DossierStep.id", cascade="all, delete-orphan"
    )


class DossierStep(Base):
    """One decision on a dossier: who, at which level, what, why. Never changed."""

    __tablename__ = "selection_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_nominations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[StepAction] = mapped_column(enum_type(StepAction, "selection_step_action"))
    from_org_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL")
    )
    to_org_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()
    from_org: Mapped[Organization | None] = relationship(foreign_keys=[from_org_id])
    to_org: Mapped[Organization | None] = relationship(foreign_keys=[to_org_id])


class Vetting(Base):
    """A department's answer about one candidate: pass, or a veto with its reason."""

    __tablename__ = "selection_vettings"
    __table_args__ = (sa.UniqueConstraint("dossier_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_nominations.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_departments.id", ondelete="CASCADE")
    )
    verdict: Mapped[VettingVerdict] = mapped_column(
        enum_type(VettingVerdict, "selection_vetting_verdict"), default=VettingVerdict.pending
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]

    dossier: Mapped[Dossier] = relationship()
    department: Mapped[Department] = relationship()


class Department(Base):
    """A vetting department of a campaign (市场监管, 税务, 应急管理, 纪检 …) and its reviewer."""

    __tablename__ = "selection_departments"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_campaigns.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(80))
    reviewer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )

    reviewer: Mapped[User] = relationship()


class CommitteeMember(Base):
    __tablename__ = "selection_committee"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_campaigns.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    user: Mapped[User] = relationship()


class ConflictDeclaration(Base):
    """A committee member's declared conflict with a candidate: excluded from that vote."""

    __tablename__ = "selection_conflicts"
    __table_args__ = (sa.UniqueConstraint("member_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_committee.id", ondelete="CASCADE")
    )
    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_nominations.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Vote(Base):
    __tablename__ = "selection_votes"
    __table_args__ = (sa.UniqueConstraint("member_id", "dossier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_committee.id", ondelete="CASCADE")
    )
    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_nominations.id", ondelete="CASCADE"), index=True
    )
    choice: Mapped[VoteChoice] = mapped_column(enum_type(VoteChoice, "selection_vote_choice"))
    reason: Mapped[str | None] = mapped_column(sa.String(300))  # required to abstain
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notice(Base):
    """The published public notice: its text and list stored once, never changed."""

    __tablename__ = "selection_notices"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_campaigns.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # [{"dossier_id", "name", "unit", "summary"}] in the published order (surname strokes).
    entries: Mapped[list[Any]] = mapped_column(sa.JSON)
    order: Mapped[str] = mapped_column(sa.String(16), default="strokes")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    workdays: Mapped[int]
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    campaign: Mapped[Campaign] = relationship()


class Objection(TimestampMixin, Base):
    """An objection to a candidate on notice, with the objector's real name (confidential),
    and its investigation, finding and disposition."""

    __tablename__ = "selection_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_campaigns.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("selection_nominations.id", ondelete="CASCADE"), index=True
    )
    filed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    contact: Mapped[str] = mapped_column(sa.String(64))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ObjectionStatus] = mapped_column(
        enum_type(ObjectionStatus, "selection_objection_status"), default=ObjectionStatus.open
    )
    investigation: Mapped[str | None] = mapped_column(sa.Text)  # what was done to check
    unit_explanation: Mapped[str | None] = mapped_column(sa.Text)
    finding: Mapped[str | None] = mapped_column(sa.Text)
    disposition: Mapped[Disposition | None] = mapped_column(
        enum_type(Disposition, "selection_disposition")
    )
    disposition_note: Mapped[str | None] = mapped_column(sa.Text)
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None]

    dossier: Mapped[Dossier] = relationship()
    filed_by: Mapped[User] = relationship(foreign_keys=[filed_by_id])
