"""Appeals (申诉) and their arbitration (仲裁).

A contestant files one appeal against their module's (trade's) results within the window —
by default 2 hours after the results are shown to them, which is when the organizer releases
them. The arbitration group — officers the organizer names, and the trade's supervisors —
records the decision once: dismissed, or upheld, with a re-mark that changes the locked marks
as new audited versions in the scoring engine. Once the titles are conferred nothing is
re-marked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit import services as audit
from lms.competitions import services
from lms.competitions.changes import current_mark, require_open_for_changes
from lms.competitions.models import Assignment, Contest, Contestant, Official, Trade
from lms.competitions.rules_models import Appeal, Arbitrator
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.scoring import services as scoring
from lms.timeutil import to_local

PENDING, UPHELD, DISMISSED = "pending", "upheld", "dismissed"
MAX_APPEAL_HOURS = 72


# --- the arbitration group -----------------------------------------------------------------


def name_arbitrator(actor: User, contest: Contest, person: User) -> Arbitrator:
    """The organizer names an officer to the contest's arbitration group."""
    services.require_organizer(actor, contest)
    if not scope.is_officer(person):
        raise Invalid(_("仲裁组成员须为培训专员。"), errors={"user_id": [_("请选择培训专员。")]})
    found = db.session.scalar(
        sa.select(Arbitrator).where(
            Arbitrator.contest_id == contest.id, Arbitrator.user_id == person.id
        )
    )
    if found is not None:
        raise Conflict(_("此人已在仲裁组中。"))
    row = Arbitrator(contest_id=contest.id, user_id=person.id)
    db.session.add(row)
    db.session.flush()
    audit.record(
        actor,
        "competitions.arbitrator_named",
        "competition_contest",
        contest.id,
        organization_id=contest.organization_id,
        after={"user_id": person.id},
        summary=contest.name,
    )
    return row


def is_arbitrator(person: User, trade: Trade) -> bool:
    named = db.session.scalar(
        sa.select(Arbitrator.id).where(
            Arbitrator.contest_id == trade.contest_id, Arbitrator.user_id == person.id
        )
    )
    return named is not None or services.official_of(trade, person, Official.supervisor) is not None


def set_appeal_hours(actor: User, contest: Contest, hours: int) -> None:
    services.require_organizer(actor, contest)
    if not (1 <= int(hours) <= MAX_APPEAL_HOURS):
        raise Invalid(
            _("申诉期须在 1 到 %(max)s 小时之间。", max=MAX_APPEAL_HOURS),
            errors={"appeal_hours": [_("请填写 1 到 %(max)s 之间的整数。", max=MAX_APPEAL_HOURS)]},
        )
    contest.appeal_hours = int(hours)
    db.session.flush()


# --- filing --------------------------------------------------------------------------------


def window_closes_at(contest: Contest) -> datetime | None:
    """The end of the appeal window (None while the results are not shown yet)."""
    if contest.released_at is None:
        return None
    return contest.released_at + timedelta(hours=contest.appeal_hours)


def file(person: User, contestant: Contestant, reason: str, *, now: datetime | None = None):
    """The contestant appeals their results, once, within the window."""
    if contestant.user_id != person.id:
        raise Forbidden(_("只能为自己的成绩申诉。"))
    contest = db.session.get(Contest, contestant.contest_id)
    closes = window_closes_at(contest)
    if closes is None:
        raise Conflict(_("成绩公布后才能申诉。"))
    if (now or utcnow()) > closes:
        raise Conflict(
            _(
                "申诉期已过：成绩公布后 %(hours)s 小时内可以申诉（截至 %(when)s）。",
                hours=contest.appeal_hours,
                when=to_local(closes).strftime("%Y-%m-%d %H:%M"),
            )
        )
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请写明申诉的理由。"), errors={"reason": [_("请填写理由。")]})
    if len(reason) > 2000:
        raise Invalid(_("申诉理由不超过 2000 字。"), errors={"reason": [_("理由太长。")]})
    appeal = Appeal(
        contestant_id=contestant.id,
        trade_id=contestant.trade_id,
        reason=reason,
        filed_at=now or utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
            db.session.flush()
    except sa.exc.IntegrityError:
        raise Conflict(_("您已经提交过申诉，每位选手只能申诉一次。")) from None
    return appeal


def appeal_of(contestant: Contestant) -> Appeal | None:
    return db.session.scalar(sa.select(Appeal).where(Appeal.contestant_id == contestant.id))


# --- arbitration ---------------------------------------------------------------------------


def queue(actor: User, trade: Trade) -> list[Appeal]:
    """The trade's appeals, pending first, for the arbitration group."""
    if not is_arbitrator(actor, trade):
        raise Forbidden(_("只有仲裁组成员可以查看申诉。"))
    return list(
        db.session.scalars(
            sa.select(Appeal)
            .where(Appeal.trade_id == trade.id)
            .order_by((Appeal.status != PENDING), Appeal.filed_at, Appeal.id)
        )
    )


def decide(
    arbitrator: User,
    appeal_id: int,
    outcome: str,
    *,
    decision: str,
    remarks: list[dict[str, Any]] | None = None,
) -> Appeal:
    """Record the group's decision once. ``upheld`` with ``remarks`` (each: scorer_id,
    criterion, value) re-marks: every changed mark is a new audited version. Decided twice at
    once: the appeal row is locked, the second is refused."""
    appeal = db.session.scalar(
        sa.select(Appeal)
        .where(Appeal.id == appeal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if appeal is None:
        raise NotFound()
    trade = db.session.get(Trade, appeal.trade_id)
    if not is_arbitrator(arbitrator, trade):
        raise Forbidden(_("只有仲裁组成员可以裁决申诉。"))
    if appeal.status != PENDING:
        raise Conflict(_("该申诉已经裁决。"))
    if outcome not in (UPHELD, DISMISSED):
        raise Invalid(errors={"outcome": [_("请选择维持原成绩或支持申诉。")]})
    decision = (decision or "").strip()
    if not decision:
        raise Invalid(_("请写明仲裁意见。"), errors={"decision": [_("请填写仲裁意见。")]})
    remarks = remarks or []
    if outcome == DISMISSED and remarks:
        raise Invalid(_("驳回申诉时不能改分。"), errors={"remarks": [_("驳回时请不要填写改分。")]})
    if remarks:
        require_open_for_changes(trade)
    before = _remark(arbitrator, appeal, trade, decision, remarks)
    changed = len(before)
    appeal.status, appeal.decision, appeal.remarked = outcome, decision, changed
    appeal.decided_by_id, appeal.decided_at = arbitrator.id, utcnow()
    audit.record(
        arbitrator,
        "competitions.appeal_decided",
        "competition_appeal",
        appeal.id,
        organization_id=trade.contest.organization_id,
        before={"status": PENDING, "marks": before},
        after={"status": outcome, "decision": decision, "remarked": changed},
        summary=f"{trade.name} {appeal.contestant.marking_code}",
    )
    db.session.flush()
    return appeal


def _remark(
    arbitrator: User, appeal: Appeal, trade: Trade, decision: str, remarks: list[dict[str, Any]]
) -> dict[str, str]:
    """Apply the re-mark: each changed mark a new audited version; returns the marks before
    (by ``scorer_id:criterion``), unchanged ones left out."""
    code = appeal.contestant.marking_code
    panel = services.panel_of(trade)
    scorers = set(
        db.session.scalars(
            sa.select(Assignment.user_id).where(
                Assignment.trade_id == trade.id,
                Assignment.official.in_([Official.judge, Official.chief_judge]),
            )
        )
    )
    before: dict[str, str] = {}
    for i, row in enumerate(remarks, start=1):
        scorer_id, criterion = row.get("scorer_id"), str(row.get("criterion") or "")
        if scorer_id not in scorers:
            raise Invalid(errors={f"remarks.{i}": [_("请选择本项目的裁判。")]})
        try:
            mark = current_mark(trade, code, scorer_id, criterion)
            value = scoring.check_value(panel, criterion, row.get("value"))
        except NotFound:
            raise Invalid(errors={f"remarks.{i}": [_("没有这条评分。")]}) from None
        if value == mark:
            continue
        scoring.amend_locked(
            panel,
            code,
            scorer_id,
            criterion,
            value,
            reason=_("申诉 #%(id)s 复核：%(decision)s", id=appeal.id, decision=decision)[:500],
            requested_by_id=arbitrator.id,
            approved_by_id=arbitrator.id,
        )
        before[f"{scorer_id}:{criterion}"] = str(mark)
    return before
