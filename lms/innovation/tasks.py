"""Background work for innovation: escalating items past their answer deadline."""

from __future__ import annotations

from celery import shared_task

from lms.innovation import services


@shared_task(acks_late=True)
def escalate_overdue() -> int:
    """Beat (hourly): escalate each overdue item once (safe to run twice)."""
    return len(services.escalate_overdue())
