"""Recommended upward (推荐参评): an adopted item or an advanced operation method (先进操作法)
recommended to a higher-level award (e.g. a province's ten best innovations); the outcome and
any prize money recorded once (a conditional UPDATE: of two officers recording at once one
wins), audited, and shown on the author's and the studio's pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import Innovation, Stage, Studio
from lms.innovation.models_awards import Outcome, Recommendation, RecommendationKind
from lms.innovation.services.common import now, require_officer_in_scope_not_author, transaction

ADOPTED = (Stage.adopted, Stage.trial)


def _text(value, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(errors={field: [message]})
    return value[:limit]


@transaction
def recommend(
    actor: User,
    *,
    kind: RecommendationKind | str,
    award: str,
    awarding_body: str,
    year: int,
    item: Innovation | None = None,
    title: str | None = None,
    summary: str | None = None,
    author: User | None = None,
    studio: Studio | None = None,
    reason: str | None = None,
) -> Recommendation:
    """An officer recommends an adopted item of their scope (not their own), or an advanced
    operation method of a person of their scope, to a named award of a given year."""
    scope.require_officer(actor)
    try:
        kind = RecommendationKind(kind)
    except ValueError:
        raise Invalid(errors={"kind": [_("请选择推荐的类型。")]}) from None
    award = _text(award, "award", _("请填写推荐参评的奖项，例如“省十佳创新成果”。"), 120)
    awarding_body = _text(awarding_body, "awarding_body", _("请填写评选单位。"), 120)
    if not 2000 <= int(year) <= 2100:
        raise Invalid(errors={"year": [_("年度不正确。")]})
    if kind == RecommendationKind.item:
        if item is None:
            raise Invalid(errors={"item_id": [_("请填写推荐的项目编号。")]})
        require_officer_in_scope_not_author(actor, item)
        if item.stage not in ADOPTED:
            raise Invalid(errors={"item_id": [_("只有已采纳或试行采纳的项目才能推荐参评。")]})
        duplicate = db.session.scalar(
            sa.select(Recommendation.id).where(
                Recommendation.innovation_id == item.id,
                Recommendation.award == award,
                Recommendation.year == int(year),
            )
        )
        if duplicate:
            raise Conflict(_("这一项已推荐参评同一年度的这个奖项。"))
        title, author, studio = item.title, item.author, item.studio
        organization_id = item.organization_id
        summary = (summary or "").strip() or item.method
    else:
        title = _text(title, "title", _("请填写先进操作法的名称。"), 120)
        summary = _text(summary, "summary", _("请简要写明操作法的要点和成效。"), 4000)
        if author is None or not scope.org_in_scope(actor, author.organization):
            raise Invalid(errors={"author_id": [_("找不到这名职工，或不在您的管理范围内。")]})
        organization_id = author.organization_id
    if studio is not None and not (
        scope.org_in_scope(actor, studio.organization) or (item and item.studio_id == studio.id)
    ):
        raise Invalid(errors={"studio_id": [_("找不到这个工作室。")]})
    rec = Recommendation(
        kind=kind,
        innovation_id=item.id if item is not None else None,
        title=title,
        summary=summary,
        author_id=author.id,
        studio_id=studio.id if studio else None,
        organization_id=organization_id,
        award=award,
        awarding_body=awarding_body,
        year=int(year),
        reason=(reason or "").strip() or None,
        recommended_by_id=actor.id,
    )
    db.session.add(rec)
    db.session.flush()
    record(
        actor,
        "innovation.recommend",
        "innovation_recommendation",
        rec.id,
        organization_id=organization_id,
        after={"award": award, "year": int(year), "title": title},
        summary=_("推荐参评：%(title)s", title=title),
    )
    return rec


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise Invalid(errors={"prize_money": [_("请填写奖金（元），没有奖金填 0。")]}) from None
    if amount < 0 or amount >= Decimal("1e10"):
        raise Invalid(errors={"prize_money": [_("奖金不能为负数。")]})
    return amount


@transaction
def record_outcome(
    actor: User, rec: Recommendation, won: bool, level: str | None, prize_money
) -> Recommendation:
    """The award's result, once: won (with the level, e.g. 一等奖, and the prize money, 0 if
    none) or not won. A second recording is refused."""
    if not scope.org_in_scope(actor, rec.organization):
        raise NotFound()
    level = (level or "").strip()[:60] or None
    if won and not level:
        raise Invalid(errors={"outcome_level": [_("获奖时请填写获奖等级，例如“一等奖”。")]})
    money = _money(prize_money) if won else None
    result = db.session.execute(
        sa.update(Recommendation)
        .where(Recommendation.id == rec.id, Recommendation.outcome == Outcome.pending)
        .values(
            outcome=Outcome.won if won else Outcome.not_won,
            outcome_level=level if won else None,
            prize_money=money,
            outcome_at=now(),
            outcome_by_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("评选结果已经登记过，不能重复登记。"))
    db.session.refresh(rec)
    record(
        actor,
        "innovation.recommendation_outcome",
        "innovation_recommendation",
        rec.id,
        organization_id=rec.organization_id,
        before={"outcome": Outcome.pending.value},
        after={"outcome": rec.outcome.value, "level": level, "prize_money": str(money)},
        summary=_("评选结果：%(title)s", title=rec.title),
    )
    return rec


def _loads():
    return (joinedload(Recommendation.author), joinedload(Recommendation.studio))


def recommendations_query(actor: User, q: str | None = None) -> sa.Select:
    """Officers: their scope's; everyone: their own."""
    visible = Recommendation.author_id == actor.id
    if scope.is_officer(actor) or scope.is_admin(actor):
        visible = sa.or_(visible, Recommendation.organization_id.in_(scope.scoped_org_ids(actor)))
    stmt = sa.select(Recommendation).options(*_loads()).where(visible)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(sa.or_(Recommendation.title.like(like), Recommendation.award.like(like)))
    return stmt.order_by(Recommendation.year.desc(), Recommendation.id.desc())


def get_recommendation(actor: User, rec_id: int) -> Recommendation:
    rec = db.session.get(Recommendation, rec_id)
    if rec is None or not (
        rec.author_id == actor.id or scope.org_in_scope(actor, rec.organization)
    ):
        raise NotFound()
    return rec


def of_person(user_id: int) -> list[Recommendation]:
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .options(*_loads())
            .where(Recommendation.author_id == user_id)
            .order_by(Recommendation.year.desc(), Recommendation.id.desc())
            .limit(50)
        )
    )


def of_studio(studio_id: int) -> list[Recommendation]:
    """The studio's recommendations: those naming it, and those of its items."""
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .options(*_loads())
            .where(
                sa.or_(
                    Recommendation.studio_id == studio_id,
                    Recommendation.innovation_id.in_(
                        sa.select(Innovation.id).where(Innovation.studio_id == studio_id)
                    ),
                )
            )
            .order_by(Recommendation.year.desc(), Recommendation.id.desc())
            .limit(50)
        )
    )
