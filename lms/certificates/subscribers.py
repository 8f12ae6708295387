"""Certificates issued from other packages' signals (``lms.signals``), exactly once.

Each subscriber writes into the sender's transaction; the PDF is queued after commit. The
partial unique index on (holder, subject) makes a repeated signal a no-op.
"""

from __future__ import annotations

from lms import signals
from lms.certificates import services
from lms.certificates.models import CertificateKind


def on_course_completed(sender, *, user_id, course_id, **kw):
    services.issue_certificate(
        user_id, CertificateKind.course, "course", course_id, kw.get("title")
    )


def on_class_completed(sender, *, class_id, user_id, **kw):
    services.issue_certificate(
        user_id, CertificateKind.training_class, "class", class_id, kw.get("title")
    )


def on_mentorship_completed(sender, *, mentorship_id, apprentice_id, **kw):
    services.issue_certificate(
        apprentice_id, CertificateKind.mentorship, "mentorship", mentorship_id, kw.get("title")
    )


def register() -> None:
    from lms.notifications.services import text_locale

    def in_locale(receiver):
        def wrapped(sender, **kwargs):
            with text_locale():
                return receiver(sender, **kwargs)

        wrapped.__name__ = receiver.__name__
        return wrapped

    if getattr(register, "done", False):
        return
    register.done = True
    signals.course_completed.connect(in_locale(on_course_completed), weak=False)
    signals.class_completed.connect(in_locale(on_class_completed), weak=False)
    signals.mentorship_completed.connect(in_locale(on_mentorship_completed), weak=False)
