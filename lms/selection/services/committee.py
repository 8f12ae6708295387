"""Departmental vetting and the committee: what must be settled before the list is published."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.errors import Conflict
from lms.extensions import db
from lms.selection.models import (
    Campaign,
    CommitteeMember,
    ConflictDeclaration,
    Dossier,
    DossierStatus,
    Vetting,
    VettingVerdict,
    Vote,
)


def pending_vettings(campaign: Campaign) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Vetting.id))
        .join(Dossier, Vetting.dossier_id == Dossier.id)
        .where(
            Dossier.campaign_id == campaign.id,
            Dossier.status == DossierStatus.accepted,
            Vetting.verdict == VettingVerdict.pending,
        )
    )


def missing_votes(campaign: Campaign) -> int:
    """Votes still owed: every member on every listed candidate they have no conflict with."""
    members = db.session.scalar(
        sa.select(sa.func.count(CommitteeMember.id)).where(
            CommitteeMember.campaign_id == campaign.id
        )
    )
    if not members:
        return 0
    listed = sa.select(Dossier.id).where(
        Dossier.campaign_id == campaign.id, Dossier.status == DossierStatus.accepted
    )
    candidates = db.session.scalar(sa.select(sa.func.count()).select_from(listed.subquery()))
    member_ids = sa.select(CommitteeMember.id).where(CommitteeMember.campaign_id == campaign.id)
    conflicts = db.session.scalar(
        sa.select(sa.func.count(ConflictDeclaration.id)).where(
            ConflictDeclaration.member_id.in_(member_ids),
            ConflictDeclaration.dossier_id.in_(listed),
        )
    )
    votes = db.session.scalar(
        sa.select(sa.func.count(Vote.id)).where(
            Vote.member_id.in_(member_ids), Vote.dossier_id.in_(listed)
        )
    )
    return members * candidates - conflicts - votes


def require_ready_for_notice(campaign: Campaign) -> None:
    if pending_vettings(campaign):
        raise Conflict(_("还有部门未答复征求意见，全部答复后才能公示。"))
    if missing_votes(campaign):
        raise Conflict(_("评审委员会还有委员未投票，全部投票后才能公示。"))
