"""Approval: the confirmed list confers the honour into the registry (``Honor``) and says so
with ``honour_conferred`` (certificates issue one); a later revocation (撤销) keeps the honour
on record with its reason and hides it from every public page (``honour_revoked``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.accounts.models import Honor, User
from lms.audit.services import record
from lms.db import utcnow
from lms.errors import Conflict
from lms.extensions import db
from lms.selection.models import (
    Campaign,
    CampaignStatus,
    Dossier,
    DossierStatus,
    Notice,
    StepAction,
)
from lms.selection.services.common import load, require_organizer, require_text, step
from lms.selection.services.notice import has_ended, open_objections
from lms.signals import emit, honour_conferred, honour_revoked


def approval_blockers(campaign: Campaign) -> list[str]:
    """Why "approve" is disabled now (empty: it may be pressed)."""
    if campaign.status == CampaignStatus.approved:
        return [_("这次评选已经批准。")]
    if campaign.status != CampaignStatus.notice:
        return [_("名单公示后才能批准。")]
    reasons = []
    notice = db.session.scalar(sa.select(Notice).where(Notice.campaign_id == campaign.id))
    if notice is not None and not has_ended(notice):
        reasons.append(_("公示期到 %(day)s 结束，结束后才能批准。", day=notice.ends_on.isoformat()))
    if count := open_objections(campaign):
        reasons.append(_("还有 %(n)d 条异议未办结，全部办结后才能批准。", n=count))
    return reasons


def approve_campaign(actor: User, campaign: Campaign) -> list[Honor]:
    """Confer the honour on everyone still on the list, all or nothing."""
    require_organizer(actor, campaign)
    campaign = load(Campaign, campaign.id, lock=True)
    blockers = approval_blockers(campaign)
    if blockers:
        raise Conflict(" ".join(blockers))
    dossiers = list(
        db.session.scalars(
            sa.select(Dossier)
            .where(Dossier.campaign_id == campaign.id, Dossier.status == DossierStatus.accepted)
            .options(joinedload(Dossier.candidate))
            .order_by(Dossier.id)
        )
    )
    held = set(
        db.session.scalars(
            sa.select(Honor.user_id).where(
                Honor.user_id.in_([d.candidate_id for d in dossiers]),
                Honor.kind == campaign.honour_kind,
                Honor.level == campaign.honour_level,
                Honor.year == campaign.year,
            )
        )
    )
    if held:
        names = "、".join(d.candidate.name for d in dossiers if d.candidate_id in held)
        raise Conflict(_("%(names)s 已登记同年度的同一荣誉，请先核对荣誉登记。", names=names))
    honours = []
    for dossier in dossiers:
        honour = Honor(
            user_id=dossier.candidate_id,
            kind=campaign.honour_kind,
            level=campaign.honour_level,
            year=campaign.year,
            title=campaign.title[:120],
            citation=dossier.summary,
        )
        db.session.add(honour)
        db.session.flush()
        dossier.honour_id = honour.id
        dossier.status = DossierStatus.conferred
        step(dossier, actor, StepAction.confer)
        honours.append(honour)
        emit(
            honour_conferred,
            honour_id=honour.id,
            user_id=dossier.candidate_id,
            campaign_id=campaign.id,
            dossier_id=dossier.id,
            kind=campaign.honour_kind.value,
            level=campaign.honour_level.value,
            year=campaign.year,
            title=campaign.title,
            organization_id=campaign.organization_id,
            actor_id=actor.id,
        )
    campaign.status = CampaignStatus.approved
    campaign.approved_at = utcnow()
    campaign.approved_by_id = actor.id
    record(
        actor,
        "selection.campaign.approve",
        "selection_campaign",
        campaign.id,
        organization_id=campaign.organization_id,
        after={"honours": len(honours)},
        summary=campaign.title,
    )
    db.session.commit()
    return honours


def revoke_honour(actor: User, dossier: Dossier, reason: str) -> Honor:
    """Revoke a conferred honour: kept on record with the reason, gone from public pages."""
    require_organizer(actor, dossier.campaign)
    reason = require_text(reason, "reason", 300, _("请写明撤销的原因。"))
    dossier = load(Dossier, dossier.id, lock=True)
    honour = db.session.get(Honor, dossier.honour_id) if dossier.honour_id else None
    if dossier.status != DossierStatus.conferred or honour is None:
        raise Conflict(_("只有已授予的荣誉才能撤销。"))
    if honour.revoked_at is not None:
        raise Conflict(_("这项荣誉已经撤销。"))
    honour.revoked_at = utcnow()
    honour.revoked_reason = reason
    step(dossier, actor, StepAction.revoke, reason=reason)
    record(
        actor,
        "selection.honour.revoke",
        "honor",
        honour.id,
        organization_id=dossier.unit_id,
        before={"revoked": False},
        after={"revoked": True, "reason": reason},
        summary=f"{dossier.candidate.name} {honour.title or ''}",
    )
    db.session.flush()
    emit(
        honour_revoked,
        honour_id=honour.id,
        user_id=honour.user_id,
        reason=reason,
        actor_id=actor.id,
    )
    db.session.commit()
    return honour
