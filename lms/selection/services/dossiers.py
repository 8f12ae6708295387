"""Nomination dossiers and the tiered review: a unit nominates one of its people, sends the
dossier up, and each level above approves (forwards), returns with reasons or rejects, until
the organizer accepts it onto the list. Each level's quota is a counter moved by a
conditional update: over quota is refused, and of two officers taking the last place at
once exactly one succeeds."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.accounts import scope
from lms.accounts.models import Honor, HonorLevel, Organization, User
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection.models import (
    ACTIVE_STATUSES,
    Campaign,
    CampaignQuota,
    CampaignStatus,
    Dossier,
    DossierStatus,
    StepAction,
)
from lms.selection.services.campaigns import composition
from lms.selection.services.common import (
    acts_at,
    chain,
    clean,
    is_organizer,
    load,
    local_today,
    require_text,
    sees_dossier,
    step,
)

DS = DossierStatus
LEVEL_RANK = {HonorLevel.enterprise: 0, HonorLevel.city: 1, HonorLevel.provincial: 2}
LEVEL_RANK[HonorLevel.national] = 3


# --- reading ---------------------------------------------------------------------------------


def get_dossier(actor: User, dossier_id: int, *, lock: bool = False) -> Dossier:
    dossier = load(Dossier, dossier_id, lock=lock)
    if dossier is None or not sees_dossier(actor, dossier):
        raise NotFound()
    return dossier


def queue_query(actor: User, campaign: Campaign, q: str | None = None) -> sa.Select:
    """What waits for the actor's level: dossiers pending (or returned to it) at their
    organization. Candidate and unit come with the rows (no query per row)."""
    scope.require_officer(actor)
    level = campaign.organization_id if scope.is_admin(actor) else actor.organization_id
    stmt = (
        sa.select(Dossier)
        .where(
            Dossier.campaign_id == campaign.id,
            Dossier.level_org_id == level,
            Dossier.status.in_((DS.pending, DS.returned, DS.draft)),
        )
        .options(joinedload(Dossier.candidate), joinedload(Dossier.unit))
        .order_by(Dossier.updated_at, Dossier.id)
    )
    return _search(stmt, q)


def dossiers_query(
    actor: User, campaign: Campaign, q: str | None = None, status: str | None = None
) -> sa.Select:
    """Every dossier from the actor's subtree (all of them for the organizers)."""
    scope.require_officer(actor)
    stmt = (
        sa.select(Dossier)
        .join(Organization, Dossier.unit_id == Organization.id)
        .where(Dossier.campaign_id == campaign.id)
        .options(joinedload(Dossier.candidate), joinedload(Dossier.unit))
        .order_by(Dossier.id.desc())
    )
    if not is_organizer(actor, campaign):
        stmt = stmt.where(Organization.path.startswith(actor.organization.path))
    if status in {s.value for s in DS}:
        stmt = stmt.where(Dossier.status == DS(status))
    return _search(stmt, q)


def _search(stmt: sa.Select, q: str | None) -> sa.Select:
    if q:
        stmt = stmt.where(
            Dossier.candidate_id.in_(
                sa.select(User.id).where(sa.or_(User.name.contains(q), User.employee_no == q))
            )
        )
    return stmt


def basis(dossier: Dossier) -> list[Honor]:
    """The candidate's honours held now, linked from the registry (not retyped)."""
    return list(dossier.candidate.honors)


# --- nominating ------------------------------------------------------------------------------


def _dates(unit_notice_from: date | None, unit_notice_to: date | None, errors: dict) -> None:
    if unit_notice_from and unit_notice_to and unit_notice_to < unit_notice_from:
        errors["unit_notice_to"] = [_("单位公示的结束日期不能早于开始日期。")]


def nominate(
    actor: User,
    campaign: Campaign,
    candidate: User,
    *,
    summary: str,
    achievements: str,
    frontline: bool = False,
    enterprise_head: bool = False,
    congress_resolution: str | None = None,
    unit_notice_from: date | None = None,
    unit_notice_to: date | None = None,
) -> Dossier:
    """A unit officer nominates a person of their subtree; the dossier starts at their level."""
    scope.require_officer(actor)
    if campaign.status != CampaignStatus.nominating:
        raise Conflict(_("本次评选的推荐阶段已结束，不能再推荐。"))
    if local_today() > campaign.nominate_until:
        raise Conflict(
            _("推荐已于 %(day)s 截止，不能再推荐。", day=campaign.nominate_until.isoformat())
        )
    unit = actor.organization if not scope.is_admin(actor) else candidate.organization
    if not candidate.organization.path.startswith(unit.path) or not chain(campaign, unit):
        raise Forbidden(_("只能推荐本单位及下属单位、且在本次评选范围内的人员。"))
    errors: dict = {}
    summary = clean(summary, 300)
    achievements = clean(achievements, 20000)
    if not summary:
        errors["summary"] = [_("请填写简要事迹（公示时显示，300 字以内）。")]
    if not achievements:
        errors["achievements"] = [_("请填写事迹材料。")]
    _dates(unit_notice_from, unit_notice_to, errors)
    if campaign.requires_prior_honour:
        rank = LEVEL_RANK[campaign.honour_level]
        if not any(LEVEL_RANK[h.level] < rank for h in candidate.honors):
            errors["candidate_id"] = [
                _("本次评选要求候选人已获得下一级荣誉，%(name)s 尚无。", name=candidate.name)
            ]
    if errors:
        raise Invalid(errors=errors)
    dossier = Dossier(
        campaign_id=campaign.id,
        candidate_id=candidate.id,
        unit_id=unit.id,
        level_org_id=unit.id,
        status=DS.draft,
        summary=summary,
        achievements=achievements,
        frontline=bool(frontline),
        enterprise_head=bool(enterprise_head),
        congress_resolution=clean(congress_resolution, 300),
        unit_notice_from=unit_notice_from,
        unit_notice_to=unit_notice_to,
        basis={"honour_ids": [h.id for h in candidate.honors]},
        nominated_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(dossier)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(
            _(
                "%(name)s 已被推荐参加本次评选，每人每次评选只能有一份推荐材料。",
                name=candidate.name,
            )
        ) from None
    step(dossier, actor, StepAction.nominate, to_org_id=unit.id)
    db.session.commit()
    return dossier


def amend(actor: User, dossier: Dossier, **fields) -> Dossier:
    """The level holding a draft or returned dossier amends it."""
    if dossier.status not in (DS.draft, DS.returned) or not acts_at(actor, dossier.level_org_id):
        raise Conflict(_("只有草稿或被退回的推荐材料，才能由所在单位修改。"))
    errors: dict = {}
    texts = {
        "summary": (300, _("请填写简要事迹（公示时显示，300 字以内）。")),
        "achievements": (20000, _("请填写事迹材料。")),
    }
    for name, (limit, message) in texts.items():
        if name in fields:
            setattr(dossier, name, clean(fields[name], limit) or "")
            if not getattr(dossier, name):
                errors[name] = [message]
    plain = {
        "frontline": bool,
        "enterprise_head": bool,
        "congress_resolution": lambda v: clean(v, 300),
        "unit_notice_from": lambda v: v,
        "unit_notice_to": lambda v: v,
    }
    for name in plain.keys() & fields.keys():
        setattr(dossier, name, plain[name](fields[name]))
    _dates(dossier.unit_notice_from, dossier.unit_notice_to, errors)
    if errors:
        db.session.rollback()
        raise Invalid(errors=errors)
    step(dossier, actor, StepAction.amend, from_org_id=dossier.level_org_id)
    db.session.commit()
    return dossier


# --- the quotas ------------------------------------------------------------------------------


def _take_place(campaign: Campaign, organization_id: int) -> None:
    """One place of ``organization_id``'s quota, or Conflict; no quota row: no limit."""
    result = db.session.execute(
        sa.update(CampaignQuota)
        .where(
            CampaignQuota.campaign_id == campaign.id,
            CampaignQuota.organization_id == organization_id,
            CampaignQuota.used < CampaignQuota.places,
        )
        .values(used=CampaignQuota.used + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        return
    quota = db.session.scalar(
        sa.select(CampaignQuota).where(
            CampaignQuota.campaign_id == campaign.id,
            CampaignQuota.organization_id == organization_id,
        )
    )
    if quota is not None:
        db.session.rollback()
        raise Conflict(
            _(
                "%(org)s 的名额（%(places)d 个）已用完，不能再报送。请先退回或不予推荐其他人选，或请组织单位调整名额。",
                org=quota.organization.name,
                places=quota.places,
            )
        )


def _release(campaign: Campaign, organization_ids: list[int]) -> None:
    if organization_ids:
        db.session.execute(
            sa.update(CampaignQuota)
            .where(
                CampaignQuota.campaign_id == campaign.id,
                CampaignQuota.organization_id.in_(organization_ids),
                CampaignQuota.used > 0,
            )
            .values(used=CampaignQuota.used - 1)
            .execution_options(synchronize_session=False)
        )


def holds(dossier: Dossier) -> list[int]:
    """The organizations whose places this dossier takes: every level it was sent up from,
    and the top once it is on the list."""
    ids = chain(dossier.campaign, dossier.unit)
    if dossier.status not in ACTIVE_STATUSES or dossier.level_org_id not in ids:
        return []
    held = ids[: ids.index(dossier.level_org_id)]
    if dossier.status == DS.accepted:
        held.append(dossier.level_org_id)
    return held


def release_all(dossier: Dossier) -> None:
    _release(dossier.campaign, holds(dossier))


# --- the review ------------------------------------------------------------------------------


def _locked(actor: User, dossier: Dossier) -> Dossier:
    fresh = load(Dossier, dossier.id, lock=True)
    if fresh is None:
        raise NotFound()
    return fresh


def _forward(actor: User, dossier: Dossier, *, action: StepAction, reason: str | None) -> None:
    campaign = dossier.campaign
    ids = chain(campaign, dossier.unit)
    here = dossier.level_org_id
    if here == campaign.organization_id:
        if dossier.enterprise_head:
            mix = composition(campaign)
            cap = mix.heads_cap
            if cap is not None and mix.heads + 1 > cap:
                raise Conflict(
                    _(
                        "企业负责人最多占 %(percent)d%%（%(cap)d 人），名单上已有 %(heads)d 人，不能再列入。",
                        percent=campaign.max_heads_percent,
                        cap=cap,
                        heads=mix.heads,
                    )
                )
        _take_place(campaign, here)
        dossier.status = DS.accepted
        step(dossier, actor, action, from_org_id=here, to_org_id=here, reason=reason)
        return
    _take_place(campaign, here)
    above = ids[ids.index(here) + 1]
    dossier.level_org_id = above
    dossier.status = DS.pending
    step(dossier, actor, action, from_org_id=here, to_org_id=above, reason=reason)


def submit(actor: User, dossier: Dossier) -> Dossier:
    """The level holding a draft (or a returned dossier) sends it up, taking one of its places."""
    dossier = _locked(actor, dossier)
    campaign = dossier.campaign
    if dossier.status not in (DS.draft, DS.returned):
        raise Conflict(_("这份推荐材料已报送，不能重复报送。"))
    if not acts_at(actor, dossier.level_org_id):
        raise Forbidden(_("只有材料所在单位的专员可以报送。"))
    if campaign.status != CampaignStatus.nominating:
        raise Conflict(_("本次评选的推荐阶段已结束，不能再报送。"))
    deadline = campaign.nominate_until if dossier.status == DS.draft else campaign.review_until
    if local_today() > deadline:
        raise Conflict(_("报送已于 %(day)s 截止。", day=deadline.isoformat()))
    _forward(actor, dossier, action=StepAction.submit, reason=None)
    db.session.commit()
    return dossier


def _require_review(actor: User, dossier: Dossier) -> None:
    if dossier.status != DS.pending:
        raise Conflict(_("这份推荐材料不在待审核状态，可能已被处理，请刷新。"))
    if not acts_at(actor, dossier.level_org_id):
        raise Forbidden(_("只有材料所在层级单位的专员可以审核。"))
    if dossier.campaign.status != CampaignStatus.nominating:
        raise Conflict(_("本次评选的审核阶段已结束。"))
    if local_today() > dossier.campaign.review_until:
        raise Conflict(_("审核已于 %(day)s 截止。", day=dossier.campaign.review_until.isoformat()))


def approve(actor: User, dossier: Dossier, note: str | None = None) -> Dossier:
    """This level agrees: the dossier goes up one level, or onto the list at the top."""
    dossier = _locked(actor, dossier)
    _require_review(actor, dossier)
    _forward(actor, dossier, action=StepAction.approve, reason=clean(note, 2000))
    db.session.commit()
    return dossier


def return_dossier(actor: User, dossier: Dossier, reason: str) -> Dossier:
    """Back to the level below with reasons; that level's place is freed until it resubmits."""
    reason = require_text(reason, "reason", 2000, _("请写明退回的理由，下级单位据此修改。"))
    dossier = _locked(actor, dossier)
    _require_review(actor, dossier)
    ids = chain(dossier.campaign, dossier.unit)
    here = dossier.level_org_id
    below = ids[ids.index(here) - 1]
    _release(dossier.campaign, [below])
    dossier.level_org_id = below
    dossier.status = DS.returned
    step(dossier, actor, StepAction.return_, from_org_id=here, to_org_id=below, reason=reason)
    db.session.commit()
    return dossier


def reject(actor: User, dossier: Dossier, reason: str) -> Dossier:
    """Not recommended: the dossier stops here and every place it held is freed."""
    reason = require_text(reason, "reason", 2000, _("请写明不予推荐的理由。"))
    dossier = _locked(actor, dossier)
    _require_review(actor, dossier)
    release_all(dossier)
    dossier.status = DS.rejected
    step(dossier, actor, StepAction.reject, from_org_id=dossier.level_org_id, reason=reason)
    db.session.commit()
    return dossier
