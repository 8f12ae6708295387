"""The demo goes through the services, so its side effects exist as they would."""

import sqlalchemy as sa

from lms.certificates.models import Certificate, CertificateKind
from lms.core.demo import load_all
from lms.extensions import db
from lms.mentorship.models import Mentorship, MentorshipStatus


def test_the_demos_graduated_pair_has_its_certificate(app):
    data = load_all()
    apprentice = data.people["worker5"]
    graduated = db.session.scalar(
        sa.select(Mentorship).where(
            Mentorship.apprentice_id == apprentice.id,
            Mentorship.status == MentorshipStatus.completed,
        )
    )
    assert graduated is not None and graduated.graduation_approved_at is not None
    certificate = db.session.scalar(
        sa.select(Certificate).where(
            Certificate.holder_id == apprentice.id,
            Certificate.kind == CertificateKind.mentorship,
            Certificate.subject_id == graduated.id,
        )
    )
    assert certificate is not None and certificate.kind == CertificateKind.mentorship
