"""Platform services: health, readiness, worker heartbeats."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from lms.core.models import WorkerHeartbeat
from lms.db import utcnow
from lms.extensions import db


def record_heartbeat(hostname: str) -> None:
    row = db.session.get(WorkerHeartbeat, hostname)
    if row is None:
        db.session.add(WorkerHeartbeat(hostname=hostname, seen_at=utcnow()))
    else:
        row.seen_at = utcnow()
    db.session.commit()


def workers(max_age: timedelta | None = None) -> list[dict]:
    """Known workers with whether each is alive (seen within three heartbeat periods)."""
    max_age = max_age or timedelta(seconds=3 * current_app.config["WORKER_HEARTBEAT_SECONDS"])
    now = utcnow()
    rows = db.session.scalars(sa.select(WorkerHeartbeat).order_by(WorkerHeartbeat.seen_at.desc()))
    return [
        {"hostname": r.hostname, "seen_at": r.seen_at, "alive": now - r.seen_at <= max_age}
        for r in rows
    ]


def check_database() -> tuple[bool, str]:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True, "ok"
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return False, exc.__class__.__name__


def check_broker() -> tuple[bool, str]:
    celery = current_app.extensions["celery"]
    if celery.conf.task_always_eager:
        return True, "eager"
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # kombu raises transport-specific errors
        return False, exc.__class__.__name__


def readiness() -> dict:
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    alive = [w for w in workers() if w["alive"]] if db_ok else []
    return {
        "ready": db_ok and broker_ok,
        "database": db_detail,
        "broker": broker_detail,
        "workers_alive": len(alive),
    }
