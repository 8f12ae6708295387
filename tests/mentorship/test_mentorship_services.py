"""Mentorship on PostgreSQL: simultaneous pairings and confirmations, each in its own session."""

import threading
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.errors import Conflict
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import MentorLog, Mentorship, MentorshipStatus
from tests.factories import (
    MentorFactory,
    MentorLogFactory,
    MentorshipFactory,
    UserFactory,
    WorkshopFactory,
    _local_today,
)


def run_together(app, jobs):
    """Run each job(…) in its own thread, app context and database session, all at once."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(index, job):
        with app.app_context(), app.test_request_context():
            try:
                barrier.wait(timeout=10)
                results[index] = ("ok", job())
            except Conflict as exc:
                db.session.rollback()
                results[index] = ("conflict", exc.message)
            except Exception as exc:  # reported to the test, which fails on it
                db.session.rollback()
                results[index] = ("error", repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def pairing_job(officer_id, mentor_id, apprentice_id):
    def job():
        get = db.session.get
        today = _local_today()
        return services.create_pairing(
            get(User, officer_id),
            mentor=get(User, mentor_id),
            apprentice=get(User, apprentice_id),
            start_date=today,
            planned_end=today + timedelta(days=365),
        ).id

    return job


def test_two_officers_pairing_the_same_apprentice_at_once_make_one_pairing(pg_app):
    workshop = WorkshopFactory()
    officers = [UserFactory(organization=workshop.parent, roles=[Role.officer]) for _ in range(2)]
    mentors = [MentorFactory(organization=workshop) for _ in range(2)]
    apprentice = UserFactory(organization=workshop)
    db.session.commit()
    results = run_together(
        pg_app,
        [pairing_job(o.id, m.id, apprentice.id) for o, m in zip(officers, mentors, strict=True)],
    )
    assert sorted(kind for kind, _ in results) == ["conflict", "ok"], results
    assert any("不能重复结对" in str(value) for kind, value in results if kind == "conflict")
    count = db.session.scalar(
        sa.select(sa.func.count(Mentorship.id)).where(Mentorship.apprentice_id == apprentice.id)
    )
    assert count == 1


def test_a_mentors_capacity_holds_when_many_pairings_arrive_at_once(pg_app):
    workshop = WorkshopFactory()
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer])
    mentor = MentorFactory(organization=workshop)
    apprentices = [UserFactory(organization=workshop) for _ in range(6)]
    db.session.commit()  # no capacity row yet: it is created under the race too (default 3)
    results = run_together(pg_app, [pairing_job(officer.id, mentor.id, a.id) for a in apprentices])
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["conflict"] * 3 + ["ok"] * 3, results
    open_count = db.session.scalar(
        sa.select(sa.func.count(Mentorship.id)).where(
            Mentorship.mentor_id == mentor.id, Mentorship.status == MentorshipStatus.proposed
        )
    )
    assert open_count == 3


def test_confirming_a_log_twice_at_once_counts_its_minutes_once(pg_app):
    m = MentorshipFactory()
    log = MentorLogFactory(mentorship=m, minutes=75)
    db.session.commit()
    apprentice_id, log_id = m.apprentice_id, log.id

    def confirm():
        entry = db.session.get(MentorLog, log_id)
        return services.confirm_log(db.session.get(User, apprentice_id), entry).id

    results = run_together(pg_app, [confirm, confirm])
    assert sorted(kind for kind, _ in results) == ["conflict", "ok"], results
    db.session.expire_all()
    assert db.session.get(Mentorship, m.id).confirmed_minutes == 75


@contextmanager
def query_counter():
    """Statements run on the PostgreSQL engine (the fast tier's fixture is bound to SQLite)."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


def test_pages_and_log_save_use_the_same_few_queries_on_postgresql(pg_app):
    from tests.factories import DEFAULT_PASSWORD

    workshop = WorkshopFactory()
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer])
    mentor = MentorFactory(organization=workshop)
    first = MentorshipFactory(mentor=mentor, apprentice=UserFactory(organization=workshop))
    db.session.commit()
    client = pg_app.test_client()

    def counts():
        found = {}
        for who, path in ((mentor, "/mentoring"), (officer, "/mentorships")):
            client.post("/login", data={"login": who.employee_no, "password": DEFAULT_PASSWORD})
            with query_counter() as counted:
                assert client.get(path).status_code == 200
            found[path] = len(counted)
            client.post("/logout")
        client.post("/login", data={"login": mentor.employee_no, "password": DEFAULT_PASSWORD})
        payload = {
            "session_date": _local_today().isoformat(),
            "minutes": 30,
            "kind": "practice",
            "topic": "练习",
        }
        with query_counter() as counted:
            response = client.post(f"/api/v1/mentorships/{first.id}/logs", json=payload)
            assert response.status_code == 201, response.get_json()
        found["log save"] = len(counted)
        client.post("/logout")
        return found

    counts()  # warm: the header's unread badge is cached after the first page
    small = counts()
    for _ in range(4):
        m = MentorshipFactory(mentor=mentor, apprentice=UserFactory(organization=workshop))
        for days in range(5):
            MentorLogFactory(mentorship=m, session_date=_local_today() - timedelta(days=days))
    db.session.commit()
    assert counts() == small
    assert small["/mentoring"] <= 8 and small["/mentorships"] <= 10 and small["log save"] <= 10
