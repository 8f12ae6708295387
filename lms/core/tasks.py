"""Platform tasks."""

from __future__ import annotations

from celery import shared_task

from lms.core import services


@shared_task(bind=True, ignore_result=True)
def record_heartbeat(self) -> None:
    services.record_heartbeat(self.request.hostname or "worker")
