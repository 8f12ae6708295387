"""Reports: the composition of the list against the quotas, per organization under the
organizing one (and per level: what each sent up and what reached the list)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from lms.accounts.models import Organization, User
from lms.extensions import db
from lms.selection.models import Campaign, CampaignQuota, Dossier, DossierStatus
from lms.selection.services.common import require_organizer

LISTED = (DossierStatus.accepted, DossierStatus.conferred)


@dataclass
class OrgLine:
    organization: str
    places: int | None
    sent_up: int
    nominated: int
    listed: int
    frontline: int
    heads: int


def composition_report(actor: User, campaign: Campaign) -> list[OrgLine]:
    """One line per organization directly under the organizing one (three queries)."""
    require_organizer(actor, campaign)
    root = campaign.organization
    children = list(
        db.session.scalars(
            sa.select(Organization)
            .where(Organization.parent_id == root.id)
            .order_by(Organization.name)
        )
    )
    quotas = {
        q.organization_id: q
        for q in db.session.scalars(
            sa.select(CampaignQuota).where(CampaignQuota.campaign_id == campaign.id)
        )
    }
    lines = {
        c.id: OrgLine(
            c.name,
            quotas[c.id].places if c.id in quotas else None,
            quotas[c.id].used if c.id in quotas else 0,
            0,
            0,
            0,
            0,
        )
        for c in children
    }
    dossiers = db.session.scalars(
        sa.select(Dossier)
        .where(Dossier.campaign_id == campaign.id)
        .options(joinedload(Dossier.unit))
    )
    depth = root.path.count("/") - 1
    for d in dossiers:
        parts = d.unit.path.strip("/").split("/")
        if len(parts) <= depth:
            continue
        line = lines.get(int(parts[depth]))
        if line is None:
            continue
        line.nominated += 1
        if d.status in LISTED:
            line.listed += 1
            line.frontline += int(d.frontline)
            line.heads += int(d.enterprise_head)
    return list(lines.values())
