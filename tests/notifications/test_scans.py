"""Mentors are reminded once per quiet spell when an apprentice has no mentoring log.

The rule lives in mentorship, which announces ``mentorship_quiet``; notifications reminds."""

from datetime import timedelta

import sqlalchemy as sa

from lms.extensions import db
from lms.mentorship import services as mentorship
from lms.notifications import services
from lms.notifications.models import Notification, Reminder
from lms.timeutil import utcnow
from tests.factories import MentorLogFactory, MentorshipFactory


def _reminders_for(user_id):
    return db.session.scalars(sa.select(Reminder).where(Reminder.user_id == user_id)).all()


def test_a_quiet_pairing_reminds_the_mentor_once_and_a_recent_log_does_not(app):
    quiet = MentorshipFactory()  # started 30 days ago, no log
    busy = MentorshipFactory()
    MentorLogFactory(mentorship=busy)  # yesterday
    db.session.commit()
    mentorship.announce_quiet_pairings()
    mentorship.announce_quiet_pairings()  # an hour later: nothing new
    assert len(_reminders_for(quiet.mentor_id)) == 1
    assert _reminders_for(busy.mentor_id) == []
    services.dispatch_due(utcnow() + timedelta(minutes=1))
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == quiet.mentor_id))
    assert quiet.apprentice.name in note.title
    assert note.link == f"/mentorships/{quiet.id}"
