"""What judges, chief judges and supervisors do through the pages and the API, by marking
code only: a judge's codes with what they submitted, a code's marking sheet, the chief
judge's overview of open flags, resolving a flag, and the identity reveal by a chief judge
and a supervisor together (the other one confirms with their own password).

Nothing here returns a name, an employee number or an organization of a contestant."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.audit import services as audit
from lms.competitions import services
from lms.competitions.models import Contest, Official, Trade
from lms.errors import Forbidden, Invalid
from lms.extensions import db
from lms.scoring import services as scoring
from lms.scoring import totals
from lms.scoring.models import (
    ScoringCriterion,
    ScoringPanel,
    ScoringSubject,
    ScoringSubmission,
)


@dataclass
class CodeStatus:
    code: str
    submitted: bool


def my_codes(judge: User, trade: Trade) -> list[CodeStatus]:
    """The codes allocated to the judge (never their own organization's contestants), each
    with whether the judge has submitted it."""
    codes = services.judge_codes(judge, trade)
    done = set(
        db.session.scalars(
            sa.select(ScoringSubject.code)
            .join(ScoringSubmission, ScoringSubmission.subject_id == ScoringSubject.id)
            .where(
                ScoringSubject.panel_id == trade.panel_id, ScoringSubmission.scorer_id == judge.id
            )
        )
    )
    return [CodeStatus(code, code in done) for code in codes]


@dataclass
class Sheet:
    """One code's marking sheet as a judge sees it."""

    code: str
    criteria: list[ScoringCriterion]
    locked: bool
    mine: dict[str, Decimal] | None  # the judge's own marks, once submitted
    others: dict[int, dict[str, Decimal]] = field(default_factory=dict)  # once all submitted

    def allowed(self, criterion: ScoringCriterion) -> list[Decimal]:
        if criterion.kind == "judgement":
            return [Decimal(v) for v in (0, 1, 2, 3)]
        values = {Decimal("0"), Decimal(criterion.max_mark)}
        values |= {Decimal(b) for b in criterion.bands or []}
        return sorted(values, reverse=True)


def sheet(judge: User, trade: Trade, code: str) -> Sheet:
    if not services.may_mark(judge, trade, code):
        raise Forbidden(_("您须回避本单位选手，或该编号不属于本项目。"))
    panel = services.panel_of(trade)
    marks = scoring.marks_for(panel, code, judge.id)
    mine = marks.pop(judge.id, None)
    # Others' marks are shown without saying whose: judges are numbered, not named.
    others = {i + 1: m for i, m in enumerate(marks.values())} if mine else {}
    return Sheet(code, list(panel.criteria), panel.locked, mine, others)


@dataclass
class CodeReview:
    code: str
    submitted: int
    flags: list[str]


@dataclass
class ChiefView:
    panel: ScoringPanel
    scorers: int
    codes: list[CodeReview]

    @property
    def open_flags(self) -> int:
        return sum(len(c.flags) for c in self.codes)

    @property
    def complete(self) -> bool:
        return all(c.submitted >= self.scorers for c in self.codes)


def require_chief(chief: User, trade: Trade) -> None:
    if services.official_of(trade, chief, Official.chief_judge) is None:
        raise Forbidden(_("只有本项目的裁判长可以进行此操作。"))


def chief_view(chief: User, trade: Trade) -> ChiefView:
    """Every code of the trade with how many judges submitted and its open flags."""
    require_chief(chief, trade)
    panel = services.panel_of(trade)
    counts = dict(
        db.session.execute(
            sa.select(ScoringSubject.code, sa.func.count(ScoringSubmission.id))
            .outerjoin(ScoringSubmission, ScoringSubmission.subject_id == ScoringSubject.id)
            .where(ScoringSubject.panel_id == panel.id)
            .group_by(ScoringSubject.code)
            .order_by(ScoringSubject.code)
        )
        .tuples()
        .all()
    )
    scorers = len(panel.scorers)
    flags = totals.panel_flags(panel)  # three statements, however many codes
    codes = [CodeReview(code, n, flags.get(code, [])) for code, n in counts.items()]
    return ChiefView(panel, scorers, codes)


def resolve(chief: User, trade: Trade, code: str, criterion_code: str, level, note: str = ""):
    """The chief judge's level settles a flagged spread (recorded, and audited)."""
    require_chief(chief, trade)
    panel = services.panel_of(trade)
    known = db.session.scalar(
        sa.select(ScoringSubject.id).where(
            ScoringSubject.panel_id == panel.id, ScoringSubject.code == code
        )
    )
    if known is None or criterion_code not in {c.code for c in panel.criteria}:
        raise Invalid(_("没有这个编号或评分项，请从分歧列表中选择。"))
    resolution = scoring.resolve(panel, code, criterion_code, chief.id, level, note)
    audit.record(
        chief,
        "competitions.spread_resolved",
        "competition_trade",
        trade.id,
        after={"code": code, "criterion": criterion_code, "level": str(resolution.value)},
        summary=f"{trade.name} {code} {criterion_code}",
    )
    return resolution


def lock(chief: User, trade: Trade) -> None:
    require_chief(chief, trade)
    services.lock_trade(chief, trade)


def reveal_together(actor: User, contest: Contest, other_login: str, other_password: str) -> None:
    """The identities are decrypted by a chief judge and a supervisor together: the one
    signed in asks, the other confirms with their own password on the same device."""
    if not other_login or not other_password:
        raise Invalid(errors={"supervisor_no": [_("请另一位官员输入工号和密码。")]})
    other = accounts.authenticate(other_login.strip(), other_password)
    if other.id == actor.id:
        raise Invalid(errors={"supervisor_no": [_("须由另一位官员确认，不能是您本人。")]})
    trades = contest.trades
    actor_is_chief = any(services.official_of(t, actor, Official.chief_judge) for t in trades)
    chief, supervisor = (actor, other) if actor_is_chief else (other, actor)
    services.reveal(contest, chief, supervisor)
