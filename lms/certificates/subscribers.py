"""Certificates issued from other packages' signals (``lms.signals``), exactly once.

Each subscriber writes into the sender's transaction; the PDF is queued after commit. The
partial unique index on (holder, subject) makes a repeated signal a no-op. What the
certificate says comes from the signal (``title``, ``organization_id``): certificates never
read the issuing domain's tables.
"""

from __future__ import annotations

from flask_babel import gettext as _

from lms import signals
from lms.accounts.labels import HONOR_KIND_LABELS
from lms.accounts.models import User
from lms.certificates import services
from lms.certificates.models import CertificateKind, CertificateStatus
from lms.db import utcnow
from lms.extensions import db
from lms.notifications.services import text_locale


def on_course_completed(sender, *, user_id, course_id, **kw):
    services.issue_certificate(
        user_id, CertificateKind.course, "course", course_id, kw.get("title")
    )


def on_class_completed(sender, *, class_id, user_id, **kw):
    title = kw.get("title")
    services.issue_certificate(
        user_id,
        CertificateKind.training_class,
        "class",
        class_id,
        _("培训班结业：%(title)s", title=title) if title else None,
        organization_id=kw.get("organization_id"),
    )


def on_mentorship_completed(sender, *, mentorship_id, apprentice_id, **kw):
    services.issue_certificate(
        apprentice_id, CertificateKind.mentorship, "mentorship", mentorship_id, kw.get("title")
    )


def on_competition_awarded(sender, *, contestant_id, user_id, contest_title, trade, title, **kw):
    """One certificate per contestant (the subject), issued by the organizing organization."""
    services.issue_certificate(
        user_id,
        CertificateKind.competition,
        "competition",
        contestant_id,
        _(
            "%(contest)s %(trade)s %(title)s",
            contest=contest_title,
            trade=trade,
            title=HONOR_KIND_LABELS.get(title, title),
        ),
        organization_id=kw.get("organization_id"),
    )


def on_honour_conferred(sender, *, honour_id, user_id, **kw):
    services.issue_certificate(
        user_id,
        CertificateKind.honour,
        "honour",
        honour_id,
        kw.get("title"),
        organization_id=kw.get("organization_id"),
    )


def on_honour_revoked(sender, *, honour_id, user_id, reason, **kw):
    cert = services.current_certificate(user_id, "honour", honour_id)
    if cert is None or cert.status != CertificateStatus.valid:
        return
    actor = db.session.get(User, kw["actor_id"]) if kw.get("actor_id") else None
    if actor is not None:
        services.revoke(actor, cert.id, reason)
    else:
        cert.status, cert.revoked_at, cert.revoke_reason = (
            CertificateStatus.revoked,
            utcnow(),
            reason,
        )
        db.session.flush()


#: Wrapped once, at import, so that connecting again (another app in the same process)
#: finds the same receivers.
RECEIVERS = [
    (signal, text_locale()(receiver))
    for signal, receiver in (
        (signals.course_completed, on_course_completed),
        (signals.class_completed, on_class_completed),
        (signals.mentorship_completed, on_mentorship_completed),
        (signals.competition_awarded, on_competition_awarded),
        (signals.honour_conferred, on_honour_conferred),
        (signals.honour_revoked, on_honour_revoked),
    )
]


def register() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, weak=False)
