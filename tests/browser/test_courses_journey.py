"""A worker on a phone finds a course in Chinese, enrolls, studies, passes the quiz, completes."""

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    CourseFactory,
    HonorFactory,
    LectureFactory,
    QuizFactory,
    UserFactory,
)
from tests.plugins.browser import assert_accessible, browser_login


def test_worker_finds_enrolls_reads_passes_the_quiz_and_completes(live_server, phone):
    mentor = UserFactory(name="高铁军", roles=[Role.mentor, Role.worker])
    HonorFactory(user=mentor, title="全国劳动模范")
    course = CourseFactory(title="压力容器焊接实战", summary="焊接经验精讲", lecturers=[mentor])
    CourseFactory(title="安全用电常识", summary="电工入门")
    LectureFactory(
        course=course, title="焊接安全须知", position=1, body="## 焊前检查\n\n清理易燃物。"
    )
    QuizFactory(course=course, title="安全小测验", position=2)
    worker = UserFactory(name="王小虎")
    db.session.commit()

    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/courses/")
    phone.get_by_label("搜索课程").fill("焊接")
    phone.get_by_role("button", name="查找").click()
    assert phone.get_by_role("link", name="安全用电常识").count() == 0
    phone.get_by_role("link", name="压力容器焊接实战").click()
    assert phone.get_by_role("link", name="高铁军").is_visible()
    assert_accessible(phone)

    phone.get_by_role("button", name="报名学习").click()
    assert phone.get_by_text("报名成功").is_visible()
    phone.get_by_role("link", name="继续学习：焊接安全须知").click()
    assert phone.get_by_role("heading", name="焊前检查").is_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="我已学完，下一讲").click()

    assert phone.get_by_role("heading", name="安全小测验").is_visible()
    assert_accessible(phone)
    phone.get_by_label("10 米").check()
    phone.get_by_role("button", name="交卷").click()
    assert phone.get_by_text("恭喜，测验及格").is_visible()
    assert phone.get_by_text("恭喜！您已完成本课程。").is_visible()

    phone.goto(f"{live_server.url}/courses/mine")
    assert phone.get_by_text("已结业").first.is_visible()
    assert_accessible(phone)


def _silent_wav(seconds: int) -> bytes:
    import io
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(b"\x80" * 8000 * seconds)
    return buffer.getvalue()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def any_live_server(request):
    """On PostgreSQL the player's saves after the first go through the heartbeat lane."""
    return request.getfixturevalue("live_server" if request.param == "sqlite" else "pg_live_server")


def test_video_position_is_saved_and_resumed_on_another_device(any_live_server, phone, new_page):
    from courses.models import EnrollmentStatus, LectureKind
    from lms.core import storage
    from tests.factories import EnrollmentFactory

    course = CourseFactory(title="锉削姿势")
    # A media file the system Chromium can always decode (it has no proprietary codecs).
    lecture = LectureFactory(
        course=course,
        title="锉削示范",
        kind=LectureKind.video,
        file_key=storage.save(_silent_wav(60)),
        file_type="audio/wav",
        file_name="demo.wav",
    )
    worker = UserFactory()
    EnrollmentFactory(user=worker, course=course, status=EnrollmentStatus.enrolled)
    db.session.commit()

    live_server = any_live_server
    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/courses/lectures/{lecture.id}")
    phone.wait_for_function("document.getElementById('player').readyState >= 1")
    for position in (20, 35):  # the first save makes the row, the next moves it
        with phone.expect_response(
            lambda r: "/progress" in r.url and r.request.method == "PUT"
        ) as saved:
            phone.evaluate(f"document.getElementById('player').currentTime = {position}")
        assert saved.value.status == 200

    laptop = new_page(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    browser_login(laptop, live_server, worker.employee_no, DEFAULT_PASSWORD)
    laptop.goto(f"{live_server.url}/courses/lectures/{lecture.id}")
    assert laptop.get_by_text("将从上次看到的 0 分 35 秒继续播放").is_visible()
    # The seek waits for the media metadata, which a loaded machine can take a while to read.
    laptop.wait_for_function("document.getElementById('player').currentTime >= 34.5", timeout=45000)


def test_authoring_assigning_and_report_pages_are_accessible(live_server, new_page):
    from tests.factories import EnterpriseFactory, WorkshopFactory

    enterprise = EnterpriseFactory(name="江城重型机械厂")
    workshop = WorkshopFactory(parent=enterprise, name="焊接车间")
    mentor = UserFactory(roles=[Role.mentor, Role.worker], organization=workshop)
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    UserFactory(organization=workshop)
    course = CourseFactory(title="压力容器焊接实战", organization=enterprise, lecturers=[mentor])
    quiz = QuizFactory(course=course, title="安全小测验", position=1)
    db.session.commit()

    page = new_page()
    browser_login(page, live_server, mentor.employee_no, DEFAULT_PASSWORD)
    for path in (
        "/courses/manage",
        "/courses/new",
        f"/courses/{course.id}/edit",
        f"/courses/{course.id}/lectures/new/video",
        f"/courses/{course.id}/lectures/new/live",
        f"/courses/lectures/{quiz.id}/edit",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page)

    desk = new_page(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    browser_login(desk, live_server, officer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/courses/{course.id}/assign")
    assert_accessible(desk)
    desk.get_by_label("安排给单位（全体学员）").select_option(label="　　焊接车间")
    desk.get_by_role("button", name="安排").click()
    assert desk.get_by_text("已安排 2 人").is_visible()
    assert desk.get_by_role("heading", name="各单位结业率").is_visible()
    assert_accessible(desk)
