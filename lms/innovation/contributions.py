"""What innovation contributes to a person's growth record (items filed or shared, their
outcome, rewards) and to the five-links overview: suggestions and "five smalls" filed,
adopted, verified benefit (competition link); studios named and funds granted (service link).
Fixed number of queries, whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from lms.accounts.models import Organization
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db
from lms.innovation.labels import KIND_LABELS, STAGE_LABELS
from lms.innovation.models import (
    EntryKind,
    Innovation,
    InnovationKind,
    InnovationMember,
    LedgerEntry,
    RewardLine,
    Stage,
    Studio,
    StudioStatus,
)
from lms.timeutil import to_local

ADOPTED = (Stage.adopted, Stage.trial)


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    members = sa.select(InnovationMember.innovation_id).where(InnovationMember.user_id == user_id)
    items = db.session.execute(
        sa.select(
            Innovation.id,
            Innovation.title,
            Innovation.kind,
            Innovation.stage,
            Innovation.submitted_at,
        ).where(
            sa.or_(Innovation.author_id == user_id, Innovation.id.in_(members)),
            Innovation.stage != Stage.merged,
        )
    ).all()
    if audience == "public":  # only what the unit adopted is shown to anyone
        items = [row for row in items if row.stage in ADOPTED]
    entries = [
        growth.Entry(
            link="competition",
            kind="innovation",
            title=_("%(kind)s：%(title)s", kind=KIND_LABELS[kind], title=title),
            on=to_local(submitted).date(),
            detail=str(STAGE_LABELS[stage]),
            url=url_for("innovation.detail", item_id=item_id),
        )
        for item_id, title, kind, stage, submitted in items
    ]
    if audience != "public":
        entries += [
            growth.Entry(
                link="competition",
                kind="innovation_reward",
                title=_("创新奖励：%(title)s", title=title),
                on=to_local(created).date(),
                detail=_("%(grade)s · %(amount)s 元", grade=grade, amount=amount),
                url=url_for("innovation.detail", item_id=item_id),
            )
            for item_id, title, grade, amount, created in db.session.execute(
                sa.select(
                    Innovation.id,
                    Innovation.title,
                    RewardLine.grade_name,
                    RewardLine.amount,
                    RewardLine.created_at,
                )
                .join(Innovation, Innovation.id == RewardLine.innovation_id)
                .where(RewardLine.user_id == user_id)
            )
        ]
    return entries


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    org = Organization
    items = sa.join(Innovation, org, org.id == Innovation.organization_id)
    suggestion = Innovation.kind == InnovationKind.suggestion
    suggestions = tally(
        q,
        sa.func.count(Innovation.id),
        day=Innovation.submitted_at,
        path=org.path,
        select_from=items,
        where=[suggestion, Innovation.stage != Stage.merged],
    )
    smalls = tally(
        q,
        sa.func.count(Innovation.id),
        day=Innovation.submitted_at,
        path=org.path,
        select_from=items,
        where=[~suggestion, Innovation.stage != Stage.merged],
    )
    adopted = tally(
        q,
        sa.func.count(Innovation.id),
        day=Innovation.decided_at,
        path=org.path,
        select_from=items,
        where=[Innovation.stage.in_(ADOPTED)],
    )
    benefit = tally(
        q,
        sa.func.sum(Innovation.actual_benefit),
        day=Innovation.benefit_verified_at,
        path=org.path,
        select_from=items,
        where=[Innovation.benefit_verified_at.is_not(None)],
    )
    studios = tally(
        q,
        sa.func.count(Studio.id),
        day=Studio.decided_at,
        path=org.path,
        select_from=sa.join(Studio, org, org.id == Studio.organization_id),
        where=[Studio.status == StudioStatus.named],
    )
    grants = tally(
        q,
        sa.func.sum(LedgerEntry.amount),
        day=LedgerEntry.created_at,
        path=org.path,
        select_from=sa.join(LedgerEntry, Studio, Studio.id == LedgerEntry.studio_id).join(
            org, org.id == Studio.organization_id
        ),
        where=[LedgerEntry.kind == EntryKind.grant],
    )
    F = figures.Figure
    listing = url_for("innovation.queue")
    return [
        F(
            "service",
            "innovation.studios_named",
            _("命名创新工作室"),
            studios.total,
            "",
            url_for("innovation.studios"),
            studios.by_month,
            studios.by_child,
            order=10,
        ),
        F(
            "service",
            "innovation.studio_grants",
            _("工作室资助资金"),
            grants.total,
            _("元"),
            None,
            grants.by_month,
            grants.by_child,
            order=11,
        ),
        F(
            "competition",
            "innovation.suggestions",
            _("合理化建议"),
            suggestions.total,
            _("条"),
            listing,
            suggestions.by_month,
            suggestions.by_child,
            order=40,
        ),
        F(
            "competition",
            "innovation.smalls",
            _("“五小”及技术革新"),
            smalls.total,
            _("项"),
            listing,
            smalls.by_month,
            smalls.by_child,
            order=41,
        ),
        F(
            "competition",
            "innovation.adopted",
            _("采纳实施"),
            adopted.total,
            _("项"),
            listing,
            adopted.by_month,
            adopted.by_child,
            order=42,
        ),
        F(
            "competition",
            "innovation.benefit",
            _("核定效益"),
            benefit.total,
            _("元"),
            None,
            benefit.by_month,
            benefit.by_child,
            order=43,
        ),
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
