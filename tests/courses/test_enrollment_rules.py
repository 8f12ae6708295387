"""Enrollment, visibility, capacity, waitlist, completion and permissions, as people meet them."""

import pytest

from courses import services
from courses.models import CourseStatus, EnrollmentStatus, LectureKind, Visibility
from lms.accounts.models import Role
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import course_assigned, course_completed, course_seat_granted
from tests.courses.conftest import captured
from tests.factories import CourseFactory, LectureFactory, UserFactory, WorkshopFactory


@pytest.fixture(autouse=True)
def _request(app):
    # Messages are translated for the person asking; rules run inside a request here.
    with app.test_request_context():
        yield


def test_worker_enrolls_once_and_a_second_try_is_refused(world):
    enrollment = services.self_enroll(world.worker, world.course)
    assert enrollment.status == EnrollmentStatus.enrolled
    with pytest.raises(Conflict, match="无需重复报名"):
        services.self_enroll(world.worker, world.course)
    db.session.refresh(world.course)
    assert world.course.seats_taken == 1


def test_full_course_puts_people_on_the_waitlist_and_a_freed_seat_promotes_the_first(world):
    world.course.capacity = 1
    db.session.commit()
    first, second, third = (UserFactory(organization=world.workshop) for _ in range(3))
    assert services.self_enroll(first, world.course).status == EnrollmentStatus.enrolled
    assert services.self_enroll(second, world.course).status == EnrollmentStatus.waitlisted
    assert services.self_enroll(third, world.course).status == EnrollmentStatus.waitlisted

    with captured(course_seat_granted) as granted:
        services.withdraw(first, services.enrollment_for(first.id, world.course.id))

    assert [(g["user_id"], g["course_id"]) for g in granted] == [(second.id, world.course.id)]
    assert granted[0]["title"] == "压力容器焊接实战"
    assert services.enrollment_for(second.id, world.course.id).status == EnrollmentStatus.enrolled
    assert services.enrollment_for(third.id, world.course.id).status == EnrollmentStatus.waitlisted
    db.session.refresh(world.course)
    assert (world.course.seats_taken, world.course.waitlisted) == (1, 1)


def test_raising_capacity_seats_people_waiting(world):
    world.course.capacity = 1
    db.session.commit()
    a, b = UserFactory(organization=world.workshop), UserFactory(organization=world.workshop)
    services.self_enroll(a, world.course)
    services.self_enroll(b, world.course)
    with captured(course_seat_granted) as granted:
        services.update_course(world.mentor, world.course, capacity=2)
    assert [g["user_id"] for g in granted] == [b.id]


def test_course_for_chosen_organizations_is_hidden_from_others(world):
    other_workshop = WorkshopFactory()
    outsider = UserFactory(organization=other_workshop)
    world.course.visibility = Visibility.organizations
    world.course.organizations = [world.enterprise]
    db.session.commit()
    # A worker in a workshop below the chosen enterprise sees it; an outsider does not.
    assert services.get_course(world.worker, world.course.id) is world.course
    with pytest.raises(NotFound):
        services.get_course(outsider, world.course.id)
    with pytest.raises(NotFound):
        services.self_enroll(outsider, world.course)
    titles = [c.title for c in db.session.scalars(services.catalog_query(outsider))]
    assert world.course.title not in titles


def test_draft_course_is_404_for_workers_but_open_to_its_lecturer(world):
    world.course.status = CourseStatus.draft
    db.session.commit()
    with pytest.raises(NotFound):
        services.get_course(world.worker, world.course.id)
    assert services.get_course(world.mentor, world.course.id) is world.course


def test_another_mentor_cannot_edit_the_course(world):
    stranger = UserFactory(roles=[Role.mentor])
    with pytest.raises(Forbidden):
        services.update_course(stranger, world.course, title="改掉")
    with pytest.raises(Forbidden):
        services.get_course(stranger, world.course.id, for_edit=True)
    assert world.course.title == "压力容器焊接实战"


def test_only_officers_in_scope_publish_and_archive(world):
    world.course.status = CourseStatus.draft
    db.session.commit()
    with pytest.raises(Forbidden):
        services.publish(world.mentor, world.course)
    other_officer = UserFactory(roles=[Role.officer])
    with pytest.raises(Forbidden):
        services.publish(other_officer, world.course)
    services.publish(world.officer, world.course)
    assert world.course.status == CourseStatus.published
    services.archive(world.officer, world.course)
    assert world.course.status == CourseStatus.archived
    titles = [c.title for c in db.session.scalars(services.catalog_query(world.worker))]
    assert world.course.title not in titles


def test_completing_every_required_lecture_completes_the_course_once(world):
    enrollment = services.self_enroll(world.worker, world.course)
    LectureFactory(course=world.course, position=3, required=False)  # optional: not needed
    db.session.commit()
    with captured(course_completed) as completed:
        services.save_progress(world.worker, world.text.id, completed=True)
        assert enrollment.progress_percent == 50
        question = world.quiz.questions[0]
        right = [o.id for o in question.options if o.correct]
        result = services.submit_quiz(world.worker, world.quiz.id, {question.id: right})
        assert result.attempt.passed and result.course_completed
        # Doing more afterwards completes nothing again.
        services.save_progress(world.worker, world.text.id, completed=True)
    assert len(completed) == 1
    assert completed[0]["user_id"] == world.worker.id
    assert completed[0]["completed_at"].tzinfo is not None
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.completed
    assert enrollment.progress_percent == 100


def test_failed_quiz_does_not_complete_and_attempts_run_out(world):
    services.self_enroll(world.worker, world.course)
    question = world.quiz.questions[0]
    wrong = [o.id for o in question.options if not o.correct]
    for _ in range(2):
        assert not services.submit_quiz(
            world.worker, world.quiz.id, {question.id: wrong}
        ).attempt.passed
    with pytest.raises(Conflict, match="已用完"):
        services.submit_quiz(world.worker, world.quiz.id, {question.id: wrong})


def test_quiz_answer_for_another_quiz_is_refused(world):
    services.self_enroll(world.worker, world.course)
    from tests.factories import QuizFactory

    other = QuizFactory(course=world.course, position=9)
    foreign = other.questions[0]
    with pytest.raises(Invalid) as err:
        services.submit_quiz(world.worker, world.quiz.id, {foreign.id: [foreign.options[0].id]})
    assert "不属于本测验" in str(err.value.errors)
    mine = world.quiz.questions[0]
    with pytest.raises(Invalid):
        services.submit_quiz(world.worker, world.quiz.id, {mine.id: [foreign.options[0].id]})


def test_quizzes_complete_only_by_passing(world):
    services.self_enroll(world.worker, world.course)
    with pytest.raises(Invalid):
        services.save_progress(world.worker, world.quiz.id, completed=True)


def test_video_counts_as_watched_once_ninety_percent_was_watched(world, clock):
    video = LectureFactory(
        course=world.course,
        kind=LectureKind.video,
        video_url="https://v.example/a.mp4",
        duration_seconds=100,
    )
    services.self_enroll(world.worker, world.course)
    row = services.save_progress(world.worker, video.id, position_seconds=95)
    assert (row.position_seconds, row.completed) == (95, False)  # a position is not watching
    services.save_progress(world.worker, video.id, position_seconds=0)
    for position in (30, 60, 89):
        clock.advance(30)
        row = services.save_progress(world.worker, video.id, position_seconds=position)
    assert not row.completed
    clock.advance(30)
    row = services.save_progress(world.worker, video.id, position_seconds=92)
    assert row.completed


def test_learning_requires_a_seat(world):
    with pytest.raises(Forbidden, match="请先报名"):
        services.open_lecture(world.worker, world.text.id)


def test_officer_assigns_a_course_to_an_organization_with_a_due_date(world):
    from datetime import timedelta

    from lms.db import utcnow

    second = UserFactory(organization=world.workshop)
    due = utcnow() + timedelta(days=7)
    with captured(course_assigned) as assigned:
        result = services.assign(
            world.officer, world.course, organization_id=world.enterprise.id, due_at=due
        )
    learners = {world.worker.id, second.id, world.mentor.id}
    assert set(result.user_ids) == learners
    assert {a["user_id"] for a in assigned} == learners
    enrollment = services.enrollment_for(second.id, world.course.id)
    assert enrollment.assigned_by_id == world.officer.id and enrollment.due_at == due
    # Assigned learners cannot drop the course themselves.
    with pytest.raises(Forbidden, match="培训专员安排"):
        services.withdraw(second, enrollment)


def test_officer_outside_the_scope_cannot_assign(world):
    outsider = UserFactory(roles=[Role.officer])
    with pytest.raises(Forbidden):
        services.assign(outsider, world.course, user_ids=[world.worker.id])


def test_report_counts_and_rates_by_organization(world):
    services.self_enroll(world.worker, world.course)
    other = UserFactory(organization=world.workshop)
    services.self_enroll(other, world.course)
    services.save_progress(world.worker, world.text.id, completed=True)
    q = world.quiz.questions[0]
    services.submit_quiz(
        world.worker, world.quiz.id, {q.id: [o.id for o in q.options if o.correct]}
    )
    report = services.course_report(world.officer, world.course)
    assert (report.enrolled, report.completed, report.in_progress) == (2, 1, 0)
    assert report.average_quiz_score == 100
    assert [(r.organization, r.enrolled, r.completed) for r in report.by_organization] == [
        ("焊接车间", 2, 1)
    ]
    with pytest.raises(Forbidden):
        services.course_report(world.worker, world.course)


def test_catalog_sorts_by_most_enrolled(world):
    popular = CourseFactory(title="热门课", seats_taken=30)
    CourseFactory(title="冷门课", seats_taken=1)
    stmt = services.catalog_query(world.worker, services.CatalogFilter(sort="popular"))
    assert db.session.scalars(stmt).first() is popular


def test_linked_training_class_must_be_passed_before_the_course_completes(world, app):
    from lms.signals import class_completed

    world.course.linked_class_id = 77
    world.quiz.required = False
    db.session.commit()
    enrollment = services.self_enroll(world.worker, world.course)
    with captured(course_completed) as completed:
        services.save_progress(world.worker, world.text.id, completed=True)
        assert enrollment.status == EnrollmentStatus.enrolled  # lectures done, class not yet
        class_completed.send(app, class_id=78, user_id=world.worker.id, rate=1.0)
        assert enrollment.status == EnrollmentStatus.enrolled  # another class
        class_completed.send(app, class_id=77, user_id=world.worker.id, rate=0.9)
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.completed
    assert len(completed) == 1


def test_removing_the_last_missing_lecture_completes_waiting_learners(world):
    enrollment = services.self_enroll(world.worker, world.course)
    services.save_progress(world.worker, world.text.id, completed=True)
    assert enrollment.progress_percent == 50
    with captured(course_completed) as completed:
        services.delete_lecture(world.mentor, world.quiz)
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.completed and len(completed) == 1


def test_live_lecture_is_announced_to_learners_and_listed_in_the_catalog(world):
    from datetime import timedelta

    from lms.db import utcnow
    from lms.signals import live_lecture_cancelled, live_lecture_scheduled

    services.self_enroll(world.worker, world.course)
    starts = utcnow() + timedelta(days=2)
    with captured(live_lecture_scheduled) as scheduled:
        live = services.add_lecture(
            world.mentor,
            world.course,
            "live",
            title="云宣讲：焊花人生",
            starts_at=starts,
            join_url="https://live.example.org/r",
        )
        services.update_lecture(world.mentor, live, starts_at=starts + timedelta(hours=1))
    assert [s["starts_at"] for s in scheduled] == [starts, starts + timedelta(hours=1)]
    assert scheduled[0]["user_ids"] == [world.worker.id]
    assert [lec.title for lec in services.upcoming_live(world.worker)] == ["云宣讲：焊花人生"]
    with captured(live_lecture_cancelled) as cancelled:
        services.delete_lecture(world.mentor, live)
    assert cancelled == [{"lecture_id": live.id}]


def test_archived_course_stays_open_to_its_learners(world):
    services.self_enroll(world.worker, world.course)
    services.archive(world.officer, world.course)
    assert services.get_course(world.worker, world.course.id) is world.course
    assert services.open_lecture(world.worker, world.text.id).enrollment is not None
    newcomer = UserFactory(organization=world.workshop)
    with pytest.raises(NotFound):
        services.get_course(newcomer, world.course.id)


def test_assigning_more_people_than_seats_waitlists_the_rest_in_order(world):
    world.course.capacity = 2
    db.session.commit()
    services.self_enroll(world.worker, world.course)
    a, b, c = (UserFactory(organization=world.workshop) for _ in range(3))
    result = services.assign(
        world.officer, world.course, user_ids=[world.worker.id, a.id, b.id, c.id]
    )
    assert (result.added, result.updated, result.waitlisted) == (3, 1, 2)
    statuses = [services.enrollment_for(u.id, world.course.id).status for u in (a, b, c)]
    assert statuses == [
        EnrollmentStatus.enrolled,
        EnrollmentStatus.waitlisted,
        EnrollmentStatus.waitlisted,
    ]
    db.session.refresh(world.course)
    assert (world.course.seats_taken, world.course.waitlisted) == (2, 2)
    with captured(course_seat_granted) as granted:
        services.withdraw(world.officer, services.enrollment_for(a.id, world.course.id))
    assert [g["user_id"] for g in granted] == [b.id]
