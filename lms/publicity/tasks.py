"""Celery tasks of publicity: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from lms.publicity import services


@shared_task(name="lms.publicity.tasks.flush_reach", acks_late=True)
def flush_reach() -> int:
    """Copy the day counters of story views from the cache into the database (the values,
    not increments: a repeated run changes nothing)."""
    return services.flush_reach()
