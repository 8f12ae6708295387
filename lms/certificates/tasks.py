"""Certificate tasks on the ``pdf`` queue: thin and idempotent, ids in."""

from __future__ import annotations

from celery import shared_task

from lms.certificates import services
from lms.extensions import db


@shared_task(ignore_result=True)
def render_certificate_pdf(certificate_id: int) -> str | None:
    """(``pdf`` queue) Make a certificate's PDF; a second run finds it made and does nothing."""
    path = services.render_pdf(certificate_id)
    db.session.commit()
    return path


@shared_task(ignore_result=True)
def run_batch(batch_id: int) -> None:
    """(``pdf`` queue) Issue a batch's certificates and PDFs, then its ZIP. Resumable."""
    services.run_batch(batch_id)
