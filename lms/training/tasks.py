"""Background work for training: closing sessions that have ended."""

from __future__ import annotations

from celery import shared_task

from lms.training import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def close_session(session_id: int) -> int:
    """Mark everyone unmarked absent for one ended session (safe to run twice)."""
    return services.close_session(session_id)


@shared_task(acks_late=True)
def close_ended_sessions() -> int:
    """Beat: find sessions that have ended and are not yet closed, and close each."""
    closed = 0
    for session_id in services.ended_unclosed_ids():
        services.close_session(session_id)
        closed += 1
    return closed
