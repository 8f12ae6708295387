"""Platform bookkeeping: worker heartbeats and the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow


class WorkerHeartbeat(Base):
    """Last time each Celery worker ran the heartbeat task; read by /readyz and the admin page."""

    __tablename__ = "worker_heartbeats"

    hostname: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarDay(Base):
    """An exception to the week in the working-day calendar the admins maintain: a public
    holiday on a weekday (``is_workday`` false) or a make-up working day on a weekend (true).
    Days without a row follow the week: Monday to Friday work, Saturday and Sunday off."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.String(80), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
