"""Mentorship tasks: thin and idempotent; the rules are in services."""

from __future__ import annotations

from celery import shared_task

from lms.mentorship import services


@shared_task(ignore_result=True)
def announce_quiet_pairings() -> int:
    """Beat, hourly: ``mentorship_quiet`` for pairings with no log for ``MENTOR_QUIET_DAYS``."""
    return services.announce_quiet_pairings()
