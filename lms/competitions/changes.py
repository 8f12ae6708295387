"""Changes to marks after a trade is locked: a judge (for their own marks) or the chief
judge (for any judge's) asks with a reason; a supervisor of the trade approves — the mark
then gets a new version in the scoring engine, with before, after, the reason, who asked and
who approved, and an audit entry — or rejects. Nothing changes without the approval, and once
the titles are conferred marks no longer change. Judges work with marking codes only."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.audit import services as audit
from lms.competitions import services
from lms.competitions.models import Contest, Contestant, Official, Trade
from lms.competitions.rules_models import MarkChange
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.scoring import services as scoring
from lms.scoring.models import ScoringCriterion, ScoringMark, ScoringSubject, ScoringSubmission

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def current_mark(trade: Trade, marking_code: str, scorer_id: int, criterion_code: str) -> Decimal:
    """A scorer's current mark on one criterion of one marking code (404 if none)."""
    value = db.session.scalar(
        sa.select(ScoringMark.value)
        .join(ScoringSubmission, ScoringSubmission.id == ScoringMark.submission_id)
        .join(ScoringSubject, ScoringSubject.id == ScoringSubmission.subject_id)
        .join(ScoringCriterion, ScoringCriterion.id == ScoringMark.criterion_id)
        .where(
            ScoringSubject.panel_id == trade.panel_id,
            ScoringSubject.code == marking_code,
            ScoringSubmission.scorer_id == scorer_id,
            ScoringCriterion.code == criterion_code,
        )
    )
    if value is None:
        raise NotFound(_("找不到这条评分：请核对编号、裁判和评分项。"))
    return Decimal(value)


def require_open_for_changes(trade: Trade) -> None:
    contest = db.session.get(Contest, trade.contest_id)
    if contest.titles_conferred_at is not None:
        raise Conflict(_("称号已经授予，成绩不能再修改。"))


def request_change(
    actor: User,
    trade: Trade,
    marking_code: str,
    criterion_code: str,
    value,
    *,
    reason: str,
    scorer: User | None = None,
) -> MarkChange:
    """Ask to change a locked mark. ``scorer``: whose mark (the actor's own by default; the
    chief judge may ask for any judge's)."""
    post = services.official_of(trade, actor, Official.judge, Official.chief_judge)
    if post is None:
        raise Forbidden(_("只有本项目的裁判或裁判长可以申请修改评分。"))
    scorer = scorer or actor
    if scorer.id != actor.id and post.official != Official.chief_judge:
        raise Forbidden(_("裁判只能申请修改自己的评分；修改他人的评分请由裁判长申请。"))
    panel = services.panel_of(trade)
    if not panel.locked:
        raise Conflict(_("评分尚未锁定，可直接修改。"))
    require_open_for_changes(trade)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("锁定后修改评分须写明理由。"), errors={"reason": [_("请填写理由。")]})
    if len(reason) > 500:
        raise Invalid(_("理由不超过 500 字。"), errors={"reason": [_("理由太长。")]})
    try:
        after = scoring.check_value(panel, criterion_code, value)
    except NotFound:
        raise Invalid(errors={"criterion": [_("没有这个评分项。")]}) from None
    before = current_mark(trade, marking_code, scorer.id, criterion_code)
    if after == before:
        raise Invalid(_("新分数与原分数相同，无需修改。"), errors={"value": [_("请填写新分数。")]})
    waiting = db.session.scalar(
        sa.select(MarkChange.id).where(
            MarkChange.trade_id == trade.id,
            MarkChange.marking_code == marking_code,
            MarkChange.scorer_id == scorer.id,
            MarkChange.criterion_code == criterion_code,
            MarkChange.status == PENDING,
        )
    )
    if waiting:
        raise Conflict(_("这条评分已有待监督审批的修改申请。"))
    change = MarkChange(
        trade_id=trade.id,
        marking_code=marking_code,
        scorer_id=scorer.id,
        criterion_code=criterion_code,
        before=before,
        after=after,
        reason=reason,
        requested_by_id=actor.id,
    )
    db.session.add(change)
    db.session.flush()
    return change


def _locked_change(change_id: int) -> tuple[MarkChange, Trade]:
    change = db.session.scalar(
        sa.select(MarkChange)
        .where(MarkChange.id == change_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if change is None:
        raise NotFound()
    return change, db.session.get(Trade, change.trade_id)


def _require_supervisor(actor: User, trade: Trade, change: MarkChange) -> None:
    if services.official_of(trade, actor, Official.supervisor) is None:
        raise Forbidden(_("只有本项目的监督可以审批锁定后的修改。"))
    if actor.id == change.requested_by_id:
        raise Forbidden(_("申请人不能审批自己的申请。"))


def approve(supervisor: User, change_id: int, *, note: str = "") -> MarkChange:
    """The supervisor approves: the mark changes as a new audited version. Approved or
    rejected once: the request row is locked, a second decision is refused."""
    change, trade = _locked_change(change_id)
    _require_supervisor(supervisor, trade, change)
    if change.status != PENDING:
        raise Conflict(_("该申请已经处理过。"))
    require_open_for_changes(trade)
    version = scoring.amend_locked(
        services.panel_of(trade),
        change.marking_code,
        change.scorer_id,
        change.criterion_code,
        change.after,
        reason=change.reason,
        requested_by_id=change.requested_by_id,
        approved_by_id=supervisor.id,
    )
    change.status, change.decided_by_id, change.decided_at = APPROVED, supervisor.id, utcnow()
    change.note, change.version_id = (note or "").strip()[:500], version.id
    _audit(supervisor, trade, change, "competitions.mark_change_approved")
    db.session.flush()
    return change


def reject(supervisor: User, change_id: int, *, note: str) -> MarkChange:
    change, trade = _locked_change(change_id)
    _require_supervisor(supervisor, trade, change)
    if change.status != PENDING:
        raise Conflict(_("该申请已经处理过。"))
    note = (note or "").strip()
    if not note:
        raise Invalid(_("驳回须写明理由。"), errors={"note": [_("请填写理由。")]})
    change.status, change.decided_by_id, change.decided_at = REJECTED, supervisor.id, utcnow()
    change.note = note[:500]
    _audit(supervisor, trade, change, "competitions.mark_change_rejected")
    db.session.flush()
    return change


def pending(actor: User, trade: Trade) -> list[MarkChange]:
    """Requests waiting for a decision, for the trade's officials."""
    if services.official_of(trade, actor, *Official.__members__) is None:
        raise Forbidden(_("您不是本项目的裁判、裁判长或监督。"))
    return list(
        db.session.scalars(
            sa.select(MarkChange)
            .where(MarkChange.trade_id == trade.id, MarkChange.status == PENDING)
            .order_by(MarkChange.id)
        )
    )


def history(trade: Trade, marking_code: str) -> list[MarkChange]:
    return list(
        db.session.scalars(
            sa.select(MarkChange)
            .where(MarkChange.trade_id == trade.id, MarkChange.marking_code == marking_code)
            .order_by(MarkChange.id)
        )
    )


def _audit(actor: User, trade: Trade, change: MarkChange, action: str) -> None:
    contestant_id = db.session.scalar(
        sa.select(Contestant.id).where(
            Contestant.trade_id == trade.id, Contestant.marking_code == change.marking_code
        )
    )
    audit.record(
        actor,
        action,
        "competition_mark_change",
        change.id,
        organization_id=trade.contest.organization_id,
        before={"value": str(change.before)},
        after={
            "value": str(change.after) if change.status == APPROVED else str(change.before),
            "reason": change.reason,
            "requested_by_id": change.requested_by_id,
            "note": change.note,
            "contestant_id": contestant_id,
        },
        summary=f"{trade.name} {change.marking_code} {change.criterion_code}",
    )
