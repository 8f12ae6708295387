"""Pages a learner reopens come from the shared cache, and never show something out of date.

"My learning", the course page and the catalog are kept per session (lms/core/pagecache.py).
These tests open a page until it is kept, change something it shows in another way (the
learner's own action, another person, an officer, a notification) and open it again.
"""

from __future__ import annotations

import re

from courses import services
from courses.models import LectureKind
from lms.accounts.models import HonorKind, HonorLevel, Role
from lms.accounts.services import change_password
from lms.extensions import db
from lms.notifications import services as notifications
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseFactory,
    HonorFactory,
    LectureFactory,
    UserFactory,
)


def _kept(client, url: str) -> str:
    """Open ``url`` until the page is kept (the first visit may start the CSRF secret)."""
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
    return response.get_data(as_text=True)


def _main(page: str) -> str:
    """The page without the per-request CSRF tokens, to compare two copies."""
    return re.sub(r'(name="csrf[-_]token"[^>]*(value|content)=)"[^"]+"', r"\1", page)


def test_a_reopened_course_page_and_my_learning_run_no_query(client, auth, world, query_counter):
    auth.login(world.worker)
    client.post(f"/courses/{world.course.id}/enroll")
    for url in (f"/courses/{world.course.id}", "/courses/mine", "/courses/?q=焊接"):
        before = _kept(client, url)
        with query_counter() as statements:
            again = client.get(url)
        assert again.status_code == 200 and statements == []
        assert _main(again.get_data(as_text=True)) == _main(before)


def test_finishing_a_lecture_shows_at_once_on_the_course_page_and_my_learning(client, auth, world):
    auth.login(world.worker)
    client.post(f"/courses/{world.course.id}/enroll")
    assert "学习进度 0%" in _kept(client, f"/courses/{world.course.id}")
    assert "已完成 0%" in _kept(client, "/courses/mine")
    client.post(f"/courses/lectures/{world.text.id}/done")
    page = client.get(f"/courses/{world.course.id}").get_data(as_text=True)
    assert "学习进度 50%" in page and "已完成</span>" in page
    assert "已完成 50%" in client.get("/courses/mine").get_data(as_text=True)


def test_a_video_being_watched_is_marked_in_progress_on_the_syllabus(client, auth, world):
    video = LectureFactory(
        course=world.course,
        title="焊缝检测",
        position=3,
        kind=LectureKind.video,
        video_url="https://v.example.org/x.mp4",
        duration_seconds=600,
    )
    db.session.commit()
    auth.login(world.worker)
    client.post(f"/courses/{world.course.id}/enroll")
    assert "学习中" not in _kept(client, f"/courses/{world.course.id}")
    saved = client.put(f"/api/v1/lectures/{video.id}/progress", json={"position_seconds": 90})
    assert saved.status_code == 200
    assert "学习中" in client.get(f"/courses/{world.course.id}").get_data(as_text=True)


def test_another_session_is_signed_out_by_a_password_change_despite_a_kept_page(
    app, client, auth, world
):
    auth.login(world.worker)
    _kept(client, "/courses/mine")
    change_password(world.worker, DEFAULT_PASSWORD, "NewPassw0rd")
    response = client.get("/courses/mine")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_leaves_no_kept_page_behind(client, auth, world):
    auth.login(world.worker)
    _kept(client, "/courses/mine")
    auth.logout()
    response = client.get("/courses/mine")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_two_people_never_see_each_others_kept_page(app, client, auth, world):
    auth.login(world.worker)
    client.post(f"/courses/{world.course.id}/enroll")
    assert "压力容器焊接实战" in _kept(client, "/courses/mine")
    other = app.test_client()
    other.post("/login", data={"login": world.mentor.employee_no, "password": DEFAULT_PASSWORD})
    page = _kept(other, "/courses/mine")
    assert "压力容器焊接实战" not in page and "高铁军" in page


def test_a_new_notification_shows_in_the_header_of_a_kept_page(client, auth, world):
    auth.login(world.worker)
    assert 'class="badge"' not in _kept(client, "/courses/mine")
    notifications.notify([world.worker.id], "course", "新课程上线")
    db.session.commit()
    page = client.get("/courses/mine").get_data(as_text=True)
    assert "通知（1 条未读）" in page


def test_someone_else_taking_a_seat_changes_the_seats_left_shown(client, auth, world):
    course = CourseFactory(title="叉车安全操作", organization=world.enterprise, capacity=5)
    db.session.commit()
    auth.login(world.worker)
    assert "余 5" in _kept(client, f"/courses/{course.id}")
    services.self_enroll(UserFactory(organization=world.workshop), course)
    assert "余 4" in client.get(f"/courses/{course.id}").get_data(as_text=True)


def test_a_new_honour_of_the_lecturer_shows_on_kept_course_pages(client, auth, world):
    auth.login(world.worker)
    assert "省级" not in _kept(client, f"/courses/{world.course.id}")
    HonorFactory(user=world.mentor, kind=HonorKind.craftsman, level=HonorLevel.provincial)
    db.session.commit()
    assert "省级" in client.get(f"/courses/{world.course.id}").get_data(as_text=True)


def test_a_course_assigned_by_an_officer_appears_in_my_learning(client, auth, world):
    auth.login(world.worker)
    assert "压力容器焊接实战" not in _kept(client, "/courses/mine")
    services.assign(world.officer, world.course, organization_id=world.workshop.id)
    assert "压力容器焊接实战" in client.get("/courses/mine").get_data(as_text=True)


def test_the_message_after_enrolling_is_shown_not_a_kept_copy(client, auth, world):
    auth.login(world.worker)
    _kept(client, f"/courses/{world.course.id}")
    response = client.post(f"/courses/{world.course.id}/enroll", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "报名成功" in page and "学习进度 0%" in page


def test_a_role_given_by_an_officer_shows_its_menu_on_kept_pages(client, auth, world):
    from lms.accounts.models import UserRole

    auth.login(world.worker)
    assert "课程管理" not in _kept(client, "/courses/mine")
    db.session.add(UserRole(user_id=world.worker.id, role=Role.mentor))
    db.session.commit()
    assert "课程管理" in client.get("/courses/mine").get_data(as_text=True)
