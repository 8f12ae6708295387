"""Sittings: the server keeps the time. A candidate starts (a paper is drawn from a stored
seed), saves answers one at a time until the deadline, submits; the first submit or the
deadline closes the sitting and marks it by ``lms.assessment.marking``. Closing happens once:
a second submit returns the same result, an answer after the deadline is refused.

Time is read through this module's ``utcnow`` (tests freeze it there).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.assessment import marking
from lms.assessment.models import (
    CHOICE_KINDS,
    BankQuestion,
    Exam,
    QuestionKind,
    Sitting,
    SittingItem,
)
from lms.assessment.services.access import exam_for_candidate, manages, may_sit, sitting_for
from lms.assessment.services.exams import draw
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import assessment_sitting_closed, emit

MAX_WRITTEN = 200


def window_state(exam: Exam, now: datetime | None = None) -> str:
    """``upcoming``, ``open`` or ``over``."""
    now = now or utcnow()
    if now < exam.opens_at:
        return "upcoming"
    if exam.closes_at is not None and now >= exam.closes_at:
        return "over"
    return "open"


def own_sitting(actor: User, exam: Exam) -> Sitting | None:
    return db.session.scalars(
        sa.select(Sitting).where(Sitting.exam_id == exam.id, Sitting.user_id == actor.id)
    ).one_or_none()


def start(actor: User, exam_id: int) -> Sitting:
    """The actor's sitting of the exam: the one already started, or a new one with a paper
    drawn from a fresh seed. Two taps at once make one sitting."""
    exam = exam_for_candidate(actor, exam_id)
    if not may_sit(actor, exam):
        raise Forbidden(_("您不在本场考试的考生名单中。"))
    existing = own_sitting(actor, exam)
    if existing is not None:
        return refreshed(existing)
    now = utcnow()
    state = window_state(exam, now)
    if state == "upcoming":
        raise Conflict(_("考试尚未开始，请在开考时间后进入。"))
    if state == "over":
        raise Conflict(_("考试已截止，不能再进入。"))
    deadline = now + timedelta(minutes=exam.duration_minutes)
    if exam.closes_at is not None:
        deadline = min(deadline, exam.closes_at)
    seed = secrets.randbits(53)
    paper = draw(exam, seed)
    points = dict(
        db.session.execute(
            sa.select(BankQuestion.id, BankQuestion.points).where(
                BankQuestion.id.in_([qid for qid, _order in paper])
            )
        ).all()
    )
    sitting = Sitting(
        exam_id=exam.id,
        user_id=actor.id,
        seed=seed,
        started_at=now,
        deadline=deadline,
        max_score=sum(points.values(), Decimal(0)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(sitting)
            db.session.flush()
    except IntegrityError:  # the other tap made it first
        return own_sitting(actor, exam)
    db.session.execute(
        sa.insert(SittingItem),
        [
            {
                "sitting_id": sitting.id,
                "position": position,
                "question_id": qid,
                "order": order,
                "points": points[qid],
            }
            for position, (qid, order) in enumerate(paper, start=1)
        ],
    )
    db.session.commit()
    return sitting


def _locked(sitting_id: int) -> Sitting | None:
    """The sitting, its row locked until commit (PostgreSQL): saves and submits of one
    sitting take turns."""
    return db.session.scalars(
        sa.select(Sitting)
        .where(Sitting.id == sitting_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def _close(sitting: Sitting, closed_by: str, at: datetime) -> None:
    """Mark every answer by the one rule and close. The caller holds the row lock."""
    partial = db.session.scalar(sa.select(Exam.partial_credit).where(Exam.id == sitting.exam_id))
    rows = db.session.execute(
        sa.select(
            SittingItem.id,
            SittingItem.response,
            SittingItem.points,
            BankQuestion.kind,
            BankQuestion.key,
        )
        .join(BankQuestion, SittingItem.question_id == BankQuestion.id)
        .where(SittingItem.sitting_id == sitting.id)
        .order_by(SittingItem.position)
    ).all()
    marked = marking.mark_all(
        (marking.Answer(r.kind, r.key, r.response, r.points) for r in rows),
        marking.Rule(partial_credit=Decimal(partial or 0)),
    )
    if rows:
        db.session.execute(
            sa.update(SittingItem),
            [{"id": r.id, "mark": m} for r, m in zip(rows, marked.marks, strict=True)],
        )
    sitting.closed_at = at
    sitting.closed_by = closed_by
    sitting.score = marked.score
    sitting.percent = marking.percent(marked.score, sitting.max_score)
    db.session.flush()
    emit(
        assessment_sitting_closed,
        sitting_id=sitting.id,
        exam_id=sitting.exam_id,
        user_id=sitting.user_id,
        percent=str(sitting.percent),
        closed_by=closed_by,
    )


def refreshed(sitting: Sitting) -> Sitting:
    """The sitting, closed first if its deadline has passed (a read closes a late sitting)."""
    if sitting.closed_at is None and utcnow() >= sitting.deadline:
        locked = _locked(sitting.id)
        if locked.closed_at is None:
            _close(locked, "timeout", locked.deadline)
        db.session.commit()
        return locked
    return sitting


def get(actor: User, sitting_id: int) -> Sitting:
    return refreshed(sitting_for(actor, sitting_id))


def _response(kind: str, order: list[int], choices: list | None, text: str | None) -> list | None:
    """What the candidate chose, as the question's option indexes; None clears the answer."""
    if kind == QuestionKind.fill:
        written = (text or "").strip()
        if len(written) > MAX_WRITTEN:
            raise Invalid(errors={"text": [_("答案不能超过 200 个字。")]})
        return [written] if written else None
    try:
        shown = sorted({int(c) for c in choices or []})
    except (TypeError, ValueError):
        raise Invalid(errors={"choices": [_("所选答案不在选项之中。")]}) from None
    if any(not (0 <= c < len(order)) for c in shown):
        raise Invalid(errors={"choices": [_("所选答案不在选项之中。")]})
    if kind != QuestionKind.multiple and len(shown) > 1:
        raise Invalid(errors={"choices": [_("这道题只能选一个答案。")]})
    return sorted(order[c] for c in shown) or None


def _open_for_answers(actor: User, sitting_id: int) -> Sitting:
    sitting = _locked(sitting_id)
    if sitting is None or sitting.user_id != actor.id:
        raise NotFound()
    if sitting.closed_at is not None:
        raise Conflict(_("本次考试已交卷，答案不能再修改。"))
    if utcnow() >= sitting.deadline:
        _close(sitting, "timeout", sitting.deadline)
        db.session.commit()
        raise Conflict(_("考试时间已到，这次作答未能保存；试卷已按时间到时的答案自动交卷。"))
    return sitting


def save_answer(
    actor: User,
    sitting_id: int,
    position: int,
    *,
    choices: list | None = None,
    text: str | None = None,
) -> SittingItem:
    """Keep one answer (choices are shown positions, 0 for the first option shown)."""
    _open_for_answers(actor, sitting_id)
    row = db.session.execute(
        sa.select(SittingItem, BankQuestion.kind)
        .join(BankQuestion, SittingItem.question_id == BankQuestion.id)
        .where(SittingItem.sitting_id == sitting_id, SittingItem.position == position)
    ).one_or_none()
    if row is None:
        raise NotFound()
    item, kind = row
    item.response = _response(kind, item.order, choices, text)
    item.answered_at = utcnow()
    db.session.commit()
    return item


def save_answers(actor: User, sitting_id: int, answers: dict[int, dict]) -> int:
    """Several answers at once (the page's save button): ``{position: {choices, text}}``."""
    _open_for_answers(actor, sitting_id)
    rows = db.session.execute(
        sa.select(SittingItem, BankQuestion.kind)
        .join(BankQuestion, SittingItem.question_id == BankQuestion.id)
        .where(SittingItem.sitting_id == sitting_id)
    ).all()
    now, saved = utcnow(), 0
    for item, kind in rows:
        if item.position not in answers:
            continue
        given = answers[item.position]
        item.response = _response(kind, item.order, given.get("choices"), given.get("text"))
        item.answered_at = now
        saved += 1
    db.session.commit()
    return saved


def submit(actor: User, sitting_id: int) -> Sitting:
    """Hand the paper in. The first submit closes and marks; a second returns that result.
    Submitted after the deadline, the sitting closes as at the deadline."""
    sitting = _locked(sitting_id)
    if sitting is None or sitting.user_id != actor.id:
        raise NotFound()
    if sitting.closed_at is None:
        now = utcnow()
        if now >= sitting.deadline:
            _close(sitting, "timeout", sitting.deadline)
        else:
            _close(sitting, "submit", now)
    db.session.commit()
    return sitting


def close_expired(limit: int = 500) -> int:
    """Close sittings whose deadline has passed (the beat task; each closed once)."""
    ids = db.session.scalars(
        sa.select(Sitting.id)
        .where(Sitting.closed_at.is_(None), Sitting.deadline <= utcnow())
        .order_by(Sitting.deadline)
        .limit(limit)
    ).all()
    closed = 0
    for sitting_id in ids:
        sitting = _locked(sitting_id)
        if sitting is not None and sitting.closed_at is None:
            _close(sitting, "timeout", sitting.deadline)
            closed += 1
        db.session.commit()
    return closed


# --- what a reader sees ------------------------------------------------------------------


@dataclass
class PaperItem:
    position: int
    kind: str
    text: str
    options: list[str]  # in the order shown; true/false: empty (the page says 正确 / 错误)
    chosen: list[int]  # shown positions
    written: str
    points: Decimal
    mark: Decimal | None = None
    right: list[int] = field(default_factory=list)  # shown positions; only once revealed
    accepted: list[str] = field(default_factory=list)
    explanation: str = ""


def reveals(sitting: Sitting, now: datetime | None = None) -> bool:
    """Marks and right answers are shown once the sitting is closed and, for an exam with a
    closing time, once that time has passed (nobody still sitting can be told)."""
    if sitting.closed_at is None:
        return False
    closes_at = sitting.exam.closes_at
    return closes_at is None or (now or utcnow()) >= closes_at


def paper(reader: User, sitting: Sitting) -> list[PaperItem]:
    """The paper as ``reader`` may see it: the candidate never sees a key before
    :func:`reveals`; the exam's managers see keys and marks once the sitting is closed."""
    show = reveals(sitting) or (sitting.closed and manages(reader, sitting.exam.organization))
    rows = db.session.execute(
        sa.select(SittingItem, BankQuestion)
        .join(BankQuestion, SittingItem.question_id == BankQuestion.id)
        .where(SittingItem.sitting_id == sitting.id)
        .order_by(SittingItem.position)
    ).all()
    items = []
    for item, question in rows:
        order = item.order or []
        response = item.response or []
        choice = question.kind in CHOICE_KINDS
        shown_of = {original: shown for shown, original in enumerate(order)}
        entry = PaperItem(
            position=item.position,
            kind=question.kind,
            text=question.text,
            options=[question.options[i] for i in order] if question.options else [],
            chosen=sorted(shown_of[r] for r in response if r in shown_of) if choice else [],
            written=response[0] if response and not choice else "",
            points=item.points,
        )
        if show:
            entry.mark = item.mark
            entry.explanation = question.explanation
            if choice:
                entry.right = sorted(shown_of[k] for k in question.key if k in shown_of)
            else:
                entry.accepted = list(question.key)
        items.append(entry)
    return items


def results(actor: User, exam: Exam) -> list[Sitting]:
    """Every sitting of the exam, for its managers (late ones closed first)."""
    if not manages(actor, exam.organization):
        raise NotFound()
    close_expired()
    return list(
        db.session.scalars(
            sa.select(Sitting)
            .where(Sitting.exam_id == exam.id)
            .order_by(Sitting.percent.desc().nulls_last(), Sitting.id)
            .options(sa.orm.joinedload(Sitting.user))
        )
    )
