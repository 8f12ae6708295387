"""What other packages do when mentoring happens: certificates and notifications subscribe."""

from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import Role
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import LogKind
from tests.factories import MentorshipFactory, ProgrammeFactory, UserFactory, _local_today


def test_graduation_earns_the_apprentice_a_certificate_named_after_the_mentor(app):
    from lms.certificates.models import Certificate

    m = MentorshipFactory(
        programme=ProgrammeFactory(name="焊接传帮带"),
        planned_end=_local_today() - timedelta(days=1),
        start_date=_local_today() - timedelta(days=300),
    )
    officer = UserFactory(organization=m.apprentice.organization.parent, roles=[Role.officer])
    with app.test_request_context():
        services.record_assessment(m.mentor, m, "考核合格，准予出师。")
        services.approve_graduation(officer, m)
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.holder_id == m.apprentice_id))
    assert cert.subject_type == "mentorship" and cert.subject_id == m.id
    assert "焊接传帮带" in cert.title and m.mentor.name in cert.title


def test_a_new_log_reminds_the_apprentice_to_confirm_it(app):
    from lms.notifications.models import Reminder

    m = MentorshipFactory()
    with app.test_request_context():
        log = services.create_log(
            m.mentor,
            m,
            session_date=_local_today(),
            minutes=60,
            kind=LogKind.practice,
            topic="立焊",
        )
    reminder = db.session.scalar(sa.select(Reminder).where(Reminder.user_id == m.apprentice_id))
    assert reminder is not None
    assert reminder.link == f"/my-mentor#log-{log.id}"
