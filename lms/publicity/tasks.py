"""Celery tasks of publicity: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from lms.publicity import services


@shared_task(name="lms.publicity.tasks.flush_reach", acks_late=True)
def flush_reach() -> int:
    """Copy the day counters of story views from the cache into the database (the values,
    not increments: a repeated run changes nothing)."""
    return services.flush_reach()


@shared_task(
    name="lms.publicity.tasks.build_collection",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def build_collection(collection_id: int) -> None:
    """Make a collection's PDF and EPUB; a finished one is left as it is."""
    services.build_collection(collection_id)
