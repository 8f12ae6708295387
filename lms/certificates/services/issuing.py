"""Issuing certificates exactly once per holder and subject; revoking and reissuing them
(officers in scope, audited). Issuing announces ``certificate_issued``; notifications tells
the holder."""

from __future__ import annotations

import base64
import secrets
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms import signals
from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.certificates import tasks
from lms.certificates.models import Certificate, CertificateKind, CertificateStatus
from lms.certificates.services.reading import get_certificate
from lms.db import enqueue_after_commit, is_postgres, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.notifications import services as notifications
from lms.notifications.models import Category
from lms.notifications.services import text_locale
from lms.timeutil import to_local

KIND_LABELS = {
    CertificateKind.course: _l("课程结业证书"),
    CertificateKind.training_class: _l("培训结业证书"),
    CertificateKind.mentorship: _l("出师证书"),
    CertificateKind.competition: _l("竞赛荣誉证书"),
    CertificateKind.honour: _l("荣誉称号证书"),
}
STATE_LABELS = {
    "valid": _l("有效"),
    "revoked": _l("已吊销"),
    "superseded": _l("已被更正后的证书取代"),
    "expired": _l("已过期"),
}


def local_today() -> date:
    return to_local(utcnow()).date()


def verify_url(cert: Certificate) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{cert.code}"


def _issuer_for(holder: User) -> int:
    """The federation at the top of the holder's organization tree issues by default."""
    return int(holder.organization.path.strip("/").split("/")[0])


def _new_code() -> str:
    # 16 characters of base32: unguessable (80 bits), easy to read aloud or type.
    return base64.b32encode(secrets.token_bytes(10)).decode()


def current_certificate(holder_id: int, subject_type: str, subject_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.holder_id == holder_id,
            Certificate.subject_type == subject_type,
            Certificate.subject_id == subject_id,
            Certificate.status != CertificateStatus.superseded,
        )
    )


@text_locale()
def issue_certificate(
    holder_id: int,
    kind: CertificateKind | str,
    subject_type: str,
    subject_id: int,
    title: str | None = None,
    *,
    organization_id: int | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
    actor: User | None = None,
    render_pdf: bool = True,
) -> tuple[Certificate, bool]:
    """Issue one certificate, exactly once per holder and subject. Returns (certificate, new?).

    ``title`` and ``organization_id`` (the issuer; by default the federation at the top of
    the holder's tree) are stored on the certificate: it says what it certified even if the
    subject is later renamed or removed.

    The partial unique index decides under concurrency: on PostgreSQL the insert runs in a
    savepoint and a duplicate returns the certificate the other transaction made.
    """
    kind = CertificateKind(kind)
    existing = current_certificate(holder_id, subject_type, subject_id)
    if existing is not None:
        return existing, False
    holder = db.session.get(User, holder_id)
    if holder is None:
        raise NotFound()
    cert = Certificate(
        holder_id=holder_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        title=(title or _("%(kind)s #%(id)s", kind=KIND_LABELS[kind], id=subject_id))[:200],
        organization_id=organization_id or _issuer_for(holder),
        issued_on=issued_on or local_today(),
        expires_on=expires_on,
        code=_new_code(),
        serial=f"tmp-{secrets.token_hex(8)}",
        issued_by_id=actor.id if actor else None,
    )
    if is_postgres(db.session):
        try:
            with db.session.begin_nested():
                db.session.add(cert)
                db.session.flush()
        except sa.exc.IntegrityError:
            existing = current_certificate(holder_id, subject_type, subject_id)
            if existing is None:
                raise
            return existing, False
    else:
        db.session.add(cert)
        db.session.flush()
    cert.serial = f"GJ{cert.issued_on:%Y}{cert.id:07d}"
    db.session.flush()
    if render_pdf:
        enqueue_after_commit(db.session, tasks.render_certificate_pdf, cert.id)
    signals.emit(
        signals.certificate_issued,
        certificate_id=cert.id,
        holder_id=cert.holder_id,
        title=cert.title,
        serial=cert.serial,
        url=f"/certificates/{cert.id}",
        expires_on=cert.expires_on,
    )
    return cert, True


# --- revocation and reissue ------------------------------------------------------------------


def _require_manage(actor: User, cert: Certificate) -> None:
    if not scope.can_manage_user(actor, cert.holder):
        raise Forbidden()


def revoke(actor: User, certificate_id: int, reason: str) -> Certificate:
    cert = get_certificate(actor, certificate_id)
    _require_manage(actor, cert)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(errors={"reason": [_("请填写吊销原因。")]})
    if cert.status != CertificateStatus.valid:
        raise Conflict(_("只有有效的证书可以吊销。"))
    before = {"status": cert.status.value}
    cert.status, cert.revoked_at, cert.revoke_reason = CertificateStatus.revoked, utcnow(), reason
    record(
        actor,
        "certificate.revoke",
        "certificate",
        cert.id,
        organization_id=cert.holder.organization_id,
        before=before,
        after={"status": cert.status.value, "reason": reason},
        summary=f"revoke {cert.serial}: {reason}",
    )
    notifications.notify(
        [cert.holder_id],
        Category.certificate,
        _("证书已吊销：%(title)s", title=cert.title),
        _("原因：%(reason)s。如有疑问请联系培训专员。", reason=reason),
        f"/certificates/{cert.id}",
        key=f"certificate-revoked:{cert.id}",
    )
    db.session.flush()
    return cert


def reissue(
    actor: User,
    certificate_id: int,
    *,
    title: str | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
    reason: str = "",
) -> Certificate:
    """After a correction (a misspelt title, a wrong date, a corrected name): a new
    certificate with a new serial and code supersedes the old one, whose QR code then says so.
    """
    old = get_certificate(actor, certificate_id)
    _require_manage(actor, old)
    if old.status == CertificateStatus.superseded:
        raise Conflict(_("这张证书已被取代，请更正最新的那张。"))
    old.status = CertificateStatus.superseded
    db.session.flush()  # frees the (holder, subject) slot of the partial unique index
    new, _created = issue_certificate(
        old.holder_id,
        old.kind,
        old.subject_type,
        old.subject_id,
        (title or old.title).strip(),
        organization_id=old.organization_id,
        issued_on=issued_on or old.issued_on,
        expires_on=expires_on if expires_on is not None else old.expires_on,
        actor=actor,
    )
    old.superseded_by_id = new.id
    record(
        actor,
        "certificate.reissue",
        "certificate",
        old.id,
        organization_id=old.holder.organization_id,
        before={"serial": old.serial, "title": old.title, "issued_on": old.issued_on.isoformat()},
        after={"serial": new.serial, "title": new.title, "issued_on": new.issued_on.isoformat()},
        summary=f"reissue {old.serial} → {new.serial} {reason}"[:255],
    )
    db.session.flush()
    return new
