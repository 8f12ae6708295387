"""Rewards: the grade table (configurable; five default grades by verified annual benefit),
the reward computed only on a verified benefit, split by the team's shares into a per-person
ledger, and its XLSX export for payment (audited as an export)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms import signals
from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.core.tabular import xlsx_bytes
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.innovation.models import Innovation, RewardGrade, RewardLine
from lms.innovation.services.common import require_officer_in_scope_not_author, transaction


@dataclass(frozen=True)
class Grade:
    grade: int
    name: str
    min_benefit: Decimal
    amount: Decimal


DEFAULT_GRADES = (
    Grade(1, _l("一等奖"), Decimal("1000000"), Decimal("10000")),
    Grade(2, _l("二等奖"), Decimal("500000"), Decimal("5000")),
    Grade(3, _l("三等奖"), Decimal("100000"), Decimal("2000")),
    Grade(4, _l("四等奖"), Decimal("50000"), Decimal("1000")),
    Grade(5, _l("五等奖"), Decimal("10000"), Decimal("500")),
)


def grade_table() -> list[Grade]:
    """The configured grades, highest threshold first; the defaults when none is set."""
    rows = db.session.scalars(sa.select(RewardGrade).order_by(RewardGrade.min_benefit.desc()))
    table = [Grade(r.grade, r.name, r.min_benefit, r.amount) for r in rows]
    return table or sorted(DEFAULT_GRADES, key=lambda g: -g.min_benefit)


@transaction
def set_grade_table(actor: User, grades: list[dict]) -> list[Grade]:
    """Admins replace the table: grades numbered 1.., thresholds and amounts positive."""
    if not scope.is_admin(actor):
        raise Forbidden()
    if not grades:
        raise Invalid(errors={"grades": [_("至少要有一个等级。")]})
    numbers = [int(g["grade"]) for g in grades]
    if len(set(numbers)) != len(numbers):
        raise Invalid(errors={"grades": [_("等级不能重复。")]})
    for g in grades:
        if Decimal(str(g["min_benefit"])) <= 0 or Decimal(str(g["amount"])) <= 0:
            raise Invalid(errors={"grades": [_("效益门槛和奖金须大于 0。")]})
    before = [(g.grade, str(g.min_benefit), str(g.amount)) for g in grade_table()]
    db.session.execute(sa.delete(RewardGrade))
    for g in grades:
        db.session.add(
            RewardGrade(
                grade=int(g["grade"]),
                name=str(g["name"])[:40],
                min_benefit=Decimal(str(g["min_benefit"])),
                amount=Decimal(str(g["amount"])),
            )
        )
    db.session.flush()
    record(
        actor,
        "innovation.grades",
        "reward_grades",
        None,
        before={"grades": before},
        after={"grades": [(g["grade"], str(g["min_benefit"]), str(g["amount"])) for g in grades]},
        summary=_("修改奖励等级表"),
    )
    return grade_table()


def grade_for(benefit: Decimal) -> Grade | None:
    for grade in grade_table():
        if benefit >= grade.min_benefit:
            return grade
    return None


def split(amount: Decimal, shares: list[tuple[int, Decimal]]) -> list[tuple[int, Decimal, Decimal]]:
    """Each person's part of ``amount`` by share, in cents; what rounding leaves goes to the
    largest share, so the parts add up to the amount exactly."""
    cent = Decimal("0.01")
    parts = [
        (user_id, share, (amount * share / Decimal("100")).quantize(cent, rounding=ROUND_DOWN))
        for user_id, share in shares
    ]
    rest = amount - sum((p for _u, _s, p in parts), Decimal("0"))
    if rest and parts:
        top = max(range(len(parts)), key=lambda i: (parts[i][1], -i))
        user_id, share, part = parts[top]
        parts[top] = (user_id, share, part + rest)
    return parts


@transaction
def compute_reward(actor: User, item: Innovation) -> list[RewardLine]:
    """Write the reward lines of a verified item, once."""
    require_officer_in_scope_not_author(actor, item)
    if item.benefit_verified_at is None or item.actual_benefit is None:
        raise Invalid(errors={"actual_benefit": [_("效益尚未核定，不能计算奖励。")]})
    grade = grade_for(item.actual_benefit)
    if grade is None:
        raise Invalid(errors={"actual_benefit": [_("核定效益未达到最低奖励等级。")]})
    exists = db.session.scalar(
        sa.select(sa.func.count(RewardLine.id)).where(RewardLine.innovation_id == item.id)
    )
    if exists:
        raise Conflict(_("这一项的奖励已经计算过。"))
    shares = [(m.user_id, m.share) for m in item.members] or [(item.author_id, Decimal("100"))]
    lines = [
        RewardLine(
            innovation_id=item.id,
            user_id=user_id,
            grade=grade.grade,
            grade_name=str(grade.name),
            share=share,
            amount=part,
            computed_by_id=actor.id,
        )
        for user_id, share, part in split(grade.amount, shares)
    ]
    try:
        with db.session.begin_nested():
            db.session.add_all(lines)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("这一项的奖励已经计算过。")) from None
    record(
        actor,
        "innovation.reward",
        "innovation",
        item.id,
        organization_id=item.organization_id,
        after={"grade": grade.grade, "amount": str(grade.amount)},
        summary=_("计算奖励：%(title)s", title=item.title),
    )
    signals.emit(
        signals.innovation_reward_computed,
        innovation_id=item.id,
        user_ids=[line.user_id for line in lines],
    )
    return lines


def ledger_query(actor: User, user_id: int | None = None, q: str | None = None) -> sa.Select:
    """Reward lines: a worker their own; officers those of items in their subtree; ``q``
    searches the person's name or employee number and the item's title."""
    stmt = (
        sa.select(RewardLine)
        .join(Innovation, RewardLine.innovation_id == Innovation.id)
        .options(joinedload(RewardLine.user), joinedload(RewardLine.innovation))
    )
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.join(User, RewardLine.user_id == User.id).where(
            sa.or_(User.name.like(like), User.employee_no.like(like), Innovation.title.like(like))
        )
    if scope.is_admin(actor) or scope.is_officer(actor):
        stmt = stmt.where(Innovation.organization_id.in_(scope.scoped_org_ids(actor)))
        if user_id:
            stmt = stmt.where(RewardLine.user_id == user_id)
    else:
        stmt = stmt.where(RewardLine.user_id == actor.id)
    return stmt.order_by(RewardLine.created_at.desc(), RewardLine.id.desc())


def export_ledger(actor: User) -> bytes:
    """The officer's reward ledger as XLSX for payment; the export is audited."""
    scope.require_officer(actor)
    lines = list(db.session.scalars(ledger_query(actor)))
    rows = [
        (
            line.user.employee_no,
            line.user.name,
            line.user.organization.name,
            line.innovation.title,
            line.grade_name,
            float(line.share),
            float(line.amount),
        )
        for line in lines
    ]
    record(
        actor,
        "export",
        "innovation_rewards",
        None,
        organization_id=actor.organization_id,
        after={"rows": len(rows)},
        summary=_("导出创新奖励发放表（%(n)d 行）", n=len(rows)),
    )
    return xlsx_bytes(
        _("创新奖励"),
        [_("工号"), _("姓名"), _("单位"), _("项目"), _("等级"), _("贡献比例%"), _("奖金（元）")],
        rows,
    )
