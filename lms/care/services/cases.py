"""Hardship cases (困难帮扶): opening a case, its steps and follow-ups, the help paid and
closing it. Payments form the yearly ledger; a person gets at most one health check-up
subsidy a year (a unique index decides, so two submits at once cannot both pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms.accounts.models import Organization, User
from lms.audit.services import record
from lms.care.models import (
    MAX_AMOUNT,
    CareCase,
    CaseStatus,
    CaseStep,
    HelpKind,
    HelpPayment,
    NeedKind,
)
from lms.care.services.access import covers, get_person, require_care_team, scope_condition
from lms.care.services.common import clean, load, local_today
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db


@dataclass
class CaseFilter:
    status: str | None = None
    need: str | None = None
    overdue: bool = False
    q: str | None = None


def _overdue_condition(today: date):
    return sa.exists(
        sa.select(CaseStep.id).where(
            CaseStep.case_id == CareCase.id, CaseStep.done_on.is_(None), CaseStep.due_on < today
        )
    )


def cases_query(actor: User, filters: CaseFilter | None = None) -> sa.Select:
    require_care_team(actor)
    filters = filters or CaseFilter()
    stmt = (
        sa.select(CareCase)
        .join(Organization, CareCase.organization_id == Organization.id)
        .join(User, CareCase.person_id == User.id)
        .where(scope_condition(actor))
        .options(selectinload(CareCase.person), selectinload(CareCase.owner))
        .order_by(CareCase.status, CareCase.opened_on.desc(), CareCase.id.desc())
    )
    if filters.status in CaseStatus.__members__:
        stmt = stmt.where(CareCase.status == CaseStatus(filters.status))
    if filters.need in NeedKind.__members__:
        stmt = stmt.where(CareCase.need == NeedKind(filters.need))
    if filters.overdue:
        stmt = stmt.where(CareCase.status == CaseStatus.open, _overdue_condition(local_today()))
    if filters.q:
        stmt = stmt.where(sa.or_(User.name.contains(filters.q), CareCase.title.contains(filters.q)))
    return stmt


def get_case(actor: User, case_id: int, *, lock: bool = False) -> CareCase:
    case = load(CareCase, case_id, lock=lock)
    if case is None or not covers(actor, case.organization):
        raise NotFound()
    return case


def _owner(actor: User, owner_id: int | None, organization: Organization) -> User:
    if not owner_id or owner_id == actor.id:
        return actor
    owner = db.session.get(User, owner_id)
    if owner is None or not covers(owner, organization):
        raise Invalid(errors={"owner_id": [_("负责人须持有该人员所在单位的关爱服务职责。")]})
    return owner


def open_case(
    actor: User,
    person: User,
    *,
    need: str,
    help_kind: str,
    title: str,
    description: str | None = None,
    owner_id: int | None = None,
    internal: bool = False,
    commit: bool = True,
) -> CareCase:
    person = get_person(actor, person.id)
    errors = {}
    if need not in NeedKind.__members__:
        errors["need"] = [_("请选择困难类别。")]
    if help_kind not in HelpKind.__members__:
        errors["help_kind"] = [_("请选择帮扶方式。")]
    title = clean(title, 120)
    if not title:
        errors["title"] = [_("请填写案由。")]
    if errors:
        raise Invalid(errors=errors)
    case = CareCase(
        person_id=person.id,
        organization_id=person.organization_id,
        need=NeedKind(need),
        help_kind=HelpKind(help_kind),
        title=title,
        description=clean(description, 4000),
        owner_id=_owner(actor, owner_id, person.organization).id,
        opened_on=local_today(),
        internal=bool(internal),
    )
    db.session.add(case)
    db.session.flush()
    record(
        actor,
        "care.case.open",
        "care_case",
        case.id,
        organization_id=case.organization_id,
        # The shared audit log is read by officers without the care duty: it says who acted
        # on which case, never the need, the title or an amount (those stay in care's tables).
        summary="",
    )
    if commit:
        db.session.commit()
    return case


def _require_open(case: CareCase) -> None:
    if case.status != CaseStatus.open:
        raise Conflict(_("该帮扶已结案，不能再修改。"))


def add_step(
    actor: User,
    case: CareCase,
    *,
    text: str,
    due_on: date | None,
    internal: bool = False,
) -> CaseStep:
    case = get_case(actor, case.id)
    _require_open(case)
    errors = {}
    text = clean(text, 500)
    if not text:
        errors["text"] = [_("请填写要办的事。")]
    if due_on is None:
        errors["due_on"] = [_("请填写办理期限。")]
    elif due_on < local_today():
        errors["due_on"] = [_("办理期限不能早于今天。")]
    if errors:
        raise Invalid(errors=errors)
    step = CaseStep(
        case_id=case.id, text=text, due_on=due_on, internal=bool(internal), created_by_id=actor.id
    )
    db.session.add(step)
    db.session.commit()
    return step


def get_step(actor: User, step_id: int) -> CaseStep:
    step = db.session.get(CaseStep, step_id)
    if step is None:
        raise NotFound()
    get_case(actor, step.case_id)
    return step


def complete_step(actor: User, step: CaseStep, note: str | None = None) -> CaseStep:
    step = get_step(actor, step.id)
    _require_open(step.case)
    if step.done_on is not None:
        raise Conflict(_("这一步已办结。"))
    step.done_on = local_today()
    step.note = clean(note, 4000)
    db.session.commit()
    return step


def parse_amount(value) -> Decimal:
    """A help amount in yuan: positive, at most two decimals, below the sane maximum."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(errors={"amount": [_("请填写金额（元），如 2000 或 2000.50。")]}) from None
    if not amount.is_finite() or amount <= 0:
        raise Invalid(errors={"amount": [_("金额须大于 0。")]})
    if amount > MAX_AMOUNT:
        limit = format(MAX_AMOUNT, ",.0f")
        raise Invalid(errors={"amount": [_("金额不能超过 %(max)s 元，请核对。", max=limit)]})
    if amount != amount.quantize(Decimal("0.01")):
        raise Invalid(errors={"amount": [_("金额最多保留两位小数。")]})
    return amount


def record_payment(
    actor: User,
    case: CareCase,
    *,
    amount,
    kind: str | None = None,
    paid_on: date | None = None,
    note: str | None = None,
) -> HelpPayment:
    case = get_case(actor, case.id)
    _require_open(case)
    value = parse_amount(amount)
    kind = kind or case.help_kind.value
    if kind not in HelpKind.__members__:
        raise Invalid(errors={"kind": [_("请选择帮扶方式。")]})
    day = paid_on or local_today()
    if day > local_today():
        raise Invalid(errors={"paid_on": [_("发放日期不能晚于今天。")]})
    payment = HelpPayment(
        person_id=case.person_id,
        organization_id=case.organization_id,
        case_id=case.id,
        kind=HelpKind(kind),
        amount=value,
        year=day.year,
        paid_on=day,
        note=clean(note, 200),
        recorded_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(payment)
    except IntegrityError:
        # Only the one-subsidy-a-year index can refuse this row; the savepoint is gone.
        raise Conflict(
            _(
                "%(name)s %(year)d 年已发放过体检补助，同一人每年只能发放一次。",
                name=case.person.name,
                year=day.year,
            )
        ) from None
    record(
        actor,
        "care.payment",
        "care_case",
        case.id,
        organization_id=case.organization_id,
        after={"year": day.year},  # no kind or amount: see the note at care.case.open
        summary="",
    )
    db.session.commit()
    return payment


def close_case(actor: User, case: CareCase, outcome: str) -> CareCase:
    case = get_case(actor, case.id, lock=True)
    _require_open(case)
    outcome = clean(outcome, 4000)
    if not outcome:
        raise Invalid(errors={"outcome": [_("结案时请写明帮扶结果。")]})
    case.status = CaseStatus.closed
    case.closed_on = local_today()
    case.outcome = outcome
    record(
        actor,
        "care.case.close",
        "care_case",
        case.id,
        organization_id=case.organization_id,
        before={"status": "open"},
        after={"status": "closed"},
        summary="",
    )
    db.session.commit()
    return case


def steps_to_remind(today: date | None = None, limit: int = 500) -> list[CaseStep]:
    """Open steps of open cases due today or earlier that nobody was reminded of yet."""
    today = today or local_today()
    return list(
        db.session.scalars(
            sa.select(CaseStep)
            .join(CareCase, CaseStep.case_id == CareCase.id)
            .where(
                CaseStep.done_on.is_(None),
                CaseStep.reminded_at.is_(None),
                CaseStep.due_on <= today,
                CareCase.status == CaseStatus.open,
            )
            .order_by(CaseStep.id)
            .limit(limit)
        )
    )
