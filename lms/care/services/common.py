"""Small helpers the care services share: today's date in the installation's zone, loading
a row with a lock, and the check of a posted text's length."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lms.db import is_postgres, utcnow
from lms.extensions import db


def local_today() -> date:
    from lms.timeutil import to_local

    return to_local(utcnow()).date()


def load(model, row_id: int, *, lock: bool = False):
    """One row by id; with ``lock``, fresh from the database and locked until commit
    (PostgreSQL — SQLite serialises writers anyway)."""
    stmt = sa.select(model).where(model.id == row_id)
    if lock:
        stmt = stmt.execution_options(populate_existing=True)
        if is_postgres(db.session):
            stmt = stmt.with_for_update(of=model)
    return db.session.scalar(stmt)


def clean(value: str | None, limit: int) -> str | None:
    text = (value or "").strip()
    return text[:limit] or None
