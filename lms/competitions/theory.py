"""The theory exam of a skill contest, online: a question bank per trade (a bank of the
organizing organization), a paper drawn per contestant by the assessment engine, the sitting
timed by the server on the contestant's phone, and the mark written as the contestant's
theory score when the sitting closes (``assessment_sitting_closed``).

Only the trade's contestants sit; the exam is the engine's, listed for them as they start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.assessment import services as assessment
from lms.assessment.models import Exam, QuestionBank, Sitting
from lms.competitions.models import Contest, Contestant, Trade
from lms.competitions.services import is_organizer, require_organizer
from lms.competitions.theory_models import TheoryExam
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import assessment_sitting_closed


def exam_of(trade: Trade) -> Exam | None:
    return db.session.scalars(
        sa.select(Exam)
        .join(TheoryExam, TheoryExam.exam_id == Exam.id)
        .where(TheoryExam.trade_id == trade.id)
    ).one_or_none()


def set_up(
    actor: User,
    trade: Trade,
    bank: QuestionBank,
    *,
    blueprint: list,
    duration_minutes: int,
    opens_at: datetime,
    closes_at: datetime | None = None,
    partial_credit: Decimal | str | int = 0,
) -> Exam:
    """The trade's theory exam, drawn from a bank of the organizing organization."""
    contest = db.session.get(Contest, trade.contest_id)
    require_organizer(actor, contest)
    if bank.organization_id != contest.organization_id:
        raise Invalid(errors={"bank_id": [_("请选择主办单位的题库。")]})
    if exam_of(trade) is not None:
        raise Conflict(_("本工种已设置理论考试。"))
    exam = assessment.create_exam(
        actor,
        bank,
        title=_("%(contest)s · %(trade)s 理论考试", contest=contest.name, trade=trade.name),
        blueprint=blueprint,
        duration_minutes=duration_minutes,
        opens_at=opens_at,
        closes_at=closes_at,
        partial_credit=partial_credit,
        open_to_scope=False,
        commit=False,
    )
    db.session.add(TheoryExam(trade_id=trade.id, exam_id=exam.id))
    _list_contestants(trade, exam)
    db.session.commit()
    return exam


def _list_contestants(trade: Trade, exam: Exam) -> int:
    user_ids = db.session.scalars(
        sa.select(Contestant.user_id).where(Contestant.trade_id == trade.id)
    ).all()
    return assessment.add_candidates(exam, list(user_ids))


def list_contestants(actor: User, trade: Trade) -> int:
    """List the trade's contestants registered since the exam was set up (they then find it
    under 在线考试, as the others do). Returns how many were added."""
    require_organizer(actor, db.session.get(Contest, trade.contest_id))
    exam = exam_of(trade)
    if exam is None:
        raise NotFound(_("本工种没有在线理论考试。"))
    added = _list_contestants(trade, exam)
    db.session.commit()
    return added


def _contestant(user: User, trade: Trade) -> Contestant:
    contestant = db.session.scalars(
        sa.select(Contestant).where(Contestant.trade_id == trade.id, Contestant.user_id == user.id)
    ).one_or_none()
    if contestant is None:
        raise NotFound(_("您不是本工种的参赛选手。"))
    return contestant


def start(user: User, trade: Trade) -> Sitting:
    """A contestant opens the theory exam of their trade (again: the same paper)."""
    _contestant(user, trade)
    exam = exam_of(trade)
    if exam is None:
        raise NotFound(_("本工种没有在线理论考试。"))
    contest = db.session.get(Contest, trade.contest_id)
    if contest.revealed_at is not None:
        raise Conflict(_("身份已解密，理论考试已结束。"))
    assessment.add_candidates(exam, [user.id])
    db.session.commit()
    return assessment.start(user, exam.id)


@dataclass
class MyTheory:
    contest: Contest
    trade: Trade
    contestant: Contestant
    exam: Exam
    sitting: Sitting | None


def mine(user: User) -> list[MyTheory]:
    """The theory exams of the contests the user takes part in, with their sittings."""
    rows = db.session.execute(
        sa.select(Contestant, Trade, Exam)
        .join(Trade, Contestant.trade_id == Trade.id)
        .join(TheoryExam, TheoryExam.trade_id == Trade.id)
        .join(Exam, TheoryExam.exam_id == Exam.id)
        .where(Contestant.user_id == user.id)
        .order_by(Exam.opens_at.desc())
    ).all()
    sittings = {
        s.exam_id: s
        for s in db.session.scalars(
            sa.select(Sitting).where(
                Sitting.user_id == user.id, Sitting.exam_id.in_([e.id for _c, _t, e in rows])
            )
        )
    }
    return [
        MyTheory(db.session.get(Contest, t.contest_id), t, c, e, sittings.get(e.id))
        for c, t, e in rows
    ]


def trade_for_organizer(actor: User, trade_id: int) -> Trade:
    trade = db.session.get(Trade, trade_id)
    if trade is None or not is_organizer(actor, db.session.get(Contest, trade.contest_id)):
        raise NotFound()
    return trade


def _record(sender, *, exam_id: int, user_id: int, percent: str, **_payload) -> None:
    """A closed sitting of a trade's theory exam is that contestant's theory score (until
    identities are revealed; after that the score stands)."""
    trade_id = db.session.scalar(
        sa.select(TheoryExam.trade_id).where(TheoryExam.exam_id == exam_id)
    )
    if trade_id is None:
        return  # not a contest's exam
    contestant = db.session.scalars(
        sa.select(Contestant).where(Contestant.trade_id == trade_id, Contestant.user_id == user_id)
    ).one_or_none()
    if contestant is None:
        return
    contest = db.session.get(Contest, contestant.contest_id)
    if contest.revealed_at is None:
        contestant.theory_score = Decimal(percent)
        db.session.flush()


def connect(app) -> None:
    """The theory exam's table, pages and listener (called from the package's init_app)."""
    from lms.competitions import theory_models  # noqa: F401  (its table joins the metadata)
    from lms.competitions.theory_views import bp

    app.register_blueprint(bp)

    assessment_sitting_closed.connect(_record, weak=False)
