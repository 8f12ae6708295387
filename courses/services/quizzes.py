"""Quizzes: writing their questions (authoring page and API alike) and scoring attempts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from courses.models import (
    Enrollment,
    Lecture,
    LectureKind,
    Option,
    Question,
    QuizAnswer,
    QuizAttempt,
)
from courses.services.access import get_course
from courses.services.progress import open_lecture, progress_row, refresh_enrollment, touch
from lms.accounts.models import User
from lms.assessment import marking
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db


def _checked(text: str, options: list[tuple[str, bool]], multiple: bool):
    """The question's text and options, trimmed; field errors when it cannot be answered."""
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("请填写题干。")]
    options = [(t.strip(), bool(c)) for t, c in options if t and t.strip()]
    correct = sum(1 for _t, c in options if c)
    if len(options) < 2:
        errors["options"] = [_("至少要有两个选项。")]
    elif correct == 0:
        errors["options"] = [_("请至少标出一个正确答案（在选项前加 *）。")]
    elif not multiple and correct > 1:
        errors["options"] = [_("单选题只能有一个正确答案。")]
    return text, options, errors


def _question(text: str, options: list[tuple[str, bool]], multiple: bool, position: int):
    question = Question(text=text, multiple=multiple, position=position)
    question.options = [
        Option(text=t, correct=c, position=i) for i, (t, c) in enumerate(options, start=1)
    ]
    return question


def add_question(
    actor: User, lecture: Lecture, text: str, options: list[tuple[str, bool]], multiple: bool
) -> Question:
    get_course(actor, lecture.course_id, for_edit=True)
    if lecture.kind != LectureKind.quiz:
        raise Invalid(_("只有测验可以添加题目。"))
    text, options, errors = _checked(text, options, multiple)
    if errors:
        raise Invalid(errors=errors)
    position = (
        db.session.scalar(
            sa.select(sa.func.max(Question.position)).where(Question.lecture_id == lecture.id)
        )
        or 0
    ) + 1
    question = _question(text, options, multiple, position)
    question.lecture_id = lecture.id
    db.session.add(question)
    db.session.commit()
    return question


def replace_questions(lecture: Lecture, questions: list[dict]) -> None:
    """Put ``questions`` in place of the quiz's questions (no commit: the caller's change).

    Each is ``{"text", "multiple", "options": [{"text", "correct"}]}``, checked by the same
    rule as a question added on the authoring page; errors name the question's number.
    """
    if lecture.kind != LectureKind.quiz:
        raise Invalid(errors={"questions": [_("只有测验可以添加题目。")]})
    built, messages = [], []
    for number, item in enumerate(questions, start=1):
        multiple = bool(item.get("multiple"))
        options = [(o.get("text") or "", o.get("correct", False)) for o in item.get("options", [])]
        text, options, errors = _checked(item.get("text", ""), options, multiple)
        for field_messages in errors.values():
            messages += [_("第 %(n)d 题：%(m)s", n=number, m=m) for m in field_messages]
        built.append(_question(text, options, multiple, number))
    if messages:
        raise Invalid(errors={"questions": messages})
    lecture.questions = built


def delete_question(actor: User, question_id: int) -> Lecture:
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound()
    lecture = question.lecture
    get_course(actor, lecture.course_id, for_edit=True)
    db.session.delete(question)
    db.session.commit()
    return lecture


def quiz_questions(lecture: Lecture) -> list[Question]:
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.lecture_id == lecture.id)
            .order_by(Question.position, Question.id)
            .options(selectinload(Question.options))
        )
    )


def attempts_of(enrollment: Enrollment | None, lecture: Lecture) -> list[QuizAttempt]:
    if enrollment is None:
        return []
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.lecture_id == lecture.id)
            .order_by(QuizAttempt.number)
        )
    )


@dataclass
class QuizResult:
    attempt: QuizAttempt
    correct_question_ids: set[int]
    attempts_left: int | None
    course_completed: bool


def submit_quiz(actor: User, lecture_id: int, answers: dict[int, list[int]]) -> QuizResult:  # noqa: C901, PLR0912, PLR0915 - marking one answer kind after another, kept in one readable pass
    """Score a quiz submission: {question_id: [option_id, ...]}.

    Every option must belong to its question and every question to this quiz; the
    attempts limit holds even when two submissions race (unique attempt number).
    """
    access = open_lecture(actor, lecture_id)
    lecture, enrollment = access.lecture, access.enrollment
    if lecture.kind != LectureKind.quiz:
        raise Invalid(_("这一讲不是测验。"))
    if access.preview:
        raise Forbidden(_("预览模式下不能提交答卷。"))
    questions = quiz_questions(lecture)
    if not questions:
        raise Invalid(_("本测验还没有题目。"))
    by_id = {q.id: q for q in questions}
    errors: dict[str, list[str]] = {}
    chosen: dict[int, set[int]] = {}
    for qid, option_ids in answers.items():
        question = by_id.get(int(qid))
        if question is None:
            errors.setdefault("answers", []).append(_("第 %(id)s 题不属于本测验。", id=qid))
            continue
        valid = {o.id for o in question.options}
        picked = {int(o) for o in option_ids}
        if not picked <= valid:
            errors.setdefault("answers", []).append(
                _("所选答案不属于题目“%(q)s”。", q=question.text[:30])
            )
        elif len(picked) > 1 and not question.multiple:
            errors.setdefault("answers", []).append(
                _("题目“%(q)s”是单选题，只能选一个答案。", q=question.text[:30])
            )
        chosen[question.id] = picked
    if errors:
        raise Invalid(errors=errors)
    used = db.session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.lecture_id == lecture.id
        )
    )
    if lecture.max_attempts is not None and used >= lecture.max_attempts:
        raise Conflict(_("本测验最多可答 %(n)d 次，您已用完全部机会。", n=lecture.max_attempts))
    # The platform's one marking rule (lms.assessment.marking): exact, any order.
    answers = [
        marking.Answer(
            "multiple" if q.multiple else "single",
            {o.id for o in q.options if o.correct},
            chosen.get(q.id),
        )
        for q in questions
    ]
    marked = marking.mark_all(answers)
    right = {q.id for i, q in enumerate(questions) if marked.full(i, answers[i])}
    score = int(marked.percent.to_integral_value(ROUND_HALF_UP))
    attempt = QuizAttempt(
        enrollment_id=enrollment.id,
        lecture_id=lecture.id,
        number=used + 1,
        score=score,
        passed=score >= lecture.pass_mark,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
            db.session.add_all(
                QuizAnswer(attempt_id=attempt.id, option_id=oid)
                for picked in chosen.values()
                for oid in picked
            )
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("答卷已提交过，请刷新页面查看结果。")) from None
    completed_now = False
    touch(enrollment, lecture)
    if attempt.passed:
        row = progress_row(enrollment, lecture)
        if not row.completed:
            row.completed = True
            row.completed_at = utcnow()
            db.session.flush()
            completed_now = refresh_enrollment(enrollment)
    db.session.commit()
    left = None if lecture.max_attempts is None else lecture.max_attempts - attempt.number
    return QuizResult(attempt, right, left, completed_now)
