"""Campaigns: creating one (what it confers, its stages and composition rules), the quotas
per organization, which campaigns an officer works in, and the live composition check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import HonorKind, HonorLevel, Organization, User
from lms.audit.services import record
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection.models import Campaign, CampaignQuota, CampaignStatus, Dossier, DossierStatus
from lms.selection.services.common import clean, is_organizer, local_today, require_organizer


def campaigns_query(actor: User, q: str | None = None) -> sa.Select:
    """Campaigns the actor organises or nominates into (organized above or at their
    organization), newest first."""
    scope.require_officer(actor)
    stmt = sa.select(Campaign).join(Organization, Campaign.organization_id == Organization.id)
    if not scope.is_admin(actor):
        path = actor.organization.path
        stmt = stmt.where(
            sa.or_(sa.literal(path).startswith(Organization.path), Organization.path == path)
        )
    if q:
        stmt = stmt.where(Campaign.title.contains(q))
    return stmt.order_by(Campaign.year.desc(), Campaign.id.desc())


def get_campaign(actor: User, campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound()
    if not (
        is_organizer(actor, campaign)
        or (
            scope.is_officer(actor)
            and actor.organization.path.startswith(campaign.organization.path)
        )
    ):
        raise NotFound()
    return campaign


def _percent(value, field: str, errors: dict) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100:
        errors[field] = [_("比例须为 0 至 100 的整数（百分比），不设此规则请留空。")]
    return number


def _campaign_errors(
    title, honour_kind, honour_level, year, nominate_until, review_until, notice_workdays
) -> dict:
    errors: dict = {}
    if not title:
        errors["title"] = [_("请填写评选名称，例如“2027年度市级劳动模范”。")]
    if honour_kind not in {k.value for k in HonorKind}:
        errors["honour_kind"] = [_("请选择授予的荣誉类别。")]
    if honour_level not in {v.value for v in HonorLevel}:
        errors["honour_level"] = [_("请选择荣誉级别。")]
    if not year or not 1950 <= int(year) <= 2100:
        errors["year"] = [_("请填写年度（1950–2100）。")]
    if nominate_until is None:
        errors["nominate_until"] = [_("请填写推荐截止日期。")]
    elif nominate_until < local_today():
        errors["nominate_until"] = [_("推荐截止日期不能早于今天。")]
    if review_until is None:
        errors["review_until"] = [_("请填写审核截止日期。")]
    elif nominate_until and review_until < nominate_until:
        errors["review_until"] = [_("审核截止日期不能早于推荐截止日期。")]
    if not notice_workdays or not 1 <= int(notice_workdays) <= 30:
        errors["notice_workdays"] = [_("公示期须为 1 至 30 个工作日（通常为 5 个）。")]
    return errors


def create_campaign(
    actor: User,
    organization: Organization,
    *,
    title: str,
    honour_kind: str,
    honour_level: str,
    year: int | None,
    nominate_until: date | None,
    review_until: date | None,
    notice_workdays: int | None = 5,
    min_frontline_percent=None,
    max_heads_percent=None,
    requires_prior_honour: bool = False,
    description: str | None = None,
    places: int | None = None,
) -> Campaign:
    """A new campaign organised by ``organization`` (the actor's own, or any for admins);
    ``places``: how many it confers (the organizing organization's quota)."""
    if not (
        scope.is_admin(actor)
        or (scope.is_officer(actor) and actor.organization_id == organization.id)
    ):
        raise Forbidden(_("评选由组织单位的专员在本单位发起。"))
    title = clean(title, 120)
    errors = _campaign_errors(
        title, honour_kind, honour_level, year, nominate_until, review_until, notice_workdays
    )
    frontline = _percent(min_frontline_percent, "min_frontline_percent", errors)
    heads = _percent(max_heads_percent, "max_heads_percent", errors)
    if places is not None and not 1 <= int(places) <= 10000:
        errors["places"] = [_("名额须在 1 至 10000 之间。")]
    if errors:
        raise Invalid(errors=errors)
    campaign = Campaign(
        title=title,
        honour_kind=HonorKind(honour_kind),
        honour_level=HonorLevel(honour_level),
        year=int(year),
        organization_id=organization.id,
        nominate_until=nominate_until,
        review_until=review_until,
        notice_workdays=int(notice_workdays),
        min_frontline_percent=frontline,
        max_heads_percent=heads,
        requires_prior_honour=bool(requires_prior_honour),
        description=clean(description, 4000),
        created_by_id=actor.id,
    )
    db.session.add(campaign)
    db.session.flush()
    if places:
        db.session.add(
            CampaignQuota(
                campaign_id=campaign.id, organization_id=organization.id, places=int(places)
            )
        )
    record(
        actor,
        "selection.campaign.create",
        "selection_campaign",
        campaign.id,
        organization_id=organization.id,
        summary=title,
    )
    db.session.commit()
    return campaign


def set_quota(actor: User, campaign: Campaign, organization: Organization, places) -> CampaignQuota:
    """Set how many candidates ``organization`` may send up (at least those it already has)."""
    require_organizer(actor, campaign)
    if campaign.status != CampaignStatus.nominating:
        raise Conflict(_("推荐阶段已结束，名额不能再改。"))
    if not organization.path.startswith(campaign.organization.path):
        raise Invalid(errors={"organization_id": [_("只能给本次评选范围内的单位分配名额。")]})
    try:
        places = int(places)
    except (TypeError, ValueError):
        places = -1
    if not 0 <= places <= 10000:
        raise Invalid(errors={"places": [_("名额须为 0 至 10000 的整数。")]})
    quota = db.session.scalar(
        sa.select(CampaignQuota)
        .where(
            CampaignQuota.campaign_id == campaign.id,
            CampaignQuota.organization_id == organization.id,
        )
        .with_for_update()
    )
    before = {"places": quota.places} if quota else None
    if quota is None:
        quota = CampaignQuota(
            campaign_id=campaign.id, organization_id=organization.id, places=places
        )
        db.session.add(quota)
    elif places < quota.used:
        raise Conflict(
            _(
                "%(org)s 已报送 %(used)d 人，名额不能少于已用数。",
                org=organization.name,
                used=quota.used,
            )
        )
    quota.places = places
    record(
        actor,
        "selection.quota.set",
        "selection_campaign",
        campaign.id,
        organization_id=organization.id,
        before=before,
        after={"places": places},
        summary=organization.name,
    )
    db.session.commit()
    return quota


def quotas(campaign: Campaign) -> list[CampaignQuota]:
    return list(
        db.session.scalars(
            sa.select(CampaignQuota)
            .where(CampaignQuota.campaign_id == campaign.id)
            .join(Organization, CampaignQuota.organization_id == Organization.id)
            .order_by(Organization.path)
        )
    )


def total_places(campaign: Campaign) -> int | None:
    return db.session.scalar(
        sa.select(CampaignQuota.places).where(
            CampaignQuota.campaign_id == campaign.id,
            CampaignQuota.organization_id == campaign.organization_id,
        )
    )


@dataclass
class Composition:
    """The list as it stands (accepted, or conferred) against the campaign's rules."""

    total: int
    frontline: int
    heads: int
    places: int | None
    min_frontline_percent: int | None
    max_heads_percent: int | None

    @property
    def frontline_percent(self) -> float:
        return 100 * self.frontline / self.total if self.total else 0.0

    @property
    def heads_percent(self) -> float:
        return 100 * self.heads / self.total if self.total else 0.0

    @property
    def heads_cap(self) -> int | None:
        """Enterprise heads the list may hold: the share of the places (or of the list)."""
        if self.max_heads_percent is None:
            return None
        base = self.places if self.places else self.total
        return base * self.max_heads_percent // 100

    @property
    def frontline_ok(self) -> bool:
        return self.min_frontline_percent is None or (
            self.total > 0 and self.frontline_percent >= self.min_frontline_percent
        )

    @property
    def heads_ok(self) -> bool:
        return self.max_heads_percent is None or self.heads_percent <= self.max_heads_percent

    @property
    def ok(self) -> bool:
        return self.frontline_ok and self.heads_ok


def composition(campaign: Campaign) -> Composition:
    listed = (DossierStatus.accepted, DossierStatus.conferred)
    row = db.session.execute(
        sa.select(
            sa.func.count(Dossier.id),
            sa.func.count(Dossier.id).filter(Dossier.frontline.is_(True)),
            sa.func.count(Dossier.id).filter(Dossier.enterprise_head.is_(True)),
        ).where(Dossier.campaign_id == campaign.id, Dossier.status.in_(listed))
    ).one()
    return Composition(
        total=row[0],
        frontline=row[1],
        heads=row[2],
        places=total_places(campaign),
        min_frontline_percent=campaign.min_frontline_percent,
        max_heads_percent=campaign.max_heads_percent,
    )
