"""Races on PostgreSQL: the last seat, the last quiz attempt, the database's own guard."""

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from courses import services
from courses.models import Course, EnrollmentStatus, Lecture
from lms.accounts.models import User
from lms.errors import Conflict
from lms.extensions import db
from tests.factories import CourseFactory, QuizFactory, UserFactory


def _race(app, n: int, action):
    """Run ``action(i)`` in n threads, each with its own app context and session, at once."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        with app.app_context(), app.test_request_context():
            barrier.wait()
            try:
                results[i] = action(i)
            except Exception as exc:  # collected and asserted by the test
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_many_people_enrolling_for_the_last_seat_at_once_seat_exactly_one(pg_app):
    course = CourseFactory(capacity=3, seats_taken=2)
    people = [UserFactory() for _ in range(6)]
    db.session.commit()
    course_id, user_ids = course.id, [p.id for p in people]

    def enroll(i):
        user = db.session.get(User, user_ids[i])
        return services.self_enroll(user, db.session.get(Course, course_id)).status

    statuses = _race(pg_app, len(people), enroll)
    assert sorted(map(str, statuses)) == sorted(
        ["enrolled"] + ["waitlisted"] * (len(people) - 1)
    ), statuses
    db.session.expire_all()
    course = db.session.get(Course, course_id)
    assert (course.seats_taken, course.waitlisted) == (3, 5)


def test_the_same_person_enrolling_twice_at_once_gets_one_enrollment(pg_app):
    course = CourseFactory()
    person = UserFactory()
    db.session.commit()
    course_id, user_id = course.id, person.id

    def enroll(_i):
        return services.self_enroll(
            db.session.get(User, user_id), db.session.get(Course, course_id)
        ).status

    results = _race(pg_app, 2, enroll)
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert sum(r == EnrollmentStatus.enrolled for r in results) == 1
    db.session.expire_all()
    assert db.session.get(Course, course_id).seats_taken == 1


def test_two_submissions_racing_for_the_last_attempt_count_once(pg_app):
    quiz = QuizFactory(max_attempts=1)
    person = UserFactory()
    db.session.commit()
    with pg_app.test_request_context():
        services.self_enroll(person, quiz.course)
    question = quiz.questions[0]
    answer = {question.id: [question.options[0].id]}
    quiz_id, user_id = quiz.id, person.id

    def submit(_i):
        return services.submit_quiz(db.session.get(User, user_id), quiz_id, answer).attempt.number

    results = _race(pg_app, 2, submit)
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    with pg_app.test_request_context(), pytest.raises(Conflict):
        services.submit_quiz(db.session.get(User, user_id), quiz_id, answer)
    assert db.session.get(Lecture, quiz_id) is not None


def test_the_database_refuses_more_seats_than_capacity(pg_app):
    course = CourseFactory(capacity=1, seats_taken=1)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Course).where(Course.id == course.id).values(seats_taken=2))
        db.session.flush()
    db.session.rollback()
