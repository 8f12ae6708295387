"""Celery tasks of the care link: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from lms.care import services
from lms.db import utcnow
from lms.extensions import db
from lms.signals import care_followup_due, emit


@shared_task(name="lms.care.tasks.remind_due_followups", acks_late=True)
def remind_due_followups() -> int:
    """Tell each owner once about a follow-up that is due today or overdue.

    The step's ``reminded_at`` is set in the same commit as the signal's subscribers
    write their notices, so a repeated run sends nothing twice."""
    count = 0
    for step in services.steps_to_remind():
        step.reminded_at = utcnow()
        emit(
            care_followup_due,
            step_id=step.id,
            case_id=step.case_id,
            owner_id=step.case.owner_id,
            url=f"/care/cases/{step.case_id}",  # a path: tasks run outside a request
        )
        count += 1
    db.session.commit()
    return count
