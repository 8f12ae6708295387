"""A certificate names what it certifies, read from the domain that issued it."""

import sqlalchemy as sa

from lms.certificates.models import Certificate
from lms.extensions import db
from lms.signals import class_completed
from tests.factories import TrainingClassFactory, UserFactory


def test_a_class_certificate_carries_the_class_title(app):
    training_class = TrainingClassFactory(title="焊工技能提升班")
    worker = UserFactory()
    db.session.commit()
    class_completed.send(app, class_id=training_class.id, user_id=worker.id, rate=0.95)
    db.session.commit()
    certificate = db.session.scalar(
        sa.select(Certificate).where(Certificate.holder_id == worker.id)
    )
    assert "焊工技能提升班" in certificate.title
