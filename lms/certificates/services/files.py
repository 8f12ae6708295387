"""A certificate's PDF (made once, kept in ``lms.core.storage``) and bulk batches: many
holders at once on the ``pdf`` queue, resumable, ending in a ZIP of every PDF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit.services import record
from lms.certificates import pdf, tasks
from lms.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateBatchItem,
    CertificateKind,
)
from lms.certificates.services.issuing import (
    KIND_LABELS,
    issue_certificate,
    local_today,
    verify_url,
)
from lms.certificates.services.reading import get_certificate
from lms.core import storage
from lms.db import after_commit, enqueue_after_commit, is_postgres, utcnow
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.notifications import services as notifications
from lms.notifications.services import text_locale

# --- PDFs ------------------------------------------------------------------------------------


def render_pdf(certificate_id: int, *, force: bool = False) -> str | None:
    """Make (or remake) the PDF of a certificate; returns its storage key. Idempotent."""
    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        return None
    if not force and cert.pdf_path and storage.exists(cert.pdf_path):
        return cert.pdf_path
    # A certificate is a document in the installation's language, whoever downloads it.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        kind_label = str(KIND_LABELS[cert.kind])
    data = pdf.render(
        holder_name=cert.holder.name,
        title=cert.title,
        kind_label=kind_label,
        issued_on=cert.issued_on,
        organization=cert.organization.name,
        serial=cert.serial,
        verify_url=verify_url(cert),
        expires_on=cert.expires_on,
    )
    previous, cert.pdf_path = cert.pdf_path, storage.save(data)
    if previous:
        after_commit(db.session, storage.delete, previous)
    db.session.flush()
    return cert.pdf_path


def pdf_for_download(actor: User, certificate_id: int) -> tuple[Certificate, str]:
    """The PDF's storage key for the holder or an officer in scope, made now if missing."""
    cert = get_certificate(actor, certificate_id)
    if not cert.pdf_path or not storage.exists(cert.pdf_path):
        render_pdf(cert.id)
        db.session.commit()
    return cert, cert.pdf_path


# --- bulk issue ------------------------------------------------------------------------------


def create_batch(
    actor: User,
    *,
    holders: Iterable[str],
    kind: CertificateKind | str,
    title: str,
    subject_type: str,
    subject_id: int,
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> CertificateBatch:
    """An officer issues certificates to many people at once (employee numbers or mobiles)."""
    scope.require_officer(actor)
    keys = [h.strip() for h in holders if h and h.strip()]
    if not keys:
        raise Invalid(errors={"holders": [_("请至少填写一位学员的工号。")]})
    title = (title or "").strip()
    if not title:
        raise Invalid(errors={"title": [_("请填写证书名称。")]})
    people = {
        key: user
        for user in db.session.scalars(
            sa.select(User).where(sa.or_(User.employee_no.in_(keys), User.mobile.in_(keys)))
        )
        for key in (user.employee_no, user.mobile)
    }
    unknown = [k for k in keys if k not in people]
    if unknown:
        raise Invalid(
            errors={"holders": [_("找不到这些工号：%(keys)s", keys="、".join(unknown[:20]))]}
        )
    outside = [k for k in keys if not scope.can_manage_user(actor, people[k])]
    if outside:
        raise Forbidden(_("这些学员不在您管理的单位内：%(keys)s", keys="、".join(outside[:20])))
    holder_ids = list(dict.fromkeys(people[k].id for k in keys))
    batch = CertificateBatch(
        created_by_id=actor.id,
        organization_id=actor.organization_id,
        kind=CertificateKind(kind),
        subject_type=subject_type,
        subject_id=subject_id,
        title=title[:200],
        issued_on=issued_on or local_today(),
        expires_on=expires_on,
        total=len(holder_ids),
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add_all(CertificateBatchItem(batch_id=batch.id, holder_id=h) for h in holder_ids)
    db.session.flush()
    enqueue_after_commit(db.session, tasks.run_batch, batch.id)
    return batch


def get_batch(actor: User, batch_id: int) -> CertificateBatch:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or not (
        batch.created_by_id == actor.id or scope.org_in_scope(actor, batch.organization)
    ):
        raise NotFound()
    return batch


@text_locale()
def run_batch(batch_id: int, chunk: int = 10) -> CertificateBatch | None:
    """Work through a batch's open items; safe to run twice at once or again after a crash.

    Items are claimed with SKIP LOCKED on PostgreSQL, each chunk commits its certificates,
    PDFs and progress together, and certificates are unique per holder and subject.
    """
    while True:
        batch = db.session.get(CertificateBatch, batch_id)
        if batch is None:
            return None
        if batch.status == BatchStatus.queued:
            batch.status = BatchStatus.running
        stmt = (
            sa.select(CertificateBatchItem)
            .where(CertificateBatchItem.batch_id == batch_id, CertificateBatchItem.done.is_(False))
            .order_by(CertificateBatchItem.id)
            .limit(chunk)
        )
        if is_postgres(db.session):
            stmt = stmt.with_for_update(skip_locked=True)
        items = list(db.session.scalars(stmt))
        if not items:
            db.session.commit()
            break
        # The chunk's holders and the issuer in a few queries, not several per certificate:
        # issuing and drawing each PDF then find them in the session (which holds rows only
        # weakly, hence the names kept here until the chunk is done).
        holders = db.session.scalars(  # noqa: F841
            sa.select(User).where(User.id.in_([i.holder_id for i in items]))
        ).all()
        issuer = db.session.get(Organization, batch.organization_id)  # noqa: F841
        with notifications.gathered():
            for item in items:
                cert, _created = issue_certificate(
                    item.holder_id,
                    batch.kind,
                    batch.subject_type,
                    batch.subject_id,
                    batch.title,
                    organization_id=batch.organization_id,
                    issued_on=batch.issued_on,
                    expires_on=batch.expires_on,
                    render_pdf=False,
                )
                render_pdf(cert.id)
                item.certificate_id, item.done = cert.id, True
        db.session.flush()
        _count_progress(batch)
        db.session.commit()
    return finish_batch(batch_id)


def _count_progress(batch: CertificateBatch) -> None:
    batch.done = db.session.scalar(
        sa.select(sa.func.count(CertificateBatchItem.id)).where(
            CertificateBatchItem.batch_id == batch.id, CertificateBatchItem.done.is_(True)
        )
    )


def finish_batch(batch_id: int) -> CertificateBatch | None:
    """When every item is done: the ZIP of all PDFs, and the batch is done."""
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None:
        return None
    _count_progress(batch)
    if batch.done < batch.total or batch.status == BatchStatus.done:
        db.session.commit()
        return batch
    rows = db.session.execute(
        sa.select(Certificate.serial, Certificate.pdf_path, User.name)
        .join(CertificateBatchItem, CertificateBatchItem.certificate_id == Certificate.id)
        .join(User, User.id == Certificate.holder_id)
        .where(CertificateBatchItem.batch_id == batch_id)
        .order_by(Certificate.serial)
    ).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for serial, key, name in rows:
            if key and storage.exists(key):
                archive.write(storage.path(key), f"{serial}-{name}.pdf")
    batch.zip_path = storage.save(buffer.getvalue())
    batch.status, batch.finished_at = BatchStatus.done, utcnow()
    db.session.commit()
    return batch


def batch_zip(actor: User, batch_id: int) -> CertificateBatch:
    """The finished batch whose ZIP (every holder's certificate, with names) the officer
    downloads; the export of personal data is written to the audit log."""
    batch = get_batch(actor, batch_id)
    if not batch.zip_path or not storage.exists(batch.zip_path):
        raise NotFound()
    record(
        actor,
        "export",
        "certificate_batch",
        batch.id,
        organization_id=batch.organization_id,
        after={"rows": batch.done},
        summary=f"certificates-batch-{batch.id}.zip: {batch.done} certificates",
    )
    db.session.commit()
    return batch


def batch_progress(batch: CertificateBatch) -> dict:
    return {
        "id": batch.id,
        "status": batch.status.value,
        "total": batch.total,
        "done": batch.done,
        "percent": round(100 * batch.done / batch.total) if batch.total else 100,
        "zip_ready": batch.status == BatchStatus.done and bool(batch.zip_path),
    }


def batches_query(actor: User) -> sa.Select:
    scope.require_officer(actor)
    return (
        sa.select(CertificateBatch)
        .join(Organization, Organization.id == CertificateBatch.organization_id)
        .where(scope.subtree_condition(actor))
        .order_by(CertificateBatch.id.desc())
    )
