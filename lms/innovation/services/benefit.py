"""Implementation and benefit: target, forecast and actual annual net benefit with the
formula used; verification by an officer holding the finance duty locks the actual figure,
later edits need a reason and are audited; the finance duty's assignment rows."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from lms import signals
from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit.services import record
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.innovation.models import FinanceDuty, Innovation, RewardLine, Stage
from lms.innovation.services.common import (
    now,
    require_officer_in_scope_not_author,
    transaction,
)

BENEFIT_STAGES = (Stage.adopted, Stage.trial)
FIELDS = ("target_benefit", "forecast_benefit", "actual_benefit")


def _money(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
        if not amount.is_finite():  # NaN and Infinity parse, then break every comparison
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise Invalid(errors={field: [_("请填写金额（元）。")]}) from None
    if abs(amount) >= Decimal("1e12"):
        raise Invalid(errors={field: [_("金额过大。")]})
    return amount


def _require_scope(actor: User, item: Innovation) -> None:
    require_officer_in_scope_not_author(actor, item)


@transaction
def set_benefit(
    actor: User,
    item: Innovation,
    *,
    target_benefit=None,
    forecast_benefit=None,
    actual_benefit=None,
    formula: str | None = None,
    reason: str | None = None,
) -> Innovation:
    """Record the figures of an adopted item. Once verified, changing the actual figure
    needs a reason (audited), and is refused when a reward was computed on it."""
    _require_scope(actor, item)
    if item.stage not in BENEFIT_STAGES:
        raise Conflict(_("只有已采纳或试行采纳的项目才能登记效益。"))
    values = {
        "target_benefit": _money(target_benefit, "target_benefit"),
        "forecast_benefit": _money(forecast_benefit, "forecast_benefit"),
        "actual_benefit": _money(actual_benefit, "actual_benefit"),
    }
    formula = (formula or "").strip() or None
    if values["actual_benefit"] is not None and not formula:
        raise Invalid(errors={"formula": [_("请写明实际效益的计算公式。")]})
    before = {f: str(getattr(item, f)) if getattr(item, f) is not None else None for f in FIELDS}
    before["formula"] = item.benefit_formula
    locked = item.benefit_verified_at is not None
    actual_changed = values["actual_benefit"] != item.actual_benefit
    if locked and (actual_changed or formula != item.benefit_formula):
        has_reward = db.session.scalar(
            sa.select(sa.func.count(RewardLine.id)).where(RewardLine.innovation_id == item.id)
        )
        if has_reward:
            raise Conflict(_("已按核定效益计算了奖励，不能再修改实际效益。"))
        reason = (reason or "").strip()
        if not reason:
            raise Invalid(errors={"reason": [_("实际效益已核定，修改须写明理由。")]})
    for field, value in values.items():
        setattr(item, field, value)
    item.benefit_formula = formula
    db.session.flush()
    if locked:
        after = {f: str(getattr(item, f)) if getattr(item, f) is not None else None for f in FIELDS}
        after["formula"] = formula
        record(
            actor,
            "innovation.benefit_edit",
            "innovation",
            item.id,
            organization_id=item.organization_id,
            before=before,
            after=after,
            summary=_("修改已核定效益：%(reason)s", reason=reason),
        )
    return item


def holds_finance_duty(actor: User, organization: Organization) -> bool:
    """Whether the actor holds the finance duty for the organization or one above it."""
    ids = [int(p) for p in organization.path.split("/") if p]
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(FinanceDuty.id)).where(
                FinanceDuty.user_id == actor.id, FinanceDuty.organization_id.in_(ids)
            )
        )
    )


@transaction
def verify_benefit(actor: User, item: Innovation) -> Innovation:
    """The finance duty verifies the actual figure, once; it is locked from then on."""
    _require_scope(actor, item)
    if not (scope.is_officer(actor) or scope.is_admin(actor)) or not holds_finance_duty(
        actor, item.organization
    ):
        raise Forbidden(_("只有负责本单位财务核定的专员才能核定效益。"))
    if item.actual_benefit is None:
        raise Invalid(errors={"actual_benefit": [_("请先登记实际效益和计算公式。")]})
    result = db.session.execute(
        sa.update(Innovation)
        .where(Innovation.id == item.id, Innovation.benefit_verified_at.is_(None))
        .values(benefit_verified_at=now(), benefit_verified_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("这项效益已经核定过，不能重复核定。"))
    db.session.refresh(item)
    record(
        actor,
        "innovation.benefit_verify",
        "innovation",
        item.id,
        organization_id=item.organization_id,
        after={"actual_benefit": str(item.actual_benefit)},
        summary=_("核定效益：%(title)s", title=item.title),
    )
    signals.emit(
        signals.innovation_benefit_verified,
        innovation_id=item.id,
        author_id=item.author_id,
        verified_by_id=actor.id,
    )
    return item


@transaction
def assign_finance_duty(actor: User, user: User, organization: Organization) -> FinanceDuty:
    """An admin gives an officer the finance duty for an organization's subtree. Officers
    cannot: whoever records a benefit must not be able to make themselves its verifier."""
    if not scope.is_admin(actor):
        raise Forbidden(_("财务核定职责由管理员授予。"))
    if not scope.is_officer(user):
        raise Invalid(errors={"user_id": [_("财务核定职责只能交给培训专员。")]})
    if not scope.org_in_scope(user, organization):
        raise Invalid(errors={"user_id": [_("这名专员不管理该单位。")]})
    duty = db.session.scalar(
        sa.select(FinanceDuty).where(
            FinanceDuty.user_id == user.id, FinanceDuty.organization_id == organization.id
        )
    )
    if duty is None:
        duty = FinanceDuty(user_id=user.id, organization_id=organization.id)
        db.session.add(duty)
        db.session.flush()
        record(
            actor,
            "innovation.finance_duty",
            "user",
            user.id,
            organization_id=organization.id,
            after={"organization_id": organization.id},
            summary=_("授予财务核定职责：%(name)s", name=user.name),
        )
    return duty


def duties_query(actor: User) -> sa.Select:
    scope.require_officer(actor)
    return (
        sa.select(FinanceDuty)
        .where(FinanceDuty.organization_id.in_(scope.scoped_org_ids(actor)))
        .order_by(FinanceDuty.id)
    )
