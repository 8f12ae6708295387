"""Innovation studios: the registry (the lead must hold a qualifying honour), naming with
review, revocation with a reason, members, and the funding ledger (grants and spendings,
never edited in place; a spending that would overdraw the balance is refused, race-safe by
one conditional UPDATE of the studio's balance)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms import signals
from lms.accounts import scope
from lms.accounts.models import Honor, HonorKind, Organization, User
from lms.audit.services import record
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import (
    EntryKind,
    Innovation,
    LedgerEntry,
    Studio,
    StudioLevel,
    StudioMember,
    StudioStatus,
)
from lms.innovation.services.common import get_person, now, transaction

QUALIFYING_KINDS = (HonorKind.model_worker, HonorKind.craftsman)


def qualifying_honor(user: User) -> Honor | None:
    """A model-worker or craftsman honour, or one whose title is in the configured list."""
    titles = set(current_app.config.get("INNOVATION_STUDIO_LEAD_TITLES", ()))
    for honor in user.honors:
        if honor.kind in QUALIFYING_KINDS or (honor.title and honor.title in titles):
            return honor
    return None


def studios_query(actor: User, q: str | None = None, status: str | None = None) -> sa.Select:
    """Named studios are public to everyone signed in; applications to officers in scope."""
    stmt = sa.select(Studio)
    visible = Studio.status == StudioStatus.named
    if scope.is_admin(actor) or scope.is_officer(actor):
        visible = sa.or_(visible, Studio.organization_id.in_(scope.scoped_org_ids(actor)))
    stmt = stmt.where(sa.or_(visible, Studio.lead_id == actor.id))
    if q:
        stmt = stmt.where(Studio.name.like(f"%{q.strip()}%"))
    if status:
        stmt = stmt.where(Studio.status == status)
    return stmt.order_by(Studio.year.desc(), Studio.id)


def get_studio(actor: User, studio_id: int) -> Studio:
    studio = db.session.get(Studio, studio_id)
    if studio is None or not (
        studio.status == StudioStatus.named
        or studio.lead_id == actor.id
        or scope.org_in_scope(actor, studio.organization)
    ):
        raise NotFound()
    return studio


def can_manage(actor: User, studio: Studio) -> bool:
    return scope.org_in_scope(actor, studio.organization)


def _manageable(actor: User, studio: Studio) -> None:
    if not can_manage(actor, studio):
        raise NotFound()


@transaction
def register_studio(
    actor: User,
    *,
    name: str,
    lead: User,
    organization: Organization,
    level: StudioLevel | str,
    year: int,
    trade: str | None = None,
    plan: str | None = None,
    member_ids: list[int] | None = None,
) -> Studio:
    """An officer registers a studio's application for their subtree."""
    scope.require_org_in_scope(actor, organization)
    name = (name or "").strip()
    if not name:
        raise Invalid(errors={"name": [_("请填写工作室名称。")]})
    if db.session.scalar(sa.select(Studio.id).where(Studio.name == name)):
        raise Invalid(errors={"name": [_("已有同名的工作室。")]})
    try:
        level = StudioLevel(level)
    except ValueError:
        raise Invalid(errors={"level": [_("请选择级别。")]}) from None
    # The lead is one of the officer's own people: an outsider is "not found", and whether an
    # outsider holds an honour is not revealed.
    if lead is None or not scope.org_in_scope(actor, lead.organization):
        raise NotFound(_("找不到此人，或不在您的管理范围内。"))
    if qualifying_honor(lead) is None:
        raise Invalid(
            errors={
                "lead_id": [_("领办人须是劳动模范、工匠或获得规定称号的职工（以荣誉库为准）。")]
            }
        )
    members = []
    for user_id in dict.fromkeys(member_ids or []):
        if user_id != lead.id:
            person = get_person(actor, user_id, "member_ids")
            if not scope.org_in_scope(actor, person.organization):
                raise Invalid(errors={"member_ids": [_("找不到这名职工。")]})
            members.append(StudioMember(user_id=person.id))
    studio = Studio(
        name=name[:120],
        lead_id=lead.id,
        organization_id=organization.id,
        level=level,
        year=int(year),
        trade=(trade or "").strip() or None,
        plan=(plan or "").strip() or None,
        status=StudioStatus.applied,
        balance=Decimal("0"),
        members=[StudioMember(user_id=lead.id), *members],
    )
    db.session.add(studio)
    db.session.flush()
    return studio


@transaction
def decide_studio(actor: User, studio: Studio, approve: bool, reason: str | None) -> Studio:
    """Name the studio or turn the application down (a reason is required then)."""
    _manageable(actor, studio)
    reason = (reason or "").strip() or None
    if not approve and not reason:
        raise Invalid(errors={"reason": [_("不予命名时须写明理由。")]})
    new = StudioStatus.named if approve else StudioStatus.rejected
    _move(actor, studio, StudioStatus.applied, new, reason)
    if approve:
        studio.confirmed_at = studio.decided_at  # reconfirmation is due years from here
        db.session.flush()
    return studio


@transaction
def revoke_studio(actor: User, studio: Studio, reason: str | None) -> Studio:
    _manageable(actor, studio)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(errors={"reason": [_("撤销命名须写明理由。")]})
    _move(actor, studio, StudioStatus.named, StudioStatus.revoked, reason)
    return studio


def _move(actor, studio, expected: StudioStatus, new: StudioStatus, reason) -> None:
    result = db.session.execute(
        sa.update(Studio)
        .where(Studio.id == studio.id, Studio.status == expected)
        .values(status=new, decided_at=now(), decided_by_id=actor.id, reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("工作室的状态已经变了，请刷新查看。"))
    before = studio.status
    db.session.refresh(studio)
    record(
        actor,
        "innovation.studio",
        "studio",
        studio.id,
        organization_id=studio.organization_id,
        before={"status": before.value},
        after={"status": new.value, "reason": reason},
        summary=_("工作室：%(name)s", name=studio.name),
    )
    signals.emit(
        signals.studio_decided, studio_id=studio.id, lead_id=studio.lead_id, status=new.value
    )


@transaction
def add_member(actor: User, studio: Studio, user: User) -> None:
    _manageable(actor, studio)
    if not scope.org_in_scope(actor, user.organization):
        raise Invalid(errors={"user_id": [_("找不到这名职工。")]})
    if studio.status in (StudioStatus.rejected, StudioStatus.revoked):
        raise Conflict(_("工作室已撤销或未获命名，不能再加成员。"))
    if any(m.user_id == user.id for m in studio.members):
        raise Conflict(_("这名职工已是工作室成员。"))
    studio.members.append(StudioMember(user_id=user.id))
    db.session.flush()


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        if not amount.is_finite():  # NaN and Infinity parse, then break every comparison
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise Invalid(errors={"amount": [_("请填写金额（元）。")]}) from None
    if amount <= 0 or amount >= Decimal("1e10"):
        raise Invalid(errors={"amount": [_("金额须大于 0。")]})
    return amount


@transaction
def add_entry(
    actor: User,
    studio: Studio,
    kind: EntryKind | str,
    amount,
    description: str,
    corrects_id: int | None = None,
) -> LedgerEntry:
    """A grant or a spending. A spending is refused if it would overdraw the balance; the
    check and the move are one UPDATE, so two spendings at once cannot both pass."""
    _manageable(actor, studio)
    if studio.status != StudioStatus.named:
        raise Conflict(_("只有已命名的工作室才能记账。"))
    try:
        kind = EntryKind(kind)
    except ValueError:
        raise Invalid(errors={"kind": [_("请选择拨款或支出。")]}) from None
    amount = _amount(amount)
    description = (description or "").strip()
    if not description:
        raise Invalid(errors={"description": [_("请写明用途或来源。")]})
    if corrects_id is not None:
        corrected = db.session.get(LedgerEntry, corrects_id)
        if corrected is None or corrected.studio_id != studio.id:
            raise Invalid(errors={"corrects_id": [_("要更正的记录不属于这个工作室。")]})
    stmt = sa.update(Studio).where(Studio.id == studio.id)
    if kind == EntryKind.spending:
        stmt = stmt.where(Studio.balance >= amount).values(balance=Studio.balance - amount)
    else:
        stmt = stmt.values(balance=Studio.balance + amount)
    balance = db.session.execute(
        stmt.returning(Studio.balance).execution_options(synchronize_session=False)
    ).scalar()
    if balance is None:
        raise Invalid(errors={"amount": [_("余额不足：这笔支出超过了工作室的经费余额。")]})
    entry = LedgerEntry(
        studio_id=studio.id,
        kind=kind,
        amount=amount,
        description=description[:200],
        corrects_id=corrects_id,
        balance_after=balance,
        created_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    db.session.refresh(studio)
    record(
        actor,
        "innovation.ledger",
        "studio",
        studio.id,
        organization_id=studio.organization_id,
        after={"kind": kind.value, "amount": str(amount), "balance": str(balance)},
        summary=_("工作室经费：%(name)s", name=studio.name),
    )
    return entry


def studio_innovations(studio: Studio) -> list[Innovation]:
    return list(
        db.session.scalars(
            sa.select(Innovation)
            .where(Innovation.studio_id == studio.id)
            .order_by(Innovation.submitted_at.desc())
            .limit(100)
        )
    )


@transaction
def link_innovation(actor: User, item: Innovation, studio: Studio | None) -> None:
    """An officer marks an item as the studio's achievement (or unlinks it)."""
    if not scope.org_in_scope(actor, item.organization):
        raise NotFound()
    if studio is not None:
        _manageable(actor, studio)
    item.studio_id = studio.id if studio else None
    db.session.flush()
