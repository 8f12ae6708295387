"""The public notice (公示) and its objections (异议).

Publishing stores the list once (names, units and short achievements in surname-stroke
order, never by score) with its text and dates; nothing changes it afterwards. The period is
counted in working days by the admins' calendar (``lms.core.workdays``). The public page is
the same for everyone, so it is kept in the shared cache under a generation that any change
to a notice or a campaign's status renews.

Objections carry the objector's real name and contact, seen only by the organizers; each
goes open → investigating → found → closed (with a disposition). An upheld one withdraws
the candidate from the list.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from lms.accounts.models import User
from lms.audit.services import record
from lms.core import invalidation
from lms.core.workdays import period_end
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection.models import (
    Campaign,
    CampaignStatus,
    Disposition,
    Dossier,
    DossierStatus,
    Notice,
    Objection,
    ObjectionStatus,
    StepAction,
)
from lms.selection.services.campaigns import composition
from lms.selection.services.common import (
    clean,
    load,
    local_today,
    require_organizer,
    require_text,
    step,
)
from lms.selection.services.dossiers import release_all
from lms.selection.services.strokes import in_stroke_order

OS = ObjectionStatus

NOTICE_GENERATION = invalidation.register_generation("selection-notice")


@sa.event.listens_for(Session, "after_flush")
def _watch_notices(session: Session, flush_context) -> None:
    if invalidation.changed(session, Notice, Campaign):
        invalidation.renew_after_commit(session, NOTICE_GENERATION)


def notice_generation() -> str:
    return invalidation.generation(NOTICE_GENERATION)


def get_notice(campaign_id: int) -> Notice:
    notice = db.session.scalar(
        sa.select(Notice)
        .where(Notice.campaign_id == campaign_id)
        .options(joinedload(Notice.campaign))
    )
    if notice is None:
        raise NotFound(_("这次评选还没有公示。"))
    return notice


def is_open(notice: Notice) -> bool:
    return notice.starts_on <= local_today() <= notice.ends_on


def has_ended(notice: Notice) -> bool:
    return local_today() > notice.ends_on


def listed(campaign: Campaign) -> list[Dossier]:
    return list(
        db.session.scalars(
            sa.select(Dossier)
            .where(Dossier.campaign_id == campaign.id, Dossier.status == DossierStatus.accepted)
            .options(joinedload(Dossier.candidate), joinedload(Dossier.unit))
        )
    )


def default_body(campaign: Campaign) -> str:
    return _(
        "经基层单位层层推荐、主管部门审核、评审委员会评议，拟将以下同志评为%(title)s，现予公示。"
        "公示期间，如有异议，请以实名方式提出，我们将严格保密。",
        title=campaign.title,
    )


def publish_notice(actor: User, campaign: Campaign, body: str | None = None) -> Notice:
    """Publish the list on public notice from today for the campaign's working days."""
    require_organizer(actor, campaign)
    campaign = load(Campaign, campaign.id, lock=True)
    if campaign.status not in (CampaignStatus.nominating, CampaignStatus.vetting):
        raise Conflict(_("这次评选已经公示过，公示内容不能更改。"))
    from lms.selection.services.committee import require_ready_for_notice
    from lms.selection.services.vetting import apply_tally

    require_ready_for_notice(campaign)
    apply_tally(actor, campaign)
    people = listed(campaign)
    if not people:
        raise Conflict(_("名单上还没有人选：先在审核中同意推荐人选，再公示。"))
    mix = composition(campaign)
    if not mix.ok:
        raise Conflict(
            _(
                "名单结构不符合本次评选的要求（一线职工和专业技术人员 %(f).0f%%，企业负责人 %(h).0f%%），请调整后再公示。",
                f=mix.frontline_percent,
                h=mix.heads_percent,
            )
        )
    today = local_today()
    entries = [
        {
            "dossier_id": d.id,
            "name": d.candidate.name,
            "unit": d.unit.name,
            "summary": d.summary,
        }
        for d in in_stroke_order(people, name=lambda d: d.candidate.name)
    ]
    notice = Notice(
        campaign_id=campaign.id,
        title=_("关于%(title)s拟表彰人选的公示", title=campaign.title),
        body=clean(body, 4000) or default_body(campaign),
        entries=entries,
        order="strokes",
        starts_on=today,
        ends_on=period_end(today, campaign.notice_workdays),
        workdays=campaign.notice_workdays,
        published_by_id=actor.id,
    )
    db.session.add(notice)
    campaign.status = CampaignStatus.notice
    record(
        actor,
        "selection.notice.publish",
        "selection_campaign",
        campaign.id,
        organization_id=campaign.organization_id,
        after={"people": len(entries), "ends_on": notice.ends_on.isoformat()},
        summary=campaign.title,
    )
    db.session.commit()
    return notice


def public_notice(campaign_id: int) -> dict:
    """What the public page and the public JSON show: plain values, nothing personal beyond
    name, unit and short achievements."""
    notice = get_notice(campaign_id)
    campaign = notice.campaign
    return {
        "campaign_id": campaign.id,
        "campaign": campaign.title,
        "title": notice.title,
        "body": notice.body,
        "order": notice.order,
        "starts_on": notice.starts_on.isoformat(),
        "ends_on": notice.ends_on.isoformat(),
        "workdays": notice.workdays,
        "open": is_open(notice),
        "approved": campaign.status == CampaignStatus.approved,
        "published_at": notice.published_at.isoformat(),
        "entries": [
            {
                "dossier_id": e["dossier_id"],
                "name": e["name"],
                "unit": e["unit"],
                "summary": e["summary"],
            }
            for e in notice.entries
        ],
    }


# --- objections ------------------------------------------------------------------------------


def file_objection(
    actor: User,
    campaign: Campaign,
    dossier_id: int,
    *,
    body: str,
    contact: str,
    real_name: bool = True,
) -> Objection:
    """A signed-in person objects to a candidate on notice, with their real name."""
    if actor is None or not actor.is_authenticated:
        raise Forbidden(_("异议须实名提出：请先登录。"))
    errors: dict = {}
    if not real_name:
        errors["real_name"] = [
            _("不受理匿名异议：异议须署真实姓名并留联系方式，我们将严格保密，仅评选工作人员可见。")
        ]
    contact = clean(contact, 64)
    if not contact:
        errors["contact"] = [_("请留下联系电话，以便核实情况。")]
    body = clean(body, 5000)
    if not body or len(body) < 10:
        errors["body"] = [_("请写明异议的具体事实（至少 10 个字）。")]
    if errors:
        raise Invalid(errors=errors)
    notice = db.session.scalar(sa.select(Notice).where(Notice.campaign_id == campaign.id))
    if notice is None or campaign.status != CampaignStatus.notice:
        raise Conflict(_("这次评选不在公示期，不能提出异议。"))
    if not is_open(notice):
        raise Conflict(
            _(
                "公示期为 %(start)s 至 %(end)s，现在不在公示期内，不能提出异议。",
                start=notice.starts_on.isoformat(),
                end=notice.ends_on.isoformat(),
            )
        )
    if dossier_id not in {e["dossier_id"] for e in notice.entries}:
        raise Invalid(errors={"dossier_id": [_("请从公示名单中选择异议涉及的人选。")]})
    objection = Objection(
        campaign_id=campaign.id,
        dossier_id=dossier_id,
        filed_by_id=actor.id,
        contact=contact,
        body=body,
    )
    db.session.add(objection)
    db.session.commit()
    return objection


def objections_query(actor: User, campaign: Campaign, status: str | None = None) -> sa.Select:
    require_organizer(actor, campaign)
    stmt = (
        sa.select(Objection)
        .where(Objection.campaign_id == campaign.id)
        .options(joinedload(Objection.filed_by), joinedload(Objection.dossier))
        .order_by(Objection.id)
    )
    if status in {s.value for s in OS}:
        stmt = stmt.where(Objection.status == OS(status))
    return stmt


def my_objections(actor: User) -> list[Objection]:
    return list(
        db.session.scalars(
            sa.select(Objection)
            .where(Objection.filed_by_id == actor.id)
            .order_by(Objection.id.desc())
            .limit(50)
        )
    )


def get_objection(actor: User, objection_id: int, *, lock: bool = False) -> Objection:
    objection = load(Objection, objection_id, lock=lock)
    if objection is None:
        raise NotFound()
    campaign = db.session.get(Campaign, objection.campaign_id)
    require_organizer(actor, campaign)
    return objection


def open_objections(campaign: Campaign) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Objection.id)).where(
            Objection.campaign_id == campaign.id, Objection.status != OS.closed
        )
    )


def _audit(actor: User, objection: Objection, what: str, before: dict, after: dict) -> None:
    campaign = db.session.get(Campaign, objection.campaign_id)
    record(
        actor,
        f"selection.objection.{what}",
        "selection_objection",
        objection.id,
        organization_id=campaign.organization_id,
        before=before,
        after=after,
        summary=what,
    )


def investigate(
    actor: User, objection: Objection, *, note: str, unit_explanation: str | None = None
) -> Objection:
    """Take up the objection (or add to the investigation) and the unit's explanation."""
    objection = get_objection(actor, objection.id, lock=True)
    if objection.status not in (OS.open, OS.investigating):
        raise Conflict(_("这条异议已有调查结论，不能再改调查记录。"))
    note = require_text(note, "investigation", 5000, _("请写明调查做了什么。"))
    before = {"status": objection.status.value}
    objection.status = OS.investigating
    objection.investigation = note
    if unit_explanation is not None:
        objection.unit_explanation = clean(unit_explanation, 5000)
    objection.handled_by_id = actor.id
    _audit(actor, objection, "investigate", before, {"status": objection.status.value})
    db.session.commit()
    return objection


def record_finding(actor: User, objection: Objection, finding: str) -> Objection:
    objection = get_objection(actor, objection.id, lock=True)
    if objection.status != OS.investigating:
        raise Conflict(_("先调查，再写调查结论。"))
    finding = require_text(finding, "finding", 5000, _("请写明调查结论。"))
    objection.finding = finding
    objection.status = OS.found
    _audit(actor, objection, "finding", {"status": "investigating"}, {"finding": finding})
    db.session.commit()
    return objection


def dispose(actor: User, objection: Objection, disposition: str, note: str) -> Objection:
    """Close the objection. Upheld: the candidate is withdrawn from the list."""
    objection = get_objection(actor, objection.id, lock=True)
    if objection.status != OS.found:
        raise Conflict(_("先写调查结论，再作处理决定。"))
    if disposition not in {d.value for d in Disposition}:
        raise Invalid(errors={"disposition": [_("请选择处理决定：异议成立或不成立。")]})
    note = require_text(note, "disposition_note", 2000, _("请写明处理决定的说明。"))
    objection.disposition = Disposition(disposition)
    objection.disposition_note = note
    objection.status = OS.closed
    objection.closed_at = utcnow()
    if objection.disposition == Disposition.upheld:
        dossier = load(Dossier, objection.dossier_id, lock=True)
        if dossier.status == DossierStatus.accepted:
            release_all(dossier)
            dossier.status = DossierStatus.withdrawn
            step(dossier, actor, StepAction.withdraw, reason=note)
    _audit(
        actor,
        objection,
        "dispose",
        {"status": "found"},
        {"disposition": objection.disposition.value, "note": note},
    )
    db.session.commit()
    return objection
