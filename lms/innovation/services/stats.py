"""Statistics per organization subtree and period: items by kind and stage, adoption rate,
median days to answer, verified benefit; and the same as XLSX rows."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.extensions import db
from lms.innovation.models import Innovation, InnovationKind, Stage
from lms.timeutil import local_datetime


@dataclass
class Stats:
    organization: Organization
    start: date
    end: date
    by_kind: dict[InnovationKind, dict[Stage, int]] = field(default_factory=dict)
    by_stage: dict[Stage, int] = field(default_factory=dict)
    total: int = 0
    adoption_rate: float | None = None
    median_days: float | None = None
    verified_benefit: Decimal = Decimal("0")


def compute(actor: User, organization: Organization, start: date, end: date) -> Stats:
    scope.require_org_in_scope(actor, organization)
    begin, finish = local_datetime(start), local_datetime(end + timedelta(days=1))
    in_scope = sa.and_(
        Innovation.organization_id.in_(scope.subtree_org_ids(organization)),
        Innovation.submitted_at >= begin,
        Innovation.submitted_at < finish,
    )
    stats = Stats(organization, start, end)
    stats.by_kind = {k: {s: 0 for s in Stage} for k in InnovationKind}
    stats.by_stage = {s: 0 for s in Stage}
    rows = db.session.execute(
        sa.select(Innovation.kind, Innovation.stage, sa.func.count())
        .where(in_scope)
        .group_by(Innovation.kind, Innovation.stage)
    )
    for kind, stage, count in rows:
        stats.by_kind[kind][stage] = count
        stats.by_stage[stage] += count
        stats.total += count
    decided = sum(stats.by_stage[s] for s in (Stage.adopted, Stage.trial, Stage.not_adopted))
    if decided:
        stats.adoption_rate = (
            stats.by_stage[Stage.adopted] + stats.by_stage[Stage.trial]
        ) / decided
    waits = [
        (decided_at - submitted_at).total_seconds() / 86400
        for submitted_at, decided_at in db.session.execute(
            sa.select(Innovation.submitted_at, Innovation.decided_at).where(
                in_scope,
                Innovation.decided_at.is_not(None),
                Innovation.stage.in_([Stage.adopted, Stage.trial, Stage.not_adopted]),
            )
        )
    ]
    if waits:
        stats.median_days = round(statistics.median(waits), 1)
    stats.verified_benefit = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Innovation.actual_benefit), 0)).where(
            in_scope, Innovation.benefit_verified_at.is_not(None)
        )
    ) or Decimal("0")
    stats.verified_benefit = Decimal(stats.verified_benefit).quantize(Decimal("0.01"))
    return stats
