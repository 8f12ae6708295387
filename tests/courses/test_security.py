"""What a hostile learner, lecturer or outsider could do to courses, and cannot any more."""

from __future__ import annotations

import io
import re
import struct

import pytest
import sqlalchemy as sa

from courses import services
from courses.models import (
    Course,
    CourseStatus,
    Lecture,
    LectureKind,
    LectureProgress,
    Visibility,
)
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.errors import Invalid, NotFound
from lms.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseFactory,
    EnterpriseFactory,
    LectureFactory,
    OrganizationFactory,
    UserFactory,
)

URL_MESSAGE = "请填写以 http:// 或 https:// 开头的完整网址。"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: int, padding: int = 0) -> bytes:
    """A small MP4 whose header (mvhd) says how long it plays."""
    mvhd = _box(b"mvhd", b"\0\0\0\0" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80))
    return (
        _box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41")
        + _box(b"moov", mvhd)
        + _box(b"mdat", bytes(padding))
    )


# --- watched time: the length of an uploaded video is the server's -------------------------


def test_an_uploaded_videos_length_is_read_from_the_file_not_typed_in(client, auth, world):
    auth.login(world.mentor)
    response = client.post(
        f"/courses/{world.course.id}/lectures/new/video",
        data={
            "title": "上传视频",
            "duration_seconds": "10",
            "required": "y",
            "file": (io.BytesIO(mp4(600)), "demo.mp4"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    lecture = db.session.scalar(sa.select(Lecture).where(Lecture.title == "上传视频"))
    assert lecture.duration_seconds == 600
    services.update_lecture(world.mentor, lecture, duration_seconds=5)
    assert lecture.duration_seconds == 600


def test_downloading_an_attachment_does_not_mark_it_studied(client, auth, world, app):
    lecture = services.add_lecture(world.mentor, world.course, "file", title="工作票样例")
    services.attach_file(world.mentor, lecture, io.BytesIO(b"%PDF-1.4 test"), "票.pdf")
    services.self_enroll(world.worker, world.course)
    auth.login(world.worker)
    url = f"/courses/lectures/{lecture.id}/media?download=1"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(LectureProgress.id))) == 0
    page = client.get(f"/courses/lectures/{lecture.id}").get_data(as_text=True)
    assert "我已学完" in page  # studied is the learner's own POST


# --- uploads above the app's usual body limit ------------------------------------------------


class TestLargeUploads:
    @pytest.fixture
    def app_overrides(self):
        # The app's usual limit far below the video limit, as 64 MB is below 500 MB.
        return {
            "WTF_CSRF_ENABLED": True,
            "MAX_CONTENT_LENGTH": 8 * 1024,
            "COURSE_VIDEO_MAX_BYTES": 64 * 1024,
        }

    def _sign_in(self, client, user) -> str:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post(
            "/login",
            data={"login": user.employee_no, "password": DEFAULT_PASSWORD, "csrf_token": token},
        )
        return token

    def test_a_video_above_the_usual_limit_and_within_the_video_limit_is_taken(self, client, world):
        token = self._sign_in(client, world.mentor)
        response = client.post(
            f"/courses/{world.course.id}/lectures/new/video",
            data={
                "csrf_token": token,
                "title": "大视频",
                "required": "y",
                "file": (io.BytesIO(mp4(300, padding=40 * 1024)), "big.mp4"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        lecture = db.session.scalar(sa.select(Lecture).where(Lecture.title == "大视频"))
        assert lecture.file_size > 40 * 1024 and lecture.duration_seconds == 300

    def test_the_csrf_check_still_holds_on_upload_pages(self, client, world):
        self._sign_in(client, world.mentor)
        response = client.post(
            f"/courses/{world.course.id}/lectures/new/video",
            data={"title": "无令牌", "file": (io.BytesIO(mp4(30)), "a.mp4")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert db.session.scalar(sa.select(Lecture).where(Lecture.title == "无令牌")) is None

    def test_a_video_above_the_video_limit_is_refused_before_it_is_read(self, client, world):
        token = self._sign_in(client, world.mentor)
        response = client.post(
            f"/courses/{world.course.id}/lectures/new/video",
            data={
                "csrf_token": token,
                "title": "超大视频",
                "file": (io.BytesIO(mp4(30, padding=2 * 1024 * 1024)), "huge.mp4"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 413 and "64 KB 的上限" in response.get_data(as_text=True)


# --- web addresses ---------------------------------------------------------------------------


def test_a_javascript_address_is_refused_on_the_page_and_through_the_api(client, auth, world):
    auth.login(world.mentor)
    page = client.post(
        f"/courses/{world.course.id}/lectures/new/live",
        data={
            "title": "云宣讲",
            "starts_at": "2030-05-01T19:30",
            "join_url": "javascript:alert(document.cookie)",
        },
    )
    assert page.status_code == 422 and URL_MESSAGE in page.get_data(as_text=True)
    api = client.post(
        f"/api/v1/courses/{world.course.id}/lectures",
        json={"kind": "video", "title": "外链", "video_url": "javascript:alert(1)"},
    )
    assert api.status_code == 422
    assert api.get_json()["errors"]["video_url"] == [URL_MESSAGE]
    patch = client.patch(
        f"/api/v1/lectures/{world.text.id}", json={"video_url": "data:text/html,<script>"}
    )
    assert patch.status_code == 422
    assert (
        db.session.scalar(sa.select(sa.func.count(Lecture.id)).where(Lecture.title == "外链")) == 0
    )


def test_a_stored_javascript_address_is_never_written_as_a_link(client, auth, world):
    live = LectureFactory(
        course=world.course, kind=LectureKind.live, join_url="javascript:alert(1)", position=5
    )
    db.session.commit()
    auth.login(world.mentor)
    page = client.get(f"/courses/lectures/{live.id}").get_data(as_text=True)
    assert "javascript:" not in page


# --- what shared caches may keep --------------------------------------------------------------


def _with_cover(course: Course, mentor) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    services.set_cover(mentor, course, io.BytesIO(png), "cover.png", None)


def test_covers_of_drafts_and_restricted_courses_are_not_kept_by_shared_caches(client, auth, world):
    draft = CourseFactory(
        organization=world.enterprise, status=CourseStatus.draft, lecturers=[world.mentor]
    )
    restricted = CourseFactory(
        organization=world.enterprise,
        visibility=Visibility.organizations,
        organizations=[world.enterprise],
    )
    citywide = world.course
    for course in (draft, restricted, citywide):
        _with_cover(course, world.mentor if course is not restricted else world.officer)
    auth.login(world.officer)
    headers = {c: client.get(f"/courses/{c.id}/cover").headers for c in (draft, restricted)}
    headers[citywide] = client.get(f"/courses/{citywide.id}/cover").headers
    assert "no-store" in headers[draft]["Cache-Control"]
    assert "public" not in headers[draft]["Cache-Control"]
    assert "private" in headers[restricted]["Cache-Control"]
    assert "public" not in headers[restricted]["Cache-Control"]
    assert "public" in headers[citywide]["Cache-Control"]


def test_lecture_text_shows_images_only_from_the_sites_own_uploads(client, auth, world):
    world.text.body = (
        "![像素](https://tracker.example.com/p.gif?who=me)\n\n"
        "![封面](/courses/1/cover)\n\n"
        "![相对](//tracker.example.com/x.gif)"
    )
    services.self_enroll(world.worker, world.course)
    auth.login(world.worker)
    page = client.get(f"/courses/lectures/{world.text.id}").get_data(as_text=True)
    assert "tracker.example.com" not in page
    assert 'src="/courses/1/cover"' in page


# --- who sees a course ------------------------------------------------------------------------


@pytest.fixture
def city(app):
    federation = OrganizationFactory(name="市总工会")
    plant = EnterpriseFactory(parent=federation, name="江城机械厂")
    power = EnterpriseFactory(parent=federation, name="江城供电公司")

    class City:
        pass

    c = City()
    c.federation, c.plant, c.power = federation, plant, power
    c.plant_officer = UserFactory(organization=plant, roles=[Role.officer])
    c.city_officer = UserFactory(organization=federation, roles=[Role.officer])
    c.power_worker = UserFactory(organization=power)
    c.plant_worker = UserFactory(organization=plant)
    db.session.commit()
    return c


def _published(actor, **data):
    course = services.create_course(actor, title="厂内课程", **data)
    services.add_lecture(actor, course, "text", title="第一讲", body="正文")
    return services.publish(actor, course)


def test_a_course_is_seen_by_its_own_enterprise_only_by_default(city):
    course = _published(city.plant_officer)
    assert course.visibility == Visibility.organizations
    assert course.organizations == [city.plant]
    assert services.get_course(city.plant_worker, course.id) == course
    with pytest.raises(NotFound):
        services.get_course(city.power_worker, course.id)
    with pytest.raises(NotFound):
        services.self_enroll(city.power_worker, course)
    seen = db.session.scalars(services.catalog_query(city.power_worker)).all()
    assert course not in seen


def test_only_the_federation_opens_a_course_to_the_whole_city(city):
    with pytest.raises(Invalid) as refused:
        services.create_course(city.plant_officer, title="全市课程", visibility=Visibility.everyone)
    assert "市总工会" in refused.value.errors["visibility"][0]
    course = _published(city.plant_officer)
    with pytest.raises(Invalid):
        services.update_course(city.plant_officer, course, visibility=Visibility.everyone)
    db.session.rollback()

    citywide = _published(city.city_officer, visibility=Visibility.everyone)
    assert services.get_course(city.power_worker, citywide.id) == citywide
    assert services.self_enroll(city.power_worker, citywide).course_id == citywide.id


def test_assigning_someone_outside_the_officers_scope_is_not_found(client, auth, city):
    course = _published(city.plant_officer)
    auth.login(city.plant_officer)
    response = client.post(
        f"/api/v1/courses/{course.id}/assignments", json={"user_ids": [city.power_worker.id]}
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/courses/{course.id}/assignments", json={"organization_id": city.power.id}
    )
    assert response.status_code == 404


# --- exports ----------------------------------------------------------------------------------


def test_the_learner_list_export_is_audited(client, auth, world):
    services.self_enroll(world.worker, world.course)
    auth.login(world.officer)
    response = client.get(f"/courses/{world.course.id}/learners.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.actor_id == world.officer.id and entry.entity_id == world.course.id
    assert entry.organization_id == world.enterprise.id and entry.after == {"rows": 1}


def test_a_worker_cannot_export_the_learner_list(client, auth, world):
    auth.login(world.worker)
    assert client.get(f"/courses/{world.course.id}/learners.xlsx").status_code == 403


def test_the_city_wide_choice_is_offered_only_to_the_federation(client, auth, city):
    auth.login(city.plant_officer)
    assert "全市所有人" not in client.get("/courses/new").get_data(as_text=True)
    auth.logout()
    auth.login(city.city_officer)
    assert "全市所有人" in client.get("/courses/new").get_data(as_text=True)
