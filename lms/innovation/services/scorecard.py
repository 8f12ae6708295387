"""The scorecard (technical level 30, economic benefit 30, scope 20, practicality 20 by
default; admins configure it) and how it becomes a panel of the shared scoring engine: each
criterion a measurement whose allowed marks are the whole numbers from 0 to its maximum."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.errors import Forbidden, Invalid
from lms.extensions import db
from lms.innovation.models_awards import ScorecardCriterion
from lms.innovation.services.common import transaction
from lms.scoring import services as scoring
from lms.scoring.models import CriterionKind, ScoringPanel

TOTAL = Decimal("100")
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    max_mark: Decimal


DEFAULT_SCORECARD = (
    Criterion("technical", _l("技术水平"), Decimal("30")),
    Criterion("economic", _l("经济效益"), Decimal("30")),
    Criterion("scope", _l("推广范围"), Decimal("20")),
    Criterion("practicality", _l("实用性"), Decimal("20")),
)


def scorecard() -> list[Criterion]:
    """The configured criteria in order; the defaults when none is set."""
    rows = db.session.scalars(
        sa.select(ScorecardCriterion).order_by(ScorecardCriterion.position, ScorecardCriterion.id)
    )
    table = [Criterion(r.code, r.title, r.max_mark) for r in rows]
    return table or list(DEFAULT_SCORECARD)


@transaction
def set_scorecard(actor: User, criteria: list[dict]) -> list[Criterion]:
    """Admins replace the scorecard: 1–8 criteria, distinct codes, whole-number maxima that
    add up to 100 (so every total reads as a score out of 100)."""
    if not scope.is_admin(actor):
        raise Forbidden(_("评分表由管理员设置。"))
    if not 1 <= len(criteria) <= 8:
        raise Invalid(errors={"criteria": [_("评分表须有 1 到 8 个评分项。")]})
    cleaned = [_criterion(row) for row in criteria]
    if len({c.code for c in cleaned}) != len(cleaned):
        raise Invalid(errors={"criteria": [_("评分项代码不能重复。")]})
    total = sum(c.max_mark for c in cleaned)
    if total != TOTAL:
        raise Invalid(
            errors={
                "criteria": [
                    _(
                        "各评分项满分之和须为 100，现在是 %(sum)s。",
                        sum=int(total),
                    )
                ]
            }
        )
    before = [(c.code, str(c.max_mark)) for c in scorecard()]
    db.session.execute(sa.delete(ScorecardCriterion))
    for position, c in enumerate(cleaned):
        db.session.add(
            ScorecardCriterion(code=c.code, title=c.title, max_mark=c.max_mark, position=position)
        )
    db.session.flush()
    record(
        actor,
        "innovation.scorecard",
        "innovation_scorecard",
        None,
        before={"criteria": before},
        after={"criteria": [(c.code, str(c.max_mark)) for c in cleaned]},
        summary=_("创新评分表"),
    )
    return cleaned


def _criterion(row: dict) -> Criterion:
    code = str(row.get("code", "")).strip()
    title = str(row.get("title", "")).strip()
    if not _CODE.match(code):
        raise Invalid(
            errors={"criteria": [_("评分项代码须为小写英文字母开头的字母、数字或下划线。")]}
        )
    if not title:
        raise Invalid(errors={"criteria": [_("请为每个评分项填写名称。")]})
    try:
        mark = Decimal(str(row.get("max_mark")))
    except (InvalidOperation, ValueError):
        mark = Decimal("0")
    if not mark.is_finite() or mark <= 0 or mark != mark.to_integral_value():
        raise Invalid(errors={"criteria": [_("%(title)s 的满分须为正整数。", title=title)]})
    return Criterion(code, title[:80], mark)


def build_panel(name: str) -> ScoringPanel:
    """A scoring panel with today's scorecard: a later change of the card never moves the
    scores of a panel already open."""
    panel = scoring.create_panel(name[:120])
    for c in scorecard():
        top = int(c.max_mark)
        scoring.add_criterion(
            panel,
            c.code,
            str(c.title),
            CriterionKind.measurement,
            c.max_mark,
            bands=list(range(1, top)),
        )
    return panel


def check_marks(panel: ScoringPanel, marks: dict) -> dict[str, Decimal]:
    """Each criterion a whole number from 0 to its maximum, with the field's message."""
    errors, values = {}, {}
    for criterion in panel.criteria:
        raw = marks.get(criterion.code)
        try:
            value = Decimal(str(raw).strip())
            ok = value.is_finite() and value == value.to_integral_value()
        except (InvalidOperation, ValueError):
            ok = False
        if raw in (None, "") or not ok or not (0 <= value <= criterion.max_mark):
            errors[criterion.code] = [
                _(
                    "%(title)s 请打 0 到 %(max)s 的整数分。",
                    title=criterion.title,
                    max=int(criterion.max_mark),
                )
            ]
        else:
            values[criterion.code] = value
    if errors:
        raise Invalid(_("评分未保存：请检查标出的评分项。"), errors=errors)
    return values
