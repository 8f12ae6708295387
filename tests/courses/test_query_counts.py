"""The busy pages and the progress save run a fixed number of queries, however much data."""

import pytest

from courses.models import LectureKind
from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    HonorFactory,
    LectureFactory,
    UserFactory,
)


def _grow(worker, n: int):
    """n courses, each with two honoured lecturers and n lectures; the worker in all of them."""
    courses = []
    for i in range(n):
        lecturers = [UserFactory(roles=[Role.mentor]) for _ in range(2)]
        for lecturer in lecturers:
            HonorFactory(user=lecturer)
        course = CourseFactory(title=f"焊接课程{i}", lecturers=lecturers)
        for j in range(n):
            LectureFactory(
                course=course,
                position=j + 1,
                kind=LectureKind.video if j % 2 else LectureKind.text,
                video_url="https://v.example.org/x.mp4",
            )
        EnrollmentFactory(user=worker, course=course)
        courses.append(course)
    db.session.commit()
    return courses


def _count(client, query_counter, method, url, **kwargs):
    with query_counter() as statements:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(statements)


@pytest.mark.parametrize(
    "what",
    ["catalog", "search", "course", "my_learning", "lecture", "progress"],
)
def test_query_count_does_not_grow_with_data(app, client, auth, query_counter, what):
    # The catalog's cache would hide the work of building it: measure that work.
    app.config["COURSE_CATALOG_CACHE_SECONDS"] = 0
    worker = UserFactory()
    auth.login(worker)
    counts = []
    for size in (2, 8):
        courses = _grow(worker, size)
        course = courses[-1]
        video = next(lec for lec in course.lectures if lec.kind == LectureKind.video)
        method, url, kwargs = {
            "catalog": ("get", "/courses/", {}),
            "search": ("get", "/courses/?q=焊接&sort=popular", {}),
            "course": ("get", f"/courses/{course.id}", {}),
            "my_learning": ("get", "/courses/mine", {}),
            "lecture": ("get", f"/courses/lectures/{video.id}", {}),
            "progress": (
                "put",
                f"/api/v1/lectures/{video.id}/progress",
                {"json": {"position_seconds": 42}},
            ),
        }[what]
        _count(client, query_counter, method, url, **kwargs)  # warm: first save inserts a row
        counts.append(_count(client, query_counter, method, url, **kwargs))
    assert counts[0] == counts[1], f"{what}: {counts}"
    # Budgets include loading the signed-in person with their roles; HTML pages add 1 for
    # the unread-notifications badge in the header. The progress save: the person and their
    # roles, one read (lecture, seat and progress row) and one write.
    budget = {"catalog": 10, "search": 10, "course": 5, "my_learning": 6, "lecture": 6}
    assert counts[1] <= budget.get(what, 4), f"{what}: {counts}"


def test_assigning_a_whole_organization_takes_the_same_queries_for_5_or_50_people(
    app, query_counter
):
    from courses import services
    from tests.factories import EnterpriseFactory, WorkshopFactory

    counts = []
    for size in (5, 50):
        enterprise = EnterpriseFactory()
        workshop = WorkshopFactory(parent=enterprise)
        officer = UserFactory(roles=[Role.officer], organization=enterprise)
        for _ in range(size):
            UserFactory(organization=workshop)
        course = CourseFactory(organization=enterprise)
        db.session.commit()
        with app.test_request_context(), query_counter() as statements:
            result = services.assign(officer, course, organization_id=enterprise.id)
        assert result.added == size
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
