"""Departmental vetting (征求意见) and the committee (评审委员会).

The organizer names departments (market regulation, tax, work safety, discipline …), each
with a reviewer account, and asks them about the candidates on the list. A department
passes or vetoes with a reason; one veto removes the candidate. The veto's department and
reason are seen by the organizers only: the candidate's unit reads that the candidate was
vetoed, nothing more.

Committee members declare conflicts (and do not vote on those candidates) and vote for,
against, or abstain with a reason. Nobody on the committee sees a result until every vote
is in; then the tally is recorded in the audit log, and at publishing a candidate without
more votes for than half of the members entitled to vote is withdrawn from the list.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.audit.services import record
from lms.db import insert_ignoring_duplicates, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection.models import (
    Campaign,
    CampaignStatus,
    CommitteeMember,
    ConflictDeclaration,
    Department,
    Dossier,
    DossierStatus,
    StepAction,
    Vetting,
    VettingVerdict,
    Vote,
    VoteChoice,
)
from lms.selection.services.committee import missing_votes
from lms.selection.services.common import clean, load, require_organizer, require_text, step
from lms.selection.services.dossiers import release_all

OPEN = (CampaignStatus.nominating, CampaignStatus.vetting)


def _require_open(campaign: Campaign) -> None:
    if campaign.status not in OPEN:
        raise Conflict(_("名单已经公示，征求意见和评审已结束。"))


def _find_user(login: str | None) -> User:
    login = (login or "").strip()
    user = (
        db.session.scalar(
            sa.select(User).where(sa.or_(User.employee_no == login, User.mobile == login))
        )
        if login
        else None
    )
    if user is None or not user.active:
        raise Invalid(errors={"login": [_("找不到这个工号或手机号的账号。")]})
    return user


# --- departments -----------------------------------------------------------------------------


def add_department(actor: User, campaign: Campaign, name: str, login: str) -> Department:
    require_organizer(actor, campaign)
    _require_open(campaign)
    name = require_text(name, "name", 80, _("请填写部门名称，例如“市场监管局”。"))
    reviewer = _find_user(login)
    if db.session.scalar(
        sa.select(Department.id).where(
            Department.campaign_id == campaign.id, Department.name == name
        )
    ):
        raise Conflict(_("这个部门已在本次评选的征求意见名单中。"))
    department = Department(campaign_id=campaign.id, name=name, reviewer_id=reviewer.id)
    db.session.add(department)
    db.session.commit()
    return department


def departments(campaign: Campaign) -> list[Department]:
    return list(
        db.session.scalars(
            sa.select(Department)
            .where(Department.campaign_id == campaign.id)
            .options(joinedload(Department.reviewer))
            .order_by(Department.id)
        )
    )


def ask_departments(actor: User, campaign: Campaign) -> int:
    """Ask every department about every candidate on the list (again asking nobody twice);
    the campaign moves to vetting: no more nominations. Returns the requests made."""
    require_organizer(actor, campaign)
    campaign = load(Campaign, campaign.id, lock=True)
    _require_open(campaign)
    depts = departments(campaign)
    if not depts:
        raise Conflict(_("先添加征求意见的部门及其审核人账号。"))
    listed = db.session.scalars(
        sa.select(Dossier.id).where(
            Dossier.campaign_id == campaign.id, Dossier.status == DossierStatus.accepted
        )
    ).all()
    if not listed:
        raise Conflict(_("名单上还没有人选：先在审核中同意推荐人选。"))
    rows = [{"dossier_id": d, "department_id": dep.id} for d in listed for dep in depts]
    before = db.session.scalar(sa.select(sa.func.count(Vetting.id)))
    for row in rows:
        db.session.execute(
            insert_ignoring_duplicates(db.session, Vetting, ["dossier_id", "department_id"]).values(
                **row, verdict=VettingVerdict.pending, asked_at=utcnow()
            )
        )
    campaign.status = CampaignStatus.vetting
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count(Vetting.id))) - before


def vettings_query(actor: User) -> sa.Select:
    """What a department reviewer is asked: their pending requests first."""
    return (
        sa.select(Vetting)
        .join(Department, Vetting.department_id == Department.id)
        .where(Department.reviewer_id == actor.id)
        .options(
            joinedload(Vetting.dossier).joinedload(Dossier.candidate),
            joinedload(Vetting.dossier).joinedload(Dossier.unit),
            joinedload(Vetting.department),
        )
        .order_by((Vetting.verdict == VettingVerdict.pending).desc(), Vetting.id)
    )


def campaign_vettings(actor: User, campaign: Campaign) -> list[Vetting]:
    require_organizer(actor, campaign)
    return list(
        db.session.scalars(
            sa.select(Vetting)
            .join(Dossier, Vetting.dossier_id == Dossier.id)
            .where(Dossier.campaign_id == campaign.id)
            .options(
                joinedload(Vetting.department),
                joinedload(Vetting.dossier).joinedload(Dossier.candidate),
            )
            .order_by(Vetting.dossier_id, Vetting.department_id)
        )
    )


def answer(actor: User, vetting_id: int, verdict: str, reason: str | None) -> Vetting:
    """The department's reviewer passes or vetoes (a veto needs the reason)."""
    vetting = load(Vetting, vetting_id, lock=True)
    if vetting is None or vetting.department.reviewer_id != actor.id:
        raise NotFound()
    if vetting.verdict != VettingVerdict.pending:
        raise Conflict(_("这份征求意见已经答复，不能更改。"))
    if verdict not in (VettingVerdict.passed.value, VettingVerdict.vetoed.value):
        raise Invalid(errors={"verdict": [_("请选择“通过”或“否决”。")]})
    reason = clean(reason, 2000)
    if verdict == VettingVerdict.vetoed.value and not reason:
        raise Invalid(errors={"reason": [_("否决须写明理由，例如查实的违法违规情况。")]})
    vetting.verdict = VettingVerdict(verdict)
    vetting.reason = reason
    vetting.answered_by_id = actor.id
    vetting.answered_at = utcnow()
    dossier = load(Dossier, vetting.dossier_id, lock=True)
    if vetting.verdict == VettingVerdict.vetoed and dossier.status == DossierStatus.accepted:
        release_all(dossier)
        dossier.status = DossierStatus.vetoed
        # The unit reads only that the candidate was vetoed; who and why stay in the vetting.
        step(dossier, actor, StepAction.veto, reason=_("经征求有关部门意见，未通过。"))
        record(
            actor,
            "selection.veto",
            "selection_dossier",
            dossier.id,
            organization_id=dossier.unit_id,
            after={"department": vetting.department.name, "reason": reason},
            summary=vetting.department.name,
        )
    db.session.commit()
    return vetting


# --- committee -------------------------------------------------------------------------------


def add_member(actor: User, campaign: Campaign, login: str) -> CommitteeMember:
    require_organizer(actor, campaign)
    _require_open(campaign)
    user = _find_user(login)
    if db.session.scalar(
        sa.select(CommitteeMember.id).where(
            CommitteeMember.campaign_id == campaign.id, CommitteeMember.user_id == user.id
        )
    ):
        raise Conflict(_("%(name)s 已是评审委员。", name=user.name))
    member = CommitteeMember(campaign_id=campaign.id, user_id=user.id)
    db.session.add(member)
    db.session.commit()
    return member


def members(campaign: Campaign) -> list[CommitteeMember]:
    return list(
        db.session.scalars(
            sa.select(CommitteeMember)
            .where(CommitteeMember.campaign_id == campaign.id)
            .options(joinedload(CommitteeMember.user))
            .order_by(CommitteeMember.id)
        )
    )


def member_of(actor: User, campaign: Campaign) -> CommitteeMember | None:
    return db.session.scalar(
        sa.select(CommitteeMember).where(
            CommitteeMember.campaign_id == campaign.id, CommitteeMember.user_id == actor.id
        )
    )


def require_member(actor: User, campaign: Campaign) -> CommitteeMember:
    member = member_of(actor, campaign)
    if member is None:
        raise Forbidden(_("只有本次评选的评审委员可以这样做。"))
    return member


def _listed_dossier(campaign: Campaign, dossier_id: int) -> Dossier:
    dossier = db.session.get(Dossier, dossier_id)
    if (
        dossier is None
        or dossier.campaign_id != campaign.id
        or dossier.status != DossierStatus.accepted
    ):
        raise Invalid(errors={"dossier_id": [_("请从名单中选择候选人。")]})
    return dossier


def declare_conflict(actor: User, campaign: Campaign, dossier_id: int, reason: str) -> None:
    member = require_member(actor, campaign)
    _require_open(campaign)
    dossier = _listed_dossier(campaign, dossier_id)
    reason = require_text(reason, "reason", 300, _("请说明利害关系，例如同一单位、亲属。"))
    if db.session.scalar(
        sa.select(Vote.id).where(Vote.member_id == member.id, Vote.dossier_id == dossier.id)
    ):
        raise Conflict(_("已经投票的候选人不能再申报回避。"))
    db.session.execute(
        insert_ignoring_duplicates(
            db.session, ConflictDeclaration, ["member_id", "dossier_id"]
        ).values(member_id=member.id, dossier_id=dossier.id, reason=reason, created_at=utcnow())
    )
    db.session.commit()


def cast_vote(
    actor: User, campaign: Campaign, dossier_id: int, choice: str, reason: str | None = None
) -> Vote:
    member = require_member(actor, campaign)
    _require_open(campaign)
    dossier = _listed_dossier(campaign, dossier_id)
    if db.session.scalar(
        sa.select(ConflictDeclaration.id).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.dossier_id == dossier.id
        )
    ):
        raise Conflict(_("您已申报与这位候选人有利害关系，须回避，不能投票。"))
    if choice not in {c.value for c in VoteChoice}:
        raise Invalid(errors={"choice": [_("请选择赞成、反对或弃权。")]})
    reason = clean(reason, 300)
    if choice == VoteChoice.abstain.value and not reason:
        raise Invalid(errors={"reason": [_("弃权须说明理由。")]})
    vote = Vote(
        member_id=member.id, dossier_id=dossier.id, choice=VoteChoice(choice), reason=reason
    )
    try:
        with db.session.begin_nested():
            db.session.add(vote)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(_("您已对这位候选人投过票，不能更改。")) from None
    if missing_votes(campaign) == 0:
        record(
            actor,
            "selection.committee.tally",
            "selection_campaign",
            campaign.id,
            organization_id=campaign.organization_id,
            after={str(k): v for k, v in tally(campaign).items()},
            summary=campaign.title,
        )
    db.session.commit()
    return vote


def tally(campaign: Campaign) -> dict[int, dict[str, int]]:
    """Votes per listed candidate: {dossier_id: {"yes", "no", "abstain", "entitled"}}."""
    listed = sa.select(Dossier.id).where(
        Dossier.campaign_id == campaign.id, Dossier.status == DossierStatus.accepted
    )
    member_ids = sa.select(CommitteeMember.id).where(CommitteeMember.campaign_id == campaign.id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(member_ids.subquery()))
    result = {
        d: {"yes": 0, "no": 0, "abstain": 0, "entitled": total} for d in db.session.scalars(listed)
    }
    for dossier_id, choice, n in db.session.execute(
        sa.select(Vote.dossier_id, Vote.choice, sa.func.count())
        .where(Vote.dossier_id.in_(listed), Vote.member_id.in_(member_ids))
        .group_by(Vote.dossier_id, Vote.choice)
    ):
        result[dossier_id][VoteChoice(choice).value] = n
    for dossier_id, n in db.session.execute(
        sa.select(ConflictDeclaration.dossier_id, sa.func.count())
        .where(
            ConflictDeclaration.dossier_id.in_(listed),
            ConflictDeclaration.member_id.in_(member_ids),
        )
        .group_by(ConflictDeclaration.dossier_id)
    ):
        result[dossier_id]["entitled"] -= n
    return result


def visible_tally(actor: User, campaign: Campaign) -> dict[int, dict[str, int]] | None:
    """Members see the tally only once every vote is in; organizers see it then too."""
    if member_of(actor, campaign) is None:
        require_organizer(actor, campaign)
    if missing_votes(campaign):
        return None
    return tally(campaign)


def apply_tally(actor: User, campaign: Campaign) -> None:
    """At publishing: withdraw candidates without more votes for than half of those
    entitled to vote (only when there is a committee)."""
    if not members(campaign):
        return
    for dossier_id, counts in tally(campaign).items():
        if counts["yes"] * 2 <= counts["entitled"]:
            dossier = load(Dossier, dossier_id, lock=True)
            release_all(dossier)
            dossier.status = DossierStatus.withdrawn
            step(dossier, actor, StepAction.withdraw, reason=_("评审委员会赞成票未过半数。"))


def committee_campaign(actor: User, campaign_id: int) -> Campaign:
    """A campaign as its committee members (or organizers) see it."""
    from lms.selection.services.common import is_organizer

    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or not (member_of(actor, campaign) or is_organizer(actor, campaign)):
        raise NotFound()
    return campaign


def my_votes(actor: User, campaign: Campaign) -> tuple[dict[int, Vote], set[int]]:
    member = member_of(actor, campaign)
    if member is None:
        return {}, set()
    votes = {
        v.dossier_id: v
        for v in db.session.scalars(sa.select(Vote).where(Vote.member_id == member.id))
    }
    conflicts = set(
        db.session.scalars(
            sa.select(ConflictDeclaration.dossier_id).where(
                ConflictDeclaration.member_id == member.id
            )
        )
    )
    return votes, conflicts
