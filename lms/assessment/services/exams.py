"""Exams: a blueprint over a bank (n questions per topic and difficulty), the window and the
time allowed, candidates; and drawing a paper from a seed, the same paper for the same seed."""

from __future__ import annotations

import random
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.assessment.models import (
    DIFFICULTIES,
    BankQuestion,
    Candidate,
    Exam,
    QuestionBank,
    QuestionKind,
)
from lms.assessment.services.access import require_manager
from lms.errors import Conflict, Invalid
from lms.extensions import db

MAX_QUESTIONS = 200
MAX_MINUTES = 24 * 60
SHUFFLED = (QuestionKind.single, QuestionKind.multiple)


def _pools(bank_id: int, blueprint: list[dict]) -> list:
    """The bank's questions still drawn, in id order, for the topics the blueprint names."""
    topics = {part["topic"] for part in blueprint}
    stmt = (
        sa.select(
            BankQuestion.id,
            BankQuestion.kind,
            BankQuestion.topic,
            BankQuestion.difficulty,
            sa.func.json_array_length(BankQuestion.options).label("n_options"),
        )
        .where(BankQuestion.bank_id == bank_id, BankQuestion.retired.is_(False))
        .order_by(BankQuestion.id)
    )
    if "" not in topics:
        stmt = stmt.where(BankQuestion.topic.in_(topics))
    return db.session.execute(stmt).all()


def _matches(row, part: dict) -> bool:
    return (not part["topic"] or row.topic == part["topic"]) and (
        part["difficulty"] is None or row.difficulty == part["difficulty"]
    )


def check_blueprint(bank: QuestionBank, blueprint: list) -> list[dict]:  # noqa: C901 - one message per way a line can be wrong
    """The blueprint cleaned, or errors naming its lines: each line asks for ``count``
    questions of a topic ("" for any) and a difficulty (None for any) the bank can give."""
    errors: list[str] = []
    clean: list[dict] = []
    for number, part in enumerate(blueprint or [], start=1):
        topic = str(part.get("topic") or "").strip()
        difficulty = part.get("difficulty")
        try:
            difficulty = None if difficulty in (None, "", 0, "0") else int(difficulty)
            count = int(part.get("count") or 0)
        except (TypeError, ValueError):
            errors.append(_("第 %(n)d 条：难度和题数应为整数。", n=number))
            continue
        if difficulty is not None and difficulty not in DIFFICULTIES:
            errors.append(_("第 %(n)d 条：难度应为 1、2、3 或不限。", n=number))
        elif count < 1:
            errors.append(_("第 %(n)d 条：题数至少为 1。", n=number))
        else:
            clean.append({"topic": topic[:64], "difficulty": difficulty, "count": count})
    if not clean and not errors:
        errors.append(_("组卷规则至少要有一条。"))
    total = sum(p["count"] for p in clean)
    if total > MAX_QUESTIONS:
        errors.append(_("一份试卷最多 %(n)d 题。", n=MAX_QUESTIONS))
    if not errors:
        rows = _pools(bank.id, clean)
        taken: set[int] = set()
        for number, part in enumerate(clean, start=1):
            pool = [r.id for r in rows if _matches(r, part) and r.id not in taken]
            if len(pool) < part["count"]:
                errors.append(
                    _(
                        "第 %(n)d 条：题库中符合条件的题目只有 %(have)d 道，不够抽 %(want)d 道。",
                        n=number,
                        have=len(pool),
                        want=part["count"],
                    )
                )
            taken.update(pool[: part["count"]])
    if errors:
        raise Invalid(errors={"blueprint": errors})
    return clean


def create_exam(
    actor: User,
    bank: QuestionBank,
    *,
    title: str,
    blueprint: list,
    duration_minutes: int,
    opens_at: datetime,
    closes_at: datetime | None = None,
    partial_credit: Decimal | str | int = 0,
    pass_mark: int = 60,
    open_to_scope: bool = True,
    commit: bool = True,
) -> Exam:
    """An exam of the bank's organization (managed by its officers)."""
    require_manager(actor, bank.organization)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写考试名称。")]
    if not (0 < int(duration_minutes or 0) <= MAX_MINUTES):
        errors["duration_minutes"] = [_("考试时长应在 1 到 1440 分钟之间。")]
    if closes_at is not None and opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = [_("截止时间应晚于开考时间。")]
    try:
        partial = Decimal(str(partial_credit or 0))
        if not partial.is_finite() or not (0 <= partial < 1):
            raise InvalidOperation
    except InvalidOperation:
        errors["partial_credit"] = [_("少选得分比例应在 0 到 1 之间（不含 1）。")]
        partial = Decimal(0)
    if not (0 <= int(pass_mark) <= 100):
        errors["pass_mark"] = [_("及格线应在 0 到 100 之间。")]
    try:
        blueprint = check_blueprint(bank, blueprint)
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid(errors=errors)
    exam = Exam(
        organization_id=bank.organization_id,
        bank_id=bank.id,
        title=title[:120],
        blueprint=blueprint,
        duration_minutes=int(duration_minutes),
        opens_at=opens_at,
        closes_at=closes_at,
        partial_credit=partial,
        pass_mark=int(pass_mark),
        open_to_scope=open_to_scope,
        created_by_id=actor.id,
    )
    db.session.add(exam)
    db.session.flush()
    if commit:
        db.session.commit()
    return exam


def add_candidates(exam: Exam, user_ids: list[int]) -> int:
    """List people for an exam (no commit: the caller, a domain, decides). Listed twice is
    listed once."""
    listed = set(
        db.session.scalars(sa.select(Candidate.user_id).where(Candidate.exam_id == exam.id))
    )
    new = sorted(set(user_ids) - listed)
    db.session.add_all(Candidate(exam_id=exam.id, user_id=uid) for uid in new)
    db.session.flush()
    return len(new)


def draw(exam: Exam, seed: int) -> list[tuple[int, list[int]]]:
    """The paper of ``seed``: (question id, shown order of its options) per question, the
    blueprint's lines in turn. The same seed over the same bank draws the same paper."""
    rng = random.Random(seed)
    rows = _pools(exam.bank_id, exam.blueprint)
    taken: set[int] = set()
    paper: list[tuple[int, list[int]]] = []
    for part in exam.blueprint:
        pool = [r for r in rows if _matches(r, part) and r.id not in taken]
        if len(pool) < part["count"]:
            raise Conflict(_("题库中的题目已不够组成试卷，请联系考试的组织者。"))
        for row in rng.sample(pool, part["count"]):
            taken.add(row.id)
            order = list(range(row.n_options or 0))
            if row.kind in SHUFFLED:
                rng.shuffle(order)
            elif row.kind == QuestionKind.true_false:
                order = [0, 1]
            paper.append((row.id, order))
    return paper
