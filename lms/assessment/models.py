"""Question banks and their questions, exams drawn from a bank by a blueprint, candidates,
sittings (one per candidate and exam) and the items of each sitting's paper."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import Organization, User
from lms.db import Base, utcnow

MARK = sa.Numeric(8, 2)


class QuestionKind(enum.StrEnum):
    single = "single"  # 单选题: one option is right
    multiple = "multiple"  # 多选题: the right options, in any order
    true_false = "true_false"  # 判断题: options are 正确 / 错误
    fill = "fill"  # 填空题: any of the accepted answers


CHOICE_KINDS = (QuestionKind.single, QuestionKind.multiple, QuestionKind.true_false)
DIFFICULTIES = (1, 2, 3)  # 易, 中, 难


class QuestionBank(Base):
    __tablename__ = "assessment_banks"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    # What the bank is about, as the owner says it (a trade such as 焊工, a course's subject).
    subject: Mapped[str] = mapped_column(sa.String(64), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()


class BankQuestion(Base):
    __tablename__ = "assessment_questions"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('single', 'multiple', 'true_false', 'fill')", name="kind"),
        sa.CheckConstraint("difficulty BETWEEN 1 AND 3", name="difficulty"),
        sa.CheckConstraint("points > 0", name="points_positive"),
        sa.Index("ix_assessment_questions_pool", "bank_id", "topic", "difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_banks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text)
    # Choice kinds: the options' texts in the author's order.
    options: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    # Choice kinds: indexes of the right options; fill: the accepted answers.
    key: Mapped[list[Any]] = mapped_column(sa.JSON)
    topic: Mapped[str] = mapped_column(sa.String(64))
    difficulty: Mapped[int] = mapped_column(sa.SmallInteger, default=2)
    points: Mapped[Decimal] = mapped_column(MARK, default=Decimal(1))
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    # A retired question is drawn no more; papers that hold it keep it.
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Exam(Base):
    """A timed exam: who owns it, which bank its papers come from and how many questions of
    each topic and difficulty (the blueprint), how long a sitting lasts."""

    __tablename__ = "assessment_exams"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes > 0", name="duration_positive"),
        sa.CheckConstraint("partial_credit >= 0 AND partial_credit < 1", name="partial_credit"),
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True
    )
    bank_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_banks.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(120))
    duration_minutes: Mapped[int]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime | None]
    # [{"topic": str, "difficulty": int | None, "count": int}, ...]
    blueprint: Mapped[list[Any]] = mapped_column(sa.JSON)
    # Multiple choice: the share of the points for a right but incomplete choice (0: none).
    partial_credit: Mapped[Decimal] = mapped_column(sa.Numeric(4, 3), default=Decimal(0))
    pass_mark: Mapped[int] = mapped_column(default=60)
    # True: anyone of the owning organization's subtree may sit; False: listed candidates only.
    open_to_scope: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    bank: Mapped[QuestionBank] = relationship()

    @property
    def question_count(self) -> int:
        return sum(int(part["count"]) for part in self.blueprint)


class Candidate(Base):
    """A person listed for an exam that is not open to its whole organization."""

    __tablename__ = "assessment_candidates"

    exam_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_exams.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Sitting(Base):
    """One candidate's sitting of one exam: the paper's seed, the server's clock, the result."""

    __tablename__ = "assessment_sittings"
    __table_args__ = (
        sa.UniqueConstraint("exam_id", "user_id"),
        sa.CheckConstraint("closed_by IN ('submit', 'timeout')", name="closed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_exams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    started_at: Mapped[datetime]
    deadline: Mapped[datetime] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(sa.String(8))
    score: Mapped[Decimal | None] = mapped_column(MARK)
    max_score: Mapped[Decimal] = mapped_column(MARK)
    percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))

    exam: Mapped[Exam] = relationship()
    user: Mapped[User] = relationship()
    items: Mapped[list[SittingItem]] = relationship(
        back_populates="sitting", order_by="SittingItem.position"
    )

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class SittingItem(Base):
    """A question of a sitting's paper: its options' order as shown, the answer, the mark."""

    __tablename__ = "assessment_items"
    __table_args__ = (sa.UniqueConstraint("sitting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_sittings.id", ondelete="CASCADE")
    )
    position: Mapped[int]  # 1, 2, …
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_questions.id", ondelete="RESTRICT"), index=True
    )
    # Shown option i is the question's option order[i].
    order: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    points: Mapped[Decimal] = mapped_column(MARK)
    # Choice kinds: the question's option indexes chosen; fill: [the text written].
    response: Mapped[list[Any] | None] = mapped_column(sa.JSON)
    answered_at: Mapped[datetime | None]
    mark: Mapped[Decimal | None] = mapped_column(MARK)

    sitting: Mapped[Sitting] = relationship(back_populates="items")
    question: Mapped[BankQuestion] = relationship()
