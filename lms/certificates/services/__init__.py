"""Certificates: issue (exactly once), revoke, reissue, verify, PDFs and bulk batches.

API for other packages (most reach it through signals, see ``subscribers``):
- ``issue_certificate(holder_id, kind, subject_type, subject_id, title, organization_id=...)``
  — idempotent: returns the holder's current certificate for that subject if there is one.
  What the certificate says (title, issuing organization) is stored on it at issue time,
  from what the caller or the signal gives; certificates never read a domain's tables.

Split by sub-domain: ``issuing`` (issue, revoke, reissue), ``reading`` (who sees what,
public verification) and ``files`` (PDFs and bulk batches with their ZIP).
"""

from lms.certificates.services.files import (
    batch_progress,
    batch_zip,
    batches_query,
    create_batch,
    finish_batch,
    get_batch,
    pdf_for_download,
    render_pdf,
    run_batch,
)
from lms.certificates.services.issuing import (
    KIND_LABELS,
    STATE_LABELS,
    current_certificate,
    issue_certificate,
    local_today,
    reissue,
    revoke,
    verify_url,
)
from lms.certificates.services.reading import (
    can_view,
    certificates_query,
    get_certificate,
    verify,
)

__all__ = [
    "KIND_LABELS",
    "STATE_LABELS",
    "batch_progress",
    "batch_zip",
    "batches_query",
    "can_view",
    "certificates_query",
    "create_batch",
    "current_certificate",
    "finish_batch",
    "get_batch",
    "get_certificate",
    "issue_certificate",
    "local_today",
    "pdf_for_download",
    "reissue",
    "render_pdf",
    "revoke",
    "run_batch",
    "verify",
    "verify_url",
]
