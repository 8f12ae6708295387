"""The player's saves: the bookmark, and watched time counted on the server.

A save may add to the watched total at most the wall time since the previous save at the
player's fastest speed (2×) plus a little slack; a video completes when that total reaches
90% of its length — never because a position says so. Each test runs on SQLite and on
PostgreSQL: one rule, written once, on both.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courses.models import Enrollment, LectureKind, LectureProgress
from lms.accounts.services import change_password, create_api_token, revoke_api_token
from lms.db import utcnow
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
        self.unmeasured = LectureFactory(
            course=course, kind=LectureKind.video, video_url="https://media.example.org/b.mp4"
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

    def save(self, lecture, position, client=None, body=None, **headers):
        lecture_id = getattr(lecture, "id", lecture)
        return (client or self.client).put(
            f"/api/v1/lectures/{lecture_id}/progress",
            json=body if body is not None else {"position_seconds": position},
            headers=headers,
        )

    def play(self, clock, lecture, start, stop, step=10, rate=1.0):
        """Watch from ``start`` to ``stop`` as the player would: a save every ``step``
        seconds of wall time, the video moving ``step × rate`` seconds in between."""
        answer = self.save(lecture, start)
        position = start
        while position < stop:
            clock.advance(step)
            position = min(stop, position + int(step * rate))
            answer = self.save(lecture, position)
            assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

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


def test_the_player_resumes_where_the_last_save_left_it(site, clock):
    site.sign_in(site.learner)
    assert site.save(site.video, 30).status_code == 200
    clock.advance(10)
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


def test_a_save_records_which_lecture_the_learner_was_last_on(site):
    site.sign_in(site.learner)
    site.save(site.video, 30)
    enrollment = db.session.scalar(sa.select(Enrollment).filter_by(user_id=site.learner.id))
    long_ago = utcnow() - timedelta(hours=2)
    enrollment.last_lecture_id, enrollment.last_active_at = None, long_ago
    db.session.commit()
    assert site.save(site.video, 45).status_code == 200
    db.session.expire_all()
    assert enrollment.last_lecture_id == site.video.id and enrollment.last_active_at > long_ago


def test_one_save_at_ninety_percent_does_not_complete_the_video(site, clock):
    site.sign_in(site.learner)
    first = site.save(site.video, 540).get_json()
    clock.advance(10)
    again = site.save(site.video, 599).get_json()
    assert (first["completed"], again["completed"]) == (False, False)
    assert site.kept(site.video) == (599, False)
    claimed = site.save(site.video, None, body={"completed": True})
    assert claimed.status_code == 422 and "90%" in claimed.get_json()["errors"]["completed"][0]


def test_watching_in_real_time_completes_the_video_at_ninety_percent(site, clock):
    site.sign_in(site.learner)
    assert site.play(clock, site.video, 0, 530)["completed"] is False
    assert site.play(clock, site.video, 530, 545)["completed"] is True
    assert site.kept(site.video) == (545, True)
    # Once watched, later positions move the bookmark and never undo the completion.
    clock.advance(10)
    assert site.save(site.video, 20).get_json() == {
        "lecture_id": site.video.id,
        "position_seconds": 20,
        "completed": True,
        "saved": True,
    }


def test_double_speed_counts_and_faster_jumps_do_not(site, clock):
    site.sign_in(site.learner)
    assert site.play(clock, site.video, 0, 540, rate=2.0)["completed"] is True
    # Skipping ahead 60 s every 10 s is credited 25 s a save at most: not watched yet.
    other = LectureFactory(
        course=site.video.course, kind=LectureKind.video, duration_seconds=600, position=9
    )
    db.session.commit()
    assert site.play(clock, other, 0, 600, rate=6.0)["completed"] is False


def test_saving_very_often_gains_nothing(site, clock):
    site.sign_in(site.learner)
    site.save(site.video, 0)
    for position in range(20, 600, 20):  # 29 saves, 0.1 s apart
        clock.advance(0.1)
        site.save(site.video, position)
    assert site.kept(site.video) == (580, False)


def test_the_browsers_length_is_not_trusted_when_the_server_knows_it(site, clock):
    site.sign_in(site.learner)
    site.save(site.video, 0, body={"position_seconds": 0, "duration_seconds": 20})
    clock.advance(20)
    answer = site.save(site.video, 20, body={"position_seconds": 20, "duration_seconds": 20})
    assert answer.get_json()["completed"] is False


def test_a_video_the_server_cannot_measure_still_needs_the_time_watched(site, clock):
    site.sign_in(site.learner)

    def save(position):
        return site.save(
            site.unmeasured, None, body={"position_seconds": position, "duration_seconds": 100}
        ).get_json()

    assert save(95)["completed"] is False  # one jump to the end
    save(0)
    for position in range(10, 100, 10):
        clock.advance(10)
        answer = save(position)
    assert answer["completed"] is True


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


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def _signed_in(self, app) -> tuple[Site, str]:
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
        return site, token

    def test_a_cookie_save_without_the_csrf_header_is_refused(self, app):
        site, token = self._signed_in(app)
        assert site.save(site.video, 30, **{"X-CSRFToken": token}).status_code == 200
        assert site.save(site.video, 40, **{"X-CSRFToken": token}).status_code == 200
        assert site.save(site.video, 90).status_code == 400
        assert site.kept(site.video) == (40, False)

    def test_the_beacon_carries_its_csrf_token_in_the_form(self, app):
        site, token = self._signed_in(app)
        url = f"/courses/lectures/{site.video.id}/position"
        beacon = site.client.post(url, data={"csrf_token": token, "position_seconds": "75"})
        assert beacon.status_code == 204
        assert site.kept(site.video) == (75, False)
        assert site.client.post(url, data={"position_seconds": "80"}).status_code == 400
        assert site.kept(site.video) == (75, False)
