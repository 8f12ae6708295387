"""Course tasks: thin and idempotent, they take ids and call services."""

from __future__ import annotations

from celery import shared_task

from courses import services


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_course_progress(course_id: int) -> None:
    """Recompute every learner's progress after the course's lectures changed."""
    services.refresh_course_progress(course_id)
