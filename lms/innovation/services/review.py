"""Review with deadlines: the unit's queue, the overdue list, decisions (adopted, adopted for
trial, not adopted with a reason) and merging a duplicate into the earlier item.

A decision is one conditional UPDATE on the item's stage and version: of two reviewers
deciding at once, one wins and the other is told."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms import signals
from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import insert_ignoring_duplicates
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import DECISIONS, Innovation, InnovationSupporter, Stage
from lms.innovation.services.common import (
    can_support,
    now,
    require_officer_in_scope_not_author,
    transaction,
    visible_condition,
)

#: What a list row shows besides the item: its author and organization, loaded with it.
_LIST_LOADS = (joinedload(Innovation.author), joinedload(Innovation.organization))


@dataclass
class ItemFilter:
    q: str | None = None
    stage: str | None = None
    kind: str | None = None
    overdue: bool = False
    mine: bool = False


def items_query(actor: User, filters: ItemFilter | None = None) -> sa.Select:
    filters = filters or ItemFilter()
    stmt = sa.select(Innovation).options(*_LIST_LOADS).where(visible_condition(actor))
    if filters.mine:
        stmt = stmt.where(Innovation.author_id == actor.id)
    if filters.stage:
        stmt = stmt.where(Innovation.stage == filters.stage)
    if filters.kind:
        stmt = stmt.where(Innovation.kind == filters.kind)
    if filters.overdue:
        stmt = stmt.where(Innovation.stage == Stage.review, Innovation.due_at < now())
    if filters.q:
        like = f"%{filters.q.strip()}%"
        stmt = stmt.where(sa.or_(Innovation.title.like(like), Innovation.problem.like(like)))
    return stmt.order_by(Innovation.submitted_at.desc(), Innovation.id.desc())


def queue_query(actor: User, overdue_only: bool = False) -> sa.Select:
    """Items waiting for the officer's units, the oldest deadline first."""
    scope.require_officer(actor)
    stmt = (
        sa.select(Innovation)
        .options(*_LIST_LOADS)
        .where(
            Innovation.stage == Stage.review,
            Innovation.organization_id.in_(scope.scoped_org_ids(actor)),
        )
    )
    if overdue_only:
        stmt = stmt.where(Innovation.due_at < now())
    return stmt.order_by(Innovation.due_at, Innovation.id)


def overdue_count(actor: User) -> int:
    stmt = queue_query(actor, overdue_only=True)
    return db.session.scalar(stmt.with_only_columns(sa.func.count()).order_by(None)) or 0


def is_overdue(item: Innovation) -> bool:
    return item.stage == Stage.review and item.due_at is not None and item.due_at < now()


def _require_reviewer(actor: User, item: Innovation) -> None:
    require_officer_in_scope_not_author(actor, item)


@transaction
def decide(actor: User, item: Innovation, outcome: Stage | str, reason: str | None) -> Innovation:
    """Adopt, adopt for trial or not adopt (a reason is required: the author sees it)."""
    _require_reviewer(actor, item)
    try:
        outcome = Stage(outcome)
    except ValueError:
        outcome = None
    if outcome not in DECISIONS:
        raise Invalid(errors={"outcome": [_("请选择评审结论。")]})
    reason = (reason or "").strip() or None
    if outcome == Stage.not_adopted and not reason:
        raise Invalid(errors={"reason": [_("不采纳时须写明理由，提交人会看到它。")]})
    _claim(item, outcome, actor, reason)
    record(
        actor,
        "innovation.decide",
        "innovation",
        item.id,
        organization_id=item.organization_id,
        before={"stage": Stage.review.value},
        after={"stage": outcome.value, "reason": reason},
        summary=_("评审：%(title)s", title=item.title),
    )
    signals.emit(
        signals.innovation_decided,
        innovation_id=item.id,
        author_id=item.author_id,
        stage=outcome.value,
        decided_by_id=actor.id,
    )
    return item


def _claim(item: Innovation, outcome: Stage, actor: User, reason: str | None, **extra) -> None:
    """Move the item out of review if nobody else did first (its version unchanged)."""
    if item.stage != Stage.review:
        raise Conflict(_("这一项已有评审结论，无需重复评审。"))
    at = now()
    result = db.session.execute(
        sa.update(Innovation)
        .where(
            Innovation.id == item.id,
            Innovation.stage == Stage.review,
            Innovation.version == item.version,
        )
        .values(
            stage=outcome,
            version=Innovation.version + 1,
            decided_at=at,
            decided_by_id=actor.id,
            decision_reason=reason,
            **extra,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("另一位评审人刚刚已对这一项作出结论，请刷新查看。"))
    db.session.refresh(item)


@transaction
def support(actor: User, item: Innovation) -> int:
    """The actor supports the item (once); answers the supporters' count."""
    if not can_support(actor, item):
        raise NotFound()
    if item.stage == Stage.merged:
        raise Conflict(_("这一项已并入另一项，请支持原项目。"))
    db.session.execute(
        insert_ignoring_duplicates(db.session, InnovationSupporter, ["innovation_id", "user_id"]),
        [{"innovation_id": item.id, "user_id": actor.id, "created_at": now()}],
    )
    return _recount(item)


def _recount(item: Innovation) -> int:
    count = db.session.scalar(
        sa.select(sa.func.count(InnovationSupporter.id)).where(
            InnovationSupporter.innovation_id == item.id
        )
    )
    db.session.execute(
        sa.update(Innovation)
        .where(Innovation.id == item.id)
        .values(supporters_count=count)
        .execution_options(synchronize_session=False)
    )
    item.supporters_count = count
    return count


@transaction
def merge(actor: User, duplicate: Innovation, original: Innovation) -> Innovation:
    """Merge a later duplicate into the earlier original: the duplicate's supporters and its
    author become the original's supporters (nobody counted twice), the original keeps its
    submitter and submission time (the first submitter's priority)."""
    _require_reviewer(actor, duplicate)
    _require_reviewer(actor, original)
    if duplicate.id == original.id:
        raise Invalid(errors={"original_id": [_("不能与自身合并。")]})
    if original.stage == Stage.merged:
        raise Invalid(errors={"original_id": [_("原项目本身已被合并，请合并到它所并入的项目。")]})
    if (original.submitted_at, original.id) > (duplicate.submitted_at, duplicate.id):
        raise Invalid(
            errors={
                "original_id": [_("只能把后提交的项目合并到先提交的项目，以保留首创者的优先权。")]
            }
        )
    _claim(
        duplicate,
        Stage.merged,
        actor,
        _("与“%(title)s”重复，已合并。", title=original.title),
        merged_into_id=original.id,
    )
    moved = [
        {"innovation_id": original.id, "user_id": user_id, "created_at": now()}
        for user_id in db.session.scalars(
            sa.select(InnovationSupporter.user_id).where(
                InnovationSupporter.innovation_id == duplicate.id
            )
        )
    ]
    if duplicate.author_id != original.author_id:
        moved.append(
            {"innovation_id": original.id, "user_id": duplicate.author_id, "created_at": now()}
        )
    if moved:
        db.session.execute(
            insert_ignoring_duplicates(
                db.session, InnovationSupporter, ["innovation_id", "user_id"]
            ),
            moved,
        )
    db.session.execute(
        sa.delete(InnovationSupporter).where(InnovationSupporter.innovation_id == duplicate.id)
    )
    _recount(original)
    _recount(duplicate)
    record(
        actor,
        "innovation.merge",
        "innovation",
        duplicate.id,
        organization_id=duplicate.organization_id,
        after={"merged_into": original.id},
        summary=_("合并重复项：%(title)s", title=duplicate.title),
    )
    signals.emit(
        signals.innovation_merged,
        innovation_id=duplicate.id,
        into_id=original.id,
        author_id=duplicate.author_id,
    )
    return duplicate


def escalate_overdue(limit: int = 500) -> list[int]:
    """Escalate items past their deadline, each once: the officers of the unit's parent are
    told through ``innovation_overdue``. A conditional UPDATE marks them, so two sweeps at
    once never escalate the same item twice."""
    at = now()
    candidates = list(
        db.session.scalars(
            sa.select(Innovation.id)
            .where(
                Innovation.stage == Stage.review,
                Innovation.due_at < at,
                Innovation.escalated_at.is_(None),
            )
            .order_by(Innovation.due_at)
            .limit(limit)
        )
    )
    escalated = []
    for item_id in candidates:
        result = db.session.execute(
            sa.update(Innovation)
            .where(Innovation.id == item_id, Innovation.escalated_at.is_(None))
            .values(escalated_at=at)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            escalated.append(item_id)
    rows = db.session.execute(
        sa.select(Innovation.id, Innovation.organization_id, Innovation.author_id).where(
            Innovation.id.in_(escalated)
        )
    ).all()
    db.session.commit()
    for item_id, organization_id, author_id in rows:
        signals.emit(
            signals.innovation_overdue,
            innovation_id=item_id,
            organization_id=organization_id,
            author_id=author_id,
        )
    return escalated
