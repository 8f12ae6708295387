"""Question banks and their questions: creating, checking one question, retiring."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Organization, User
from lms.assessment.models import DIFFICULTIES, BankQuestion, QuestionBank, QuestionKind
from lms.assessment.services.access import require_manager
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db

MAX_OPTIONS = 8
TRUE_FALSE = 2  # options 正确 (0) and 错误 (1), shown in the reader's language


def create_bank(
    actor: User, organization: Organization, name: str, subject: str = ""
) -> QuestionBank:
    require_manager(actor, organization)
    name = (name or "").strip()
    if not name:
        raise Invalid(errors={"name": [_("请填写题库名称。")]})
    exists = db.session.scalar(
        sa.select(QuestionBank.id).where(
            QuestionBank.organization_id == organization.id, QuestionBank.name == name
        )
    )
    if exists:
        raise Conflict(_("本单位已有同名题库。"))
    bank = QuestionBank(
        organization_id=organization.id,
        name=name[:120],
        subject=(subject or "").strip()[:64],
        created_by_id=actor.id,
    )
    db.session.add(bank)
    db.session.commit()
    return bank


def check_question(data: dict) -> tuple[dict, dict[str, list[str]]]:  # noqa: C901, PLR0912, PLR0915 - one flat list of the rules a question must meet, each with its own message
    """A question as given (kind, text, options, answer, topic, difficulty, points) checked
    and cleaned; errors by field. ``answer``: option indexes for choice kinds (true/false:
    0 正确, 1 错误), accepted texts for fill-in."""
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "")
    if kind not in QuestionKind.__members__:
        errors["kind"] = [_("题型应为单选、多选、判断或填空。")]
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("请填写题干。")]
    topic = str(data.get("topic") or "").strip()
    if not topic:
        errors["topic"] = [_("请填写知识点。")]
    try:
        given = data.get("difficulty")
        difficulty = 2 if given is None or given == "" else int(given)
    except (TypeError, ValueError):
        difficulty = 0
    if difficulty not in DIFFICULTIES:
        errors["difficulty"] = [_("难度应为易、中、难（1、2、3）。")]
    try:
        points = Decimal(str(data.get("points") or 1))
        if not points.is_finite() or not (0 < points <= 100):
            raise InvalidOperation
    except InvalidOperation:
        errors["points"] = [_("分值应为 0 到 100 之间的数。")]
        points = Decimal(1)
    options = [str(o).strip() for o in data.get("options") or [] if str(o or "").strip()]
    answer = list(data.get("answer") or [])
    key: list = []
    if kind == QuestionKind.fill:
        options = []
        key = [str(a).strip() for a in answer if str(a or "").strip()]
        if not key:
            errors["answer"] = [_("填空题至少要有一个标准答案。")]
    elif kind in QuestionKind.__members__:
        if kind == QuestionKind.true_false:
            options, count = [], TRUE_FALSE
        else:
            count = len(options)
            if not (2 <= count <= MAX_OPTIONS):
                errors["options"] = [_("选择题应有 2 到 8 个选项。")]
        try:
            key = sorted({int(a) for a in answer})
        except (TypeError, ValueError):
            key = [-1]
        if not key:
            errors["answer"] = [_("请给出正确答案。")]
        elif any(not (0 <= k < count) for k in key):
            errors.setdefault("answer", []).append(_("正确答案不在选项之中。"))
        elif kind != QuestionKind.multiple and len(key) != 1:
            errors["answer"] = [_("单选题和判断题只能有一个正确答案。")]
        elif kind == QuestionKind.multiple and len(key) < 2:
            errors["answer"] = [_("多选题至少要有两个正确答案。")]
    clean = {
        "kind": kind,
        "text": text,
        "options": options,
        "key": key,
        "topic": topic[:64],
        "difficulty": difficulty,
        "points": points,
        "explanation": str(data.get("explanation") or "").strip(),
    }
    return clean, errors


def add_question(actor: User, bank: QuestionBank, data: dict) -> BankQuestion:
    require_manager(actor, bank.organization)
    clean, errors = check_question(data)
    if errors:
        raise Invalid(errors=errors)
    question = BankQuestion(bank_id=bank.id, **clean)
    db.session.add(question)
    db.session.commit()
    return question


def retire_question(actor: User, question_id: int) -> BankQuestion:
    """A retired question is drawn no more; papers already holding it keep it."""
    question = db.session.get(BankQuestion, question_id)
    if question is None:
        raise NotFound()
    bank = db.session.get(QuestionBank, question.bank_id)
    require_manager(actor, bank.organization)
    question.retired = True
    db.session.commit()
    return question


def questions_query(bank: QuestionBank) -> sa.Select:
    return (
        sa.select(BankQuestion)
        .where(BankQuestion.bank_id == bank.id, BankQuestion.retired.is_(False))
        .order_by(BankQuestion.topic, BankQuestion.difficulty, BankQuestion.id)
    )


def pool_sizes(bank: QuestionBank) -> list[tuple[str, int, int]]:
    """(topic, difficulty, questions) of the bank's questions still drawn."""
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(BankQuestion.topic, BankQuestion.difficulty, sa.func.count())
            .where(BankQuestion.bank_id == bank.id, BankQuestion.retired.is_(False))
            .group_by(BankQuestion.topic, BankQuestion.difficulty)
            .order_by(BankQuestion.topic, BankQuestion.difficulty)
        )
    ]
