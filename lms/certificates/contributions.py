"""What certificates contribute to a person's growth record (certificates held) and to the
five-links overview (certificates issued to people of the subtree). Fixed number of queries."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from lms.accounts.models import Organization, User
from lms.certificates.models import Certificate, CertificateStatus
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    rows = db.session.execute(
        sa.select(
            Certificate.id, Certificate.title, Certificate.serial, Certificate.issued_on
        ).where(Certificate.holder_id == user_id, Certificate.status == CertificateStatus.valid)
    ).all()
    return [
        growth.Entry(
            link="cultivation",
            kind="certificate",
            title=_("获得证书：%(title)s", title=title),
            on=issued_on,
            detail=_("编号 %(serial)s", serial=serial),
            url=url_for("certificates.detail", certificate_id=certificate_id),
        )
        for certificate_id, title, serial, issued_on in rows
    ]


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    issued = tally(
        q,
        sa.func.count(Certificate.id),
        day=Certificate.issued_on,
        path=Organization.path,
        select_from=sa.join(Certificate, User, User.id == Certificate.holder_id).join(
            Organization, Organization.id == User.organization_id
        ),
        where=[Certificate.status == CertificateStatus.valid],
    )
    return [
        figures.Figure(
            "cultivation",
            "certificates.issued",
            _("颁发证书"),
            issued.total,
            _("张"),
            url_for("certificates.index"),
            issued.by_month,
            issued.by_child,
            order=40,
        )
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
