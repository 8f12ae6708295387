"""Platform bookkeeping: worker heartbeats."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow


class WorkerHeartbeat(Base):
    """Last time each Celery worker ran the heartbeat task; read by /readyz and the admin page."""

    __tablename__ = "worker_heartbeats"

    hostname: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
