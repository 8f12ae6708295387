"""The contest rules' records: titles conferred (awards), versioned marking schemes and
their aspects, changes after lock waiting for the supervisor, and appeals."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.competitions.models import Contestant
from lms.db import Base, utcnow

MARK = sa.Numeric(8, 2)


class Award(Base):
    """A title conferred on a contestant after the public notice: one per contestant."""

    __tablename__ = "competition_awards"
    __table_args__ = (
        sa.CheckConstraint("title IN ('chief_technician', 'technical_expert')", name="title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contests.id", ondelete="CASCADE"), index=True
    )
    contestant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competition_contestants.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(20))
    rank: Mapped[int]
    total: Mapped[Decimal] = mapped_column(MARK)
    honor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("honors.id", ondelete="SET NULL"))
    conferred_at: Mapped[datetime] = mapped_column(default=utcnow)
    conferred_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    contestant: Mapped[Contestant] = relationship()
