"""What each kind of subject is called on a certificate.

Certificates sit above the domains they certify, so they may read those domains' tables;
each resolver turns a subject id into a title and issuer.
"""

from __future__ import annotations

from flask_babel import gettext as _

from lms.certificates.services import SubjectInfo, register_subject
from lms.extensions import db


def _training_class(class_id: int) -> SubjectInfo | None:
    from lms.training.models import TrainingClass

    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        return None
    return SubjectInfo(
        title=_("培训班结业：%(title)s", title=training_class.title),
        organization_id=training_class.organization_id,
    )


def register() -> None:
    register_subject("class", _training_class)
