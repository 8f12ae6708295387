"""Certificates: issue (exactly once), revoke, reissue, verify, PDFs and bulk batches.

API for other packages:
- ``issue_certificate(holder_id, kind, subject_type, subject_id, title, ...)`` — idempotent:
  returns the holder's current certificate for that subject if there is one.
- ``register_subject(subject_type, resolver)`` — how a package names its subjects
  (``resolver(subject_id) -> SubjectInfo``) so certificates show "焊接技能提升班" rather
  than "培训班 #3". Without a resolver, signal keyword ``title`` or a generic title is used.
"""

from __future__ import annotations

import functools
import io
import secrets
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.certificates import storage
from lms.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateBatchItem,
    CertificateKind,
    CertificateStatus,
)
from lms.db import is_postgres, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.notifications.services import enqueue_after_commit

KIND_LABELS = {
    CertificateKind.course: _l("课程结业证书"),
    CertificateKind.training_class: _l("培训结业证书"),
    CertificateKind.mentorship: _l("出师证书"),
    CertificateKind.competition: _l("竞赛荣誉证书"),
}
STATE_LABELS = {
    "valid": _l("有效"),
    "revoked": _l("已吊销"),
    "superseded": _l("已被更正后的证书取代"),
    "expired": _l("已过期"),
}
EXPIRY_NOTICE = timedelta(days=30)


def _in_text_locale(fn):
    """Tasks and CLI have no request: write texts in the installation's language."""

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        from lms.notifications.services import text_locale

        with text_locale():
            return fn(*args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class SubjectInfo:
    title: str
    organization_id: int | None = None
    expires_on: date | None = None


_RESOLVERS: dict[str, Callable[[int], SubjectInfo | None]] = {}


def register_subject(subject_type: str, resolver: Callable[[int], SubjectInfo | None]) -> None:
    """Let a package say what its subject is called (and who issues it)."""
    _RESOLVERS[subject_type] = resolver


def subject_info(subject_type: str, subject_id: int) -> SubjectInfo | None:
    """What the subject's package says it is called, or None (no resolver, or no such row)."""
    return _RESOLVERS.get(subject_type, lambda _id: None)(subject_id)


def local_today() -> date:
    from lms.timeutil import to_local

    return to_local(utcnow()).date()


def verify_url(cert: Certificate) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{cert.code}"


def _issuer_for(holder: User) -> int:
    """The federation at the top of the holder's organization tree issues by default."""
    root_id = int(holder.organization.path.strip("/").split("/")[0])
    return root_id


def _new_code() -> str:
    # 16 characters of base32: unguessable (80 bits), easy to read aloud or type.
    import base64

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


@_in_text_locale
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
    resolved: tuple[SubjectInfo | None] | None = None,
) -> tuple[Certificate, bool]:
    """Issue one certificate, exactly once per holder and subject. Returns (certificate, new?).

    ``resolved``: the subject's ``(subject_info(...),)`` when the caller already has it (a
    batch issues many certificates for one subject and asks once).

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
    info = subject_info(subject_type, subject_id) if resolved is None else resolved[0]
    if info is not None:
        title = title or info.title
        organization_id = organization_id or info.organization_id
        expires_on = expires_on or info.expires_on
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
    _after_issue(cert, render_pdf)
    return cert, True


def _after_issue(cert: Certificate, render_pdf: bool) -> None:
    from lms import signals
    from lms.certificates import tasks
    from lms.notifications import services as notifications
    from lms.notifications.models import Category

    if render_pdf:
        enqueue_after_commit(db.session, tasks.render_certificate_pdf, cert.id)
    notifications.notify(
        [cert.holder_id],
        Category.certificate,
        _("您获得了%(kind)s：%(title)s", kind=KIND_LABELS[cert.kind], title=cert.title),
        _("证书编号 %(serial)s，可在“我的证书”中下载。", serial=cert.serial),
        f"/certificates/{cert.id}",
        key=f"certificate:{cert.id}",
    )
    if cert.expires_on:
        from lms.notifications.services import ReminderSpec
        from lms.timeutil import local_datetime

        expires_at = local_datetime(cert.expires_on)
        notifications.schedule_reminders(
            [cert.holder_id],
            "certificate",
            cert.id,
            [ReminderSpec("cert_expiry", expires_at - EXPIRY_NOTICE, expires_at)],
            category=Category.certificate,
            title=cert.title,
            event_at=expires_at,
            link=f"/certificates/{cert.id}",
        )
    signals.certificate_issued.send(
        current_app._get_current_object(), certificate_id=cert.id, holder_id=cert.holder_id
    )


# --- reading, with permissions ---------------------------------------------------------------


def can_view(actor: User, cert: Certificate) -> bool:
    return actor.id == cert.holder_id or scope.can_manage_user(actor, cert.holder)


def get_certificate(actor: User, certificate_id: int) -> Certificate:
    cert = db.session.get(Certificate, certificate_id)
    if cert is None or not can_view(actor, cert):
        raise NotFound()
    return cert


def certificates_query(actor: User, *, mine: bool = True, q: str | None = None) -> sa.Select:
    """The actor's own certificates, or (officers) every current one in their scope."""
    stmt = sa.select(Certificate).order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    if mine:
        return stmt.where(Certificate.holder_id == actor.id)
    scope.require_officer(actor)
    stmt = (
        stmt.join(User, User.id == Certificate.holder_id)
        .join(Organization, Organization.id == User.organization_id)
        .where(scope.subtree_condition(actor))
    )
    if q:
        stmt = stmt.where(
            sa.or_(User.name.contains(q), Certificate.serial == q, User.employee_no == q)
        )
    return stmt


def verify(code: str) -> Certificate:
    """The certificate behind a verification code (public; nothing else is revealed)."""
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.code == code.upper()))
    if cert is None:
        raise NotFound(_("没有找到这张证书。请核对二维码或核验码。"))
    return cert


# --- revocation and reissue ------------------------------------------------------------------


def _require_manage(actor: User, cert: Certificate) -> None:
    if not scope.can_manage_user(actor, cert.holder):
        raise Forbidden()


def revoke(actor: User, certificate_id: int, reason: str) -> Certificate:
    from lms.audit.services import record

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
    from lms.notifications import services as notifications
    from lms.notifications.models import Category

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
    from lms.audit.services import record

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


# --- PDFs ------------------------------------------------------------------------------------


def pdf_relative_path(cert: Certificate) -> str:
    return f"certificates/{cert.issued_on:%Y}/{cert.serial}.pdf"


def render_pdf(certificate_id: int, *, force: bool = False) -> str | None:
    """Make (or remake) the PDF of a certificate; returns its storage path. Idempotent."""
    from flask_babel import force_locale

    from lms.certificates import pdf

    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        return None
    relative = pdf_relative_path(cert)
    if not force and cert.pdf_path == relative and storage.exists(relative):
        return relative
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
    storage.write_bytes(relative, data)
    cert.pdf_path = relative
    db.session.flush()
    return relative


def pdf_for_download(actor: User, certificate_id: int) -> tuple[Certificate, str]:
    """The PDF path for the holder or an officer in scope, made now if it is not there yet."""
    cert = get_certificate(actor, certificate_id)
    if not storage.exists(cert.pdf_path):
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
    from lms.certificates import tasks

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


@_in_text_locale
def run_batch(batch_id: int, chunk: int = 10) -> CertificateBatch | None:
    """Work through a batch's open items; safe to run twice at once or again after a crash.

    Items are claimed with SKIP LOCKED on PostgreSQL, each chunk commits its certificates,
    PDFs and progress together, and certificates are unique per holder and subject.
    """
    from lms.notifications import services as notifications

    resolved = None
    while True:
        batch = db.session.get(CertificateBatch, batch_id)
        if batch is None:
            return None
        if batch.status == BatchStatus.queued:
            batch.status = BatchStatus.running
        if resolved is None:
            resolved = (subject_info(batch.subject_type, batch.subject_id),)
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
                    resolved=resolved,
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
        for serial, path, name in rows:
            if path and storage.exists(path):
                archive.write(storage.path_of(path), f"{serial}-{name}.pdf")
    batch.zip_path = storage.write_bytes(f"certificates/batches/{batch.id}.zip", buffer.getvalue())
    batch.status, batch.finished_at = BatchStatus.done, utcnow()
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
