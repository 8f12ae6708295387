"""Marking schemes (评分标准), versioned, on top of the scoring engine's criteria.

A scheme is a list of aspects — *measurement* (full marks or zero, or tolerance bands) and
*judgement* (a level 0–3 with a description per level) — each with its marks; it must total
exactly 100 to be published, and publishing makes the trade's panel criteria those aspects.
Before the contest starts, the organizer or the chief judge edits the latest version and
publishes it again. Once the contest has started (its start time has come, or a judge has
marked), an edit is a new version, published at once, with a reason the chief judge signs;
every version is kept, and an aspect already marked keeps its kind (and a measurement aspect
its marks).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.audit import services as audit
from lms.competitions import services
from lms.competitions.models import Contest, Official, Trade
from lms.competitions.rules_models import Scheme, SchemeAspect
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.scoring import services as scoring
from lms.scoring.models import ScoringSubject, ScoringSubmission

TOTAL = Decimal("100")


def latest(trade: Trade) -> Scheme | None:
    return db.session.scalar(
        sa.select(Scheme).where(Scheme.trade_id == trade.id).order_by(Scheme.version.desc())
    )


def published(trade: Trade) -> Scheme | None:
    """The version in force: the latest published one."""
    return db.session.scalar(
        sa.select(Scheme)
        .where(Scheme.trade_id == trade.id, Scheme.published_at.is_not(None))
        .order_by(Scheme.version.desc())
    )


def versions(trade: Trade) -> list[Scheme]:
    return list(
        db.session.scalars(
            sa.select(Scheme).where(Scheme.trade_id == trade.id).order_by(Scheme.version)
        )
    )


def started(trade: Trade, now: datetime | None = None) -> bool:
    """The contest has started: its start time has come, or a judge has already marked."""
    contest: Contest = trade.contest
    if contest.starts_at is not None and contest.starts_at <= (now or utcnow()):
        return True
    return (
        db.session.scalar(
            sa.select(ScoringSubmission.id)
            .join(ScoringSubject, ScoringSubject.id == ScoringSubmission.subject_id)
            .where(ScoringSubject.panel_id == trade.panel_id)
            .limit(1)
        )
        is not None
    )


def _require_editor(actor: User, trade: Trade) -> None:
    if not (
        services.is_organizer(actor, trade.contest)
        or services.official_of(trade, actor, Official.chief_judge)
    ):
        raise Forbidden(_("只有主办单位的培训专员或本项目的裁判长可以编辑评分标准。"))


def _aspects(rows: list[dict[str, Any]]) -> list[SchemeAspect]:
    """Aspects from plain rows, each checked by the scoring engine's rule; the errors name
    the row (1-based) so a form or an API client can point at it."""
    if not rows:
        raise Invalid(_("评分标准至少要有一个评分项。"), errors={"aspects": [_("请添加评分项。")]})
    aspects, seen = [], set()
    for i, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()
        title = str(row.get("title") or "").strip()
        field = f"aspects.{i}"
        if not code or len(code) > 40:
            raise Invalid(
                _("第 %(n)s 项：请填写不超过 40 个字符的编号。", n=i),
                errors={field: [_("编号必填。")]},
            )
        if code in seen:
            raise Invalid(
                _("第 %(n)s 项：编号 %(code)s 重复了。", n=i, code=code),
                errors={field: [_("编号不能重复。")]},
            )
        if not title or len(title) > 200:
            raise Invalid(
                _("第 %(n)s 项：请填写不超过 200 个字符的名称。", n=i),
                errors={field: [_("名称必填。")]},
            )
        kind = str(row.get("kind") or "")
        try:
            max_mark, bands, levels = scoring.check_criterion(
                kind, row.get("max_mark"), row.get("bands"), row.get("levels")
            )
        except Invalid as exc:
            raise Invalid(
                _("第 %(n)s 项：%(reason)s", n=i, reason=exc.message),
                errors={field: [exc.message]},
            ) from None
        seen.add(code)
        aspects.append(
            SchemeAspect(
                code=code,
                title=title,
                kind=kind,
                max_mark=max_mark,
                bands=bands,
                levels=levels,
                position=i - 1,
            )
        )
    return aspects


def _require_total(aspects: list[SchemeAspect]) -> None:
    total = sum((a.max_mark for a in aspects), Decimal("0"))
    if total != TOTAL:
        raise Invalid(
            _(
                "评分标准总分须为 100 分，当前合计 %(total)s 分；请调整各评分项的分值后再发布。",
                total=format(total.normalize(), "f"),
            ),
            errors={"aspects": [_("各项分值合计须为 100。")]},
        )


def save_draft(
    actor: User, trade: Trade, rows: list[dict[str, Any]], *, now: datetime | None = None
) -> Scheme:
    """Write the aspects of the latest version (version 1 at first) before the contest
    starts; a published version goes back to draft until it is published again."""
    _require_editor(actor, trade)
    if started(trade, now):
        raise Conflict(_("比赛已开始：修改评分标准须由裁判长写明理由并签署，另立新版本。"))
    aspects = _aspects(rows)
    scheme = latest(trade)
    if scheme is None:
        scheme = Scheme(trade_id=trade.id, version=1, created_by_id=actor.id)
        db.session.add(scheme)
    else:
        scheme.aspects = []  # the old rows go first: codes are unique per version
        db.session.flush()
    scheme.aspects = aspects
    scheme.published_at = None
    db.session.flush()
    return scheme


def publish(actor: User, trade: Trade, *, now: datetime | None = None) -> Scheme:
    """Publish the draft: it must total exactly 100; the panel's criteria become its aspects."""
    _require_editor(actor, trade)
    scheme = latest(trade)
    if scheme is None:
        raise Conflict(_("还没有评分标准：请先添加评分项。"))
    if scheme.published_at is not None:
        raise Conflict(_("评分标准第 %(v)s 版已经发布。", v=scheme.version))
    if started(trade, now):
        raise Conflict(_("比赛已开始：修改评分标准须由裁判长写明理由并签署，另立新版本。"))
    _require_total(scheme.aspects)
    scoring.revise_criteria(services.panel_of(trade), [a.spec() for a in scheme.aspects])
    scheme.published_at = now or utcnow()
    _audit(actor, trade, scheme, "competitions.scheme_published")
    db.session.flush()
    return scheme


def revise(
    chief: User,
    trade: Trade,
    rows: list[dict[str, Any]],
    *,
    reason: str,
    now: datetime | None = None,
) -> Scheme:
    """After the start: a new version, published at once, with the chief judge's signed
    reason. The earlier versions stay as they were."""
    if services.official_of(trade, chief, Official.chief_judge) is None:
        raise Forbidden(_("比赛开始后，只有本项目的裁判长可以签署评分标准的修改。"))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请写明修改评分标准的理由。"), errors={"reason": [_("请填写理由。")]})
    if len(reason) > 500:
        raise Invalid(_("理由不超过 500 字。"), errors={"reason": [_("理由太长。")]})
    before = published(trade)
    if before is None:
        raise Conflict(_("评分标准还没有发布过：请先编辑并发布第 1 版。"))
    if not started(trade, now):
        raise Conflict(_("比赛开始前请直接编辑并重新发布评分标准。"))
    aspects = _aspects(rows)
    _require_total(aspects)
    scoring.revise_criteria(services.panel_of(trade), [a.spec() for a in aspects])
    scheme = Scheme(
        trade_id=trade.id,
        version=latest(trade).version + 1,
        published_at=now or utcnow(),
        reason=reason,
        signed_by_id=chief.id,
        created_by_id=chief.id,
        aspects=aspects,
    )
    db.session.add(scheme)
    db.session.flush()
    _audit(chief, trade, scheme, "competitions.scheme_revised", before=before)
    return scheme


def _audit(
    actor: User, trade: Trade, scheme: Scheme, action: str, *, before: Scheme | None = None
) -> None:
    def shape(s: Scheme) -> dict:
        return {
            "version": s.version,
            "aspects": [[a.code, a.kind, str(a.max_mark)] for a in s.aspects],
        }

    audit.record(
        actor,
        action,
        "competition_trade",
        trade.id,
        organization_id=trade.contest.organization_id,
        before=shape(before) if before else None,
        after={**shape(scheme), "reason": scheme.reason},
        summary=f"{trade.contest.name} {trade.name} v{scheme.version}",
    )
