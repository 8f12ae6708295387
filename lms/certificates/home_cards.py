"""The home page card: the worker's certificates."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.certificates.models import Certificate, CertificateStatus
from lms.core import home
from lms.extensions import db


def certificates_card(user: User) -> home.Card | None:
    count = db.session.scalar(
        sa.select(sa.func.count(Certificate.id)).where(
            Certificate.holder_id == user.id, Certificate.status == CertificateStatus.valid
        )
    )
    if not count:
        return None
    return home.Card(
        title=_("我的证书"),
        template="certificates/cards/certificates.html",
        context={"count": count},
        order=60,
    )


def register() -> None:
    home.register_card(Role.worker, certificates_card)
    home.register_card(Role.mentor, certificates_card)
