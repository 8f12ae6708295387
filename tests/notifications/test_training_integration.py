"""End to end with the training package: its signals drive our reminders and certificates."""

from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import Role
from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services as notifications
from lms.notifications.models import Notification, Reminder, ReminderStatus
from lms.training import services as training
from tests.factories import EnterpriseFactory, TrainingClassFactory, UserFactory, WorkshopFactory


def test_a_class_session_reminds_the_roster_moves_with_it_and_cancelling_tells_them(app):
    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    worker = UserFactory(organization=WorkshopFactory(parent=enterprise), email="w@example.com")
    klass = TrainingClassFactory(organization=enterprise, title="焊接技能提升班")
    training.add_people(officer, klass, [worker])
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=3)
    [session] = training.schedule_sessions(
        officer, klass, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    rows = {r.kind: r for r in db.session.scalars(sa.select(Reminder)) if r.user_id == worker.id}
    assert rows["session_24h"].due_at == starts - timedelta(hours=24)
    assert rows["session_24h"].link and "焊接技能提升班" in rows["session_24h"].title

    later = starts + timedelta(days=1)
    training.update_session(officer, session, starts_at=later, ends_at=later + timedelta(hours=2))
    db.session.expire_all()
    assert db.session.get(Reminder, rows["session_24h"].id).due_at == later - timedelta(hours=24)

    training.cancel_session(officer, session, reason="讲师出差")
    notifications.dispatch_due()
    [note] = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == worker.id)
    ).all()
    assert "课次取消" in note.title and "讲师出差" in note.body
    assert db.session.get(Reminder, rows["session_1h"].id).status == ReminderStatus.withdrawn
