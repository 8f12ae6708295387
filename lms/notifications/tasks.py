"""Notification tasks: thin, idempotent, ids in. The work is in services and mail."""

from __future__ import annotations

import smtplib

from celery import shared_task

from lms.notifications import mail, services


@shared_task(
    bind=True,
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=6,
)
def send_email(self, message_id: int) -> str:
    """(``email`` queue) Send one queued mail; SMTP trouble retries with exponential backoff, then is recorded."""
    return mail.deliver(message_id, final_attempt=self.request.retries >= self.max_retries)


@shared_task(ignore_result=True)
def send_emails(message_ids: list[int]) -> dict:
    """(``email`` queue) Send a run of queued mails (the dispatcher's); a mail that meets a
    passing SMTP error is retried on its own by ``send_email``."""
    return mail.deliver_many(message_ids, retry=send_email)


@shared_task(ignore_result=True)
def dispatch_reminders(batch_size: int = 2000, max_batches: int = 50) -> dict:
    """Beat, every minute: send due reminders, drop expired ones (SKIP LOCKED on PostgreSQL).

    Each batch's mails become one ``send_emails`` task, so the batch is the run's size."""
    return services.dispatch_due(batch_size=batch_size, max_batches=max_batches)


@shared_task(ignore_result=True)
def send_digests() -> int:
    """Beat, hourly: the daily digest mail for people whose chosen hour it is."""
    return services.send_digests()


@shared_task(ignore_result=True)
def requeue_stale_mail() -> int:
    """Beat, every 10 minutes: mails still queued after 10 minutes are queued again."""
    return services.requeue_stale_mail()
