"""Celery tasks of the assessment engine: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from lms.assessment.services import sittings


@shared_task(name="lms.assessment.tasks.close_expired_sittings", acks_late=True)
def close_expired_sittings() -> int:
    """Close and mark every sitting past its deadline (a sitting closes once: the row lock
    and the closed time make a repeated run a no-op)."""
    return sittings.close_expired()
