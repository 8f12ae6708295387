"""Celery tasks of skill contests: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from lms.competitions import titles


@shared_task(name="lms.competitions.tasks.confer_due_titles", acks_late=True)
def confer_due_titles() -> int:
    """Confer the titles of every contest whose public notice has ended (a contest is
    conferred once: its row is locked and stamped, so a repeated run does nothing)."""
    return titles.confer_due()
