"""Concurrency on PostgreSQL: simultaneous check-ins and registrations for the last seats."""

from __future__ import annotations

import threading
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import Role
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.training import services
from lms.training.models import (
    Attendance,
    ClassSession,
    RegistrationMode,
    RosterEntry,
    RosterStatus,
    TrainingClass,
)
from tests.factories import (
    ClassSessionFactory,
    EnterpriseFactory,
    RosterEntryFactory,
    TrainingClassFactory,
    UserFactory,
)


def _run_together(app, count, work):
    """Run ``work(i)`` in ``count`` threads that start at the same moment."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[i] = work(i)
            except DomainError as exc:
                outcomes[i] = exc
            except Exception as exc:  # an unexpected database error must fail the test
                outcomes[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def test_200_simultaneous_check_ins_by_one_worker_make_one_row(pg_app):
    worker = UserFactory()
    training_class = TrainingClassFactory(organization=worker.organization)
    start = utcnow().replace(microsecond=0) + timedelta(minutes=5)
    session = ClassSessionFactory(
        training_class=training_class, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    RosterEntryFactory(training_class=training_class, user=worker)
    db.session.commit()
    session_id, worker_id = session.id, worker.id
    token = services.checkin_token(session_id)

    def work(i):
        user = db.session.get(type(worker), worker_id)
        target = db.session.get(ClassSession, session_id)
        return services.check_in(user, target, token=token).id

    outcomes = _run_together(pg_app, 200, work)
    ok = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    others = [o for o in outcomes if not isinstance(o, (int, DomainError))]
    assert others == []
    assert len(ok) == 1 and len(refused) == 199
    assert all("签到" in r.message for r in refused)
    rows = db.session.scalar(
        sa.select(sa.func.count(Attendance.id)).where(Attendance.session_id == session_id)
    )
    assert rows == 1


def test_50_people_registering_for_5_seats_at_once(pg_app):
    org = EnterpriseFactory()
    training_class = TrainingClassFactory(
        organization=org,
        capacity=5,
        registration_mode=RegistrationMode.open,
        registration_deadline=utcnow() + timedelta(days=1),
    )
    people = [UserFactory(organization=org, roles=[Role.worker]) for _ in range(50)]
    db.session.commit()
    class_id = training_class.id
    ids = [p.id for p in people]

    def work(i):
        from lms.accounts.models import User

        user = db.session.get(User, ids[i])
        target = db.session.get(TrainingClass, class_id)
        return services.register_self(user, target).status

    outcomes = _run_together(pg_app, 50, work)
    assert [o for o in outcomes if not isinstance(o, RosterStatus)] == []
    entries = list(
        db.session.scalars(sa.select(RosterEntry).where(RosterEntry.class_id == class_id))
    )
    seated = [e for e in entries if e.status == RosterStatus.seated]
    waiting = sorted(
        (e for e in entries if e.status == RosterStatus.waitlisted),
        key=lambda e: e.waitlist_position,
    )
    assert len(entries) == 50 and len(seated) == 5 and len(waiting) == 45
    # The waitlist is in the order the registrations were served, positions 1..45.
    assert [e.waitlist_position for e in waiting] == list(range(1, 46))
    times = [e.waitlisted_at for e in waiting]
    assert times == sorted(times)
    assert max(e.seated_at for e in seated) <= min(times)

    # A seat frees: the first in line gets it.
    first = waiting[0].user_id
    services.withdraw(seated[0].user, db.session.get(TrainingClass, class_id), seated[0].user)
    promoted = db.session.scalar(
        sa.select(RosterEntry).where(RosterEntry.class_id == class_id, RosterEntry.user_id == first)
    )
    assert promoted.status == RosterStatus.seated


def test_end_of_session_task_is_idempotent_on_postgresql(pg_app):
    worker = UserFactory()
    training_class = TrainingClassFactory(organization=worker.organization)
    start = utcnow() - timedelta(hours=3)
    session = ClassSessionFactory(
        training_class=training_class, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    RosterEntryFactory(training_class=training_class, user=worker)
    db.session.commit()
    session_id = session.id
    outcomes = _run_together(pg_app, 4, lambda i: services.close_session(session_id))
    assert sorted(outcomes) == [0, 0, 0, 1]
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 1
