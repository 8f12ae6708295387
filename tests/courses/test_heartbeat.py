"""The player's heartbeat: positions saved every few seconds, checked in the saving statement.

Each test runs on SQLite and on PostgreSQL, whose heartbeat is a different single statement.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from courses.models import LectureKind, LectureProgress
from lms.accounts.services import change_password, create_api_token, revoke_api_token
from lms.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseFactory,
    EnrollmentFactory,
    LectureFactory,
    UserFactory,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Site:
    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.learner = UserFactory(name="王小虎")
        course = CourseFactory(title="压力容器焊接实战")
        self.video = LectureFactory(
            course=course,
            kind=LectureKind.video,
            video_url="https://media.example.org/a.mp4",
            duration_seconds=600,
        )
        self.text = LectureFactory(course=course, kind=LectureKind.text)
        EnrollmentFactory(user=self.learner, course=course)
        self.outsider = UserFactory(name="李局外")
        db.session.commit()

    def sign_in(self, user, client=None):
        client = client or self.client
        response = client.post(
            "/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code in (302, 303)
        return client

    def save(self, lecture, position, client=None, **headers):
        lecture_id = getattr(lecture, "id", lecture)
        return (client or self.client).put(
            f"/api/v1/lectures/{lecture_id}/progress",
            json={"position_seconds": position},
            headers=headers,
        )

    def kept(self, lecture) -> tuple[int, bool] | None:
        db.session.expire_all()
        row = db.session.execute(
            sa.select(LectureProgress.position_seconds, LectureProgress.completed).where(
                LectureProgress.lecture_id == lecture.id
            )
        ).first()
        return tuple(row) if row else None


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def site(request):
    return Site(request.getfixturevalue("app" if request.param == "sqlite" else "pg_app"))


def test_the_player_resumes_where_the_last_heartbeat_left_it(site):
    site.sign_in(site.learner)
    assert site.save(site.video, 30).status_code == 200  # the first save makes the row
    answer = site.save(site.video, 185)
    assert answer.status_code == 200
    assert answer.get_json() == {
        "lecture_id": site.video.id,
        "position_seconds": 185,
        "completed": False,
        "saved": True,
    }
    assert site.kept(site.video) == (185, False)
    page = site.client.get(f"/courses/lectures/{site.video.id}").get_data(as_text=True)
    assert 'data-resume="185"' in page


def test_a_heartbeat_records_which_lecture_the_learner_was_last_on(site):
    from datetime import timedelta

    from courses.models import Enrollment
    from lms.db import utcnow

    site.sign_in(site.learner)
    site.save(site.video, 30)  # the first save makes the row
    enrollment = db.session.scalar(sa.select(Enrollment).filter_by(user_id=site.learner.id))
    long_ago = utcnow() - timedelta(hours=2)
    enrollment.last_lecture_id, enrollment.last_active_at = None, long_ago
    db.session.commit()
    assert site.save(site.video, 45).status_code == 200
    db.session.expire_all()
    assert enrollment.last_lecture_id == site.video.id and enrollment.last_active_at > long_ago


@pytest.mark.parametrize(
    ("position", "kept", "watched"),
    [(0, 0, False), (539, 539, False), (540, 540, True), (600, 600, True), (4000, 600, True)],
)
def test_a_position_is_kept_within_the_video_and_90_percent_counts_as_watched(
    site, position, kept, watched
):
    site.sign_in(site.learner)
    site.save(site.video, 10)
    answer = site.save(site.video, position).get_json()
    assert (answer["position_seconds"], answer["completed"]) == (kept, watched)
    assert site.kept(site.video) == (kept, watched)
    # Once watched, later positions move the bookmark and never undo the completion.
    again = site.save(site.video, 20).get_json()
    assert (again["position_seconds"], again["completed"]) == (20, watched)


def test_a_text_lecture_keeps_any_position_and_is_never_watched_by_scrolling(site):
    site.sign_in(site.learner)
    site.save(site.text, 5)
    answer = site.save(site.text, 900).get_json()
    assert (answer["position_seconds"], answer["completed"]) == (900, False)


def test_a_session_from_before_a_password_change_saves_nothing(site):
    old_device = site.sign_in(site.learner, site.app.test_client())
    site.save(site.video, 30, client=old_device)
    change_password(site.learner, DEFAULT_PASSWORD, "NewPassw0rd")
    answer = site.save(site.video, 300, client=old_device)
    assert answer.status_code == 401 and "登录" in answer.get_json()["message"]
    assert site.kept(site.video) == (30, False)


def test_a_revoked_token_and_a_deactivated_persons_token_save_nothing(site):
    token_row, secret = create_api_token(site.learner, "播放器")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert site.save(site.video, 30, **bearer).status_code == 200
    assert site.save(site.video, 40, **bearer).status_code == 200
    revoke_api_token(site.learner, token_row.id)
    assert site.save(site.video, 50, **bearer).status_code == 401

    _row, other = create_api_token(site.learner, "平板")
    site.learner.active = False
    db.session.commit()
    assert site.save(site.video, 60, Authorization=f"Bearer {other}").status_code == 401
    assert site.kept(site.video) == (40, False)


def test_someone_not_seated_in_the_course_saves_nothing(site):
    site.sign_in(site.learner)
    site.save(site.video, 30)
    stranger = site.sign_in(site.outsider, site.app.test_client())
    answer = site.save(site.video, 300, client=stranger)
    assert answer.status_code == 403 and "请先报名" in answer.get_json()["message"]
    assert site.save(site.video, 300, client=site.app.test_client()).status_code == 401
    assert site.kept(site.video) == (30, False)


def test_a_heartbeat_is_one_statement_on_postgresql(pg_app, query_counter):
    site = Site(pg_app)
    site.sign_in(site.learner)
    site.save(site.video, 10)
    site.save(site.video, 15)  # where the learner is was written a moment ago
    video_id = site.video.id
    with query_counter() as statements:
        assert site.save(video_id, 20).status_code == 200
    assert len(statements) == 1 and statements[0].startswith("UPDATE lecture_progress")
    assert site.kept(site.video) == (20, False)


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_cookie_heartbeat_without_the_csrf_header_is_refused(self, app):
        import re

        site = Site(app)
        page = site.client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        site.client.post(
            "/login",
            data={
                "login": site.learner.employee_no,
                "password": DEFAULT_PASSWORD,
                "csrf_token": token,
            },
        )
        assert site.save(site.video, 30, **{"X-CSRFToken": token}).status_code == 200
        assert site.save(site.video, 40, **{"X-CSRFToken": token}).status_code == 200
        assert site.save(site.video, 90).status_code == 400
        assert site.kept(site.video) == (40, False)
