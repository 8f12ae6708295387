"""The online theory exam of a trade: which exam of the assessment engine it is."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.assessment.models import Exam
from lms.competitions.models import Trade
from lms.db import Base


class TheoryExam(Base):
    __tablename__ = "competition_theory_exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_trades.id", ondelete="CASCADE"), unique=True
    )
    exam_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessment_exams.id", ondelete="CASCADE"), unique=True
    )

    trade: Mapped[Trade] = relationship()
    exam: Mapped[Exam] = relationship()
