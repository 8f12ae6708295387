"""Who may see which certificate: the holder, and officers over the holder; and the public
verification behind the QR code, which reveals nothing else."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.certificates.models import Certificate
from lms.errors import NotFound
from lms.extensions import db


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
