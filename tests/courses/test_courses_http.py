"""Course pages and API over HTTP: what workers, lecturers and officers see and are told."""

import io

import pytest

from courses import services
from courses.models import Course, CourseStatus, EnrollmentStatus, Lecture, LectureKind
from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import CourseFactory, EnrollmentFactory, LectureFactory, UserFactory

MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8  # 2,060 bytes that look like MP4


def _storage_files(app):
    from pathlib import Path

    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_worker_finds_a_course_by_chinese_search_and_filters(client, auth, world):
    CourseFactory(title="安全用电常识", summary="电工入门", trade="电工")
    auth.login(world.worker)
    page = client.get("/courses/?q=焊接").get_data(as_text=True)
    assert "压力容器焊接实战" in page and "安全用电常识" not in page
    page = client.get("/courses/?q=电工入门").get_data(as_text=True)
    assert "安全用电常识" in page
    page = client.get("/courses/?trade=电工").get_data(as_text=True)
    assert "安全用电常识" in page and "压力容器焊接实战" not in page
    page = client.get(f"/courses/?lecturer={world.mentor.id}").get_data(as_text=True)
    assert "压力容器焊接实战" in page and "安全用电常识" not in page
    page = client.get(f"/courses/?org={world.enterprise.id}&sort=popular").get_data(as_text=True)
    assert "压力容器焊接实战" in page and "安全用电常识" not in page
    data = client.get("/api/v1/courses?q=焊接").get_json()
    assert [c["title"] for c in data["items"]] == ["压力容器焊接实战"]
    assert data["items"][0]["lecturers"][0]["honors"]


def test_course_page_shows_syllabus_lecturer_honours_and_progress(client, auth, world):
    auth.login(world.worker)
    page = client.get(f"/courses/{world.course.id}").get_data(as_text=True)
    assert "焊接安全须知" in page and "安全小测验" in page
    assert f'href="/mentors/{world.mentor.id}"' in page and "劳动模范" in page
    assert "报名学习" in page
    response = client.post(f"/courses/{world.course.id}/enroll")
    assert response.status_code == 302
    page = client.get(f"/courses/{world.course.id}").get_data(as_text=True)
    assert "学习进度 0%" in page and "继续学习" in page
    again = client.post(f"/api/v1/courses/{world.course.id}/enrollment")
    assert again.status_code == 409 and "无需重复报名" in again.get_json()["message"]


def test_draft_course_url_is_not_found_for_a_worker(client, auth, world):
    world.course.status = CourseStatus.draft
    db.session.commit()
    auth.login(world.worker)
    response = client.get(f"/courses/{world.course.id}")
    assert response.status_code == 404 and "找不到" in response.get_data(as_text=True)
    assert client.get(f"/api/v1/courses/{world.course.id}").status_code == 404
    assert client.get(f"/courses/lectures/{world.text.id}").status_code == 404


def test_editing_someone_elses_course_is_forbidden(client, auth, world):
    stranger = UserFactory(roles=[Role.mentor])
    auth.login(stranger)
    response = client.post(f"/courses/{world.course.id}/edit", data={"title": "改掉"})
    assert response.status_code == 403
    assert "讲师" in response.get_data(as_text=True)
    api = client.patch(f"/api/v1/courses/{world.course.id}", json={"title": "改掉"})
    assert api.status_code == 403
    db.session.expire_all()
    assert db.session.get(Course, world.course.id).title == "压力容器焊接实战"


def test_text_lecture_is_rendered_from_markdown_without_scripts(client, auth, world):
    world.text.body = "## 焊前检查\n\n<script>alert(1)</script>[点我](javascript:alert(2)) **注意**"
    db.session.commit()
    services_enroll(world)
    auth.login(world.worker)
    page = client.get(f"/courses/lectures/{world.text.id}").get_data(as_text=True)
    assert "<h2>焊前检查</h2>" in page and "<strong>注意</strong>" in page
    assert "<script>alert" not in page and "javascript:alert" not in page


def services_enroll(world, user=None):
    return EnrollmentFactory(user=user or world.worker, course=world.course)


def test_quiz_page_never_sends_answers_and_grades_on_submission(client, auth, world):
    services_enroll(world)
    auth.login(world.worker)
    question = world.quiz.questions[0]
    right = next(o for o in question.options if o.correct)
    wrong = next(o for o in question.options if not o.correct)
    page = client.get(f"/courses/lectures/{world.quiz.id}").get_data(as_text=True)
    assert "10 米" in page and "correct" not in page and "正确答案" not in page
    api = client.get(f"/api/v1/lectures/{world.quiz.id}").get_json()
    assert api["questions"][0]["options"] and "correct" not in str(api)

    result = client.post(
        f"/courses/lectures/{world.quiz.id}/quiz", data={f"q{question.id}": wrong.id}
    )
    assert "未及格" in result.get_data(as_text=True) and "还可以再答 1 次" in result.get_data(
        as_text=True
    )
    ok = client.post(
        f"/api/v1/lectures/{world.quiz.id}/attempts",
        json={"answers": {str(question.id): [right.id]}},
    )
    assert ok.status_code == 201 and ok.get_json()["passed"] is True
    assert ok.get_json()["attempts_left"] == 0
    again = client.post(
        f"/api/v1/lectures/{world.quiz.id}/attempts",
        json={"answers": {str(question.id): [right.id]}},
    )
    assert again.status_code == 409 and "用完" in again.get_json()["message"]


def test_answer_for_another_quiz_is_422(client, auth, world):
    from tests.factories import QuizFactory

    services_enroll(world)
    other = QuizFactory(course=world.course, position=7)
    db.session.commit()
    auth.login(world.worker)
    foreign = other.questions[0]
    response = client.post(
        f"/api/v1/lectures/{world.quiz.id}/attempts",
        json={"answers": {str(foreign.id): [foreign.options[0].id]}},
    )
    assert response.status_code == 422
    assert "不属于本测验" in str(response.get_json()["errors"])


def _seated_before_a_video(world, duration_seconds: int | None):
    """The worker enrolled in the course, which gains a video lecture (of this length)."""
    video = LectureFactory(
        course=world.course,
        kind=LectureKind.video,
        video_url="https://media.example.org/a.mp4",
        duration_seconds=duration_seconds,
        position=3,
    )
    services_enroll(world)
    db.session.commit()
    return video


def test_progress_is_saved_through_the_api_and_resumed_on_the_page(client, auth, world):
    video = _seated_before_a_video(world, duration_seconds=600)
    auth.login(world.worker)
    response = client.put(f"/api/v1/lectures/{video.id}/progress", json={"position_seconds": 185})
    assert response.status_code == 200
    assert response.get_json() == {
        "lecture_id": video.id,
        "position_seconds": 185,
        "completed": False,
        "saved": True,
    }
    page = client.get(f"/courses/lectures/{video.id}").get_data(as_text=True)
    assert 'data-resume="185"' in page and "3 分 5 秒" in page
    bad = client.put(f"/api/v1/lectures/{video.id}/progress", json={"position_seconds": -5})
    assert bad.status_code == 422


def test_someone_not_enrolled_cannot_save_progress(client, auth, world):
    auth.login(world.worker)
    response = client.put(f"/api/v1/lectures/{world.text.id}/progress", json={"completed": True})
    assert response.status_code == 403 and "请先报名" in response.get_json()["message"]


def test_text_lecture_marked_read_and_course_completed_page(client, auth, world):
    world.quiz.required = False
    db.session.commit()
    services_enroll(world)
    auth.login(world.worker)
    response = client.post(f"/courses/lectures/{world.text.id}/done", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "恭喜！您已完成本课程。" in page and "已结业" in page
    mine = client.get("/courses/mine").get_data(as_text=True)
    assert "已结业" in mine


# --- authoring and uploads -----------------------------------------------------------------


def test_lecturer_authors_a_course_with_every_lecture_kind(client, auth, world, app):
    auth.login(world.mentor)
    response = client.post(
        "/courses/new",
        data={
            "title": "带电作业入门",
            "summary": "规程与实操",
            "visibility": "organizations",
            "hours": "2",
            "self_enroll": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    course = db.session.scalar(db.select(Course).where(Course.title == "带电作业入门"))
    assert course.status == CourseStatus.draft and course.lecturers == [world.mentor]
    assert course.organizations == [world.workshop]  # no choice: the owner's own subtree
    base = f"/courses/{course.id}/lectures/new"
    assert (
        client.post(
            f"{base}/text", data={"title": "规程", "body": "## 规程", "required": "y"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}/video",
            data={"title": "外链视频", "video_url": "https://v.example.org/x.mp4", "required": "y"},
        ).status_code
        == 302
    )
    up = client.post(
        f"{base}/video",
        data={"title": "上传视频", "required": "y", "file": (io.BytesIO(MP4), "demo.mp4")},
        content_type="multipart/form-data",
    )
    assert up.status_code == 302
    attach = client.post(
        f"{base}/file",
        data={"title": "工作票样例", "file": (io.BytesIO(b"%PDF-1.4 test"), "票.pdf")},
        content_type="multipart/form-data",
    )
    assert attach.status_code == 302
    live = client.post(
        f"{base}/live",
        data={
            "title": "云宣讲",
            "starts_at": "2030-05-01T19:30",
            "join_url": "https://live.example.org/r",
        },
    )
    assert live.status_code == 302
    quiz = client.post(
        f"{base}/quiz",
        data={"title": "测验", "pass_mark": "80", "max_attempts": "3", "required": "y"},
    )
    assert quiz.status_code == 302
    quiz_id = int(quiz.headers["Location"].split("/")[-2])
    added = client.post(
        f"/courses/lectures/{quiz_id}/questions",
        data={"text": "带电作业前必须办理什么？", "options": "*工作票\n请假条"},
    )
    assert added.status_code == 302
    kinds = [
        lec.kind
        for lec in db.session.scalars(
            db.select(Lecture).where(Lecture.course_id == course.id).order_by(Lecture.position)
        )
    ]
    assert kinds == [
        LectureKind.text,
        LectureKind.video,
        LectureKind.video,
        LectureKind.file,
        LectureKind.live,
        LectureKind.quiz,
    ]
    live_lecture = db.session.scalar(
        db.select(Lecture).where(Lecture.kind == LectureKind.live, Lecture.course_id == course.id)
    )
    assert live_lecture.starts_at.hour == 11  # 19:30 in Shanghai is 11:30 UTC
    # Reorder: move the quiz up one place.
    assert client.post(f"/courses/lectures/{quiz_id}/move", data={"dir": "up"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Lecture, quiz_id).position == 5
    # Preview as a learner: the page renders, nothing is recorded.
    preview = client.get(f"/courses/{course.id}?preview=1").get_data(as_text=True)
    assert "预览模式" in preview and "报名学习" not in preview
    assert client.get(f"/courses/lectures/{quiz_id}").status_code == 200
    assert len(_storage_files(app)) == 2


def test_oversized_upload_is_413_and_nothing_is_stored(client, auth, world, app):
    app.config["COURSE_FILE_MAX_BYTES"] = 1024
    auth.login(world.mentor)
    before = db.session.scalar(db.select(db.func.count(Lecture.id)))
    response = client.post(
        f"/courses/{world.course.id}/lectures/new/file",
        data={"title": "大文件", "file": (io.BytesIO(b"x" * 5000), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "1 KB 的上限" in response.get_data(as_text=True)
    assert _storage_files(app) == []
    assert db.session.scalar(db.select(db.func.count(Lecture.id))) == before


def test_oversized_upload_within_the_request_limit_is_also_refused(app, world):
    """A stream longer than the limit (no Content-Length) is cut off; no file is left."""
    from lms.core import storage

    with app.test_request_context(), pytest.raises(storage.TooLarge):
        storage.save(io.BytesIO(b"y" * 3000), max_bytes=1000)
    assert _storage_files(app) == []


def test_wrong_type_upload_is_422_and_nothing_is_stored(client, auth, world, app):
    auth.login(world.mentor)
    before = db.session.scalar(db.select(db.func.count(Lecture.id)))
    response = client.post(
        f"/courses/{world.course.id}/lectures/new/video",
        data={"title": "病毒", "file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "视频只支持 MP4、WEBM 格式" in response.get_data(as_text=True)
    fake = client.post(
        f"/courses/{world.course.id}/lectures/new/video",
        data={"title": "假视频", "file": (io.BytesIO(b"not a video at all"), "clip.mp4")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422 and "不是有效的 MP4 视频" in fake.get_data(as_text=True)
    assert _storage_files(app) == []
    assert db.session.scalar(db.select(db.func.count(Lecture.id))) == before


def test_uploaded_video_streams_with_ranges_and_past_the_end_is_416(client, auth, world, app):
    video = LectureFactory(course=world.course, kind=LectureKind.video, position=5)
    db.session.commit()
    with app.test_request_context():
        services.attach_file(world.mentor, video, io.BytesIO(MP4), "clip.mp4")
    services_enroll(world)
    db.session.commit()
    auth.login(world.worker)
    url = f"/courses/lectures/{video.id}/media"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.headers["Accept-Ranges"] == "bytes"
    assert whole.mimetype == "video/mp4"
    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(MP4)}"
    assert part.data == MP4[100:200]
    past = client.get(url, headers={"Range": f"bytes={len(MP4) + 10}-"})
    assert past.status_code == 416
    assert past.headers["Content-Range"] == f"bytes */{len(MP4)}"
    assert "超出了文件长度" in past.get_data(as_text=True)
    # Someone not enrolled gets no bytes; the storage layout never shows in a URL.
    auth.logout()
    auth.login(UserFactory())
    assert client.get(url).status_code == 403


def test_officer_publishes_assigns_an_organization_and_reads_the_report(client, auth, world):
    world.course.status = CourseStatus.draft
    db.session.commit()
    auth.login(world.officer)
    assert client.post(f"/courses/{world.course.id}/publish").status_code == 302
    response = client.post(
        f"/courses/{world.course.id}/assign",
        data={"organization_id": world.workshop.id, "employee_nos": "", "due_date": "2030-06-30"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "已安排 2 人" in page
    enrollment = services.enrollment_for(world.worker.id, world.course.id)
    assert enrollment.status == EnrollmentStatus.enrolled and enrollment.due_at.year == 2030
    report = client.get(f"/courses/{world.course.id}/report").get_data(as_text=True)
    assert "焊接车间" in report and "结业率" in report
    assert "学员名单" in report and world.worker.employee_no in report and "2030-06-30" in report
    xlsx = client.get(f"/courses/{world.course.id}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]] == ["单位", "报名人数", "已结业", "结业率"]
    assert sheet["A2"].value == "焊接车间" and sheet["B2"].value == 2
    api = client.get(f"/api/v1/courses/{world.course.id}/report").get_json()
    assert api["enrolled"] == 2


def test_worker_cannot_publish_or_read_reports(client, auth, world):
    auth.login(world.worker)
    assert client.post(f"/courses/{world.course.id}/archive").status_code == 403
    assert client.get(f"/courses/{world.course.id}/report").status_code == 403
    assert client.get("/courses/manage").status_code == 404


def test_home_cards_for_worker_mentor_and_officer(client, auth, world):
    services_enroll(world)
    db.session.commit()
    auth.login(world.worker)
    assert "继续学习" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(world.mentor)
    assert "我的课程" in client.get("/").get_data(as_text=True)
    auth.logout()
    CourseFactory(title="待审课", organization=world.enterprise, status=CourseStatus.draft)
    db.session.commit()
    auth.login(world.officer)
    page = client.get("/").get_data(as_text=True)
    assert "待发布的课程" in page and "待审课" in page


def test_the_same_operations_through_the_api(client, auth, world):
    auth.login(world.mentor)
    created = client.post(
        "/api/v1/courses",
        json={"title": "接口建课", "trade": "焊工", "skill_level": "junior", "capacity": 1},
    )
    assert created.status_code == 201, created.get_json()
    course_id = created.get_json()["id"]
    assert created.get_json()["status"] == "draft"
    lecture = client.post(
        f"/api/v1/courses/{course_id}/lectures",
        json={"kind": "text", "title": "第一讲", "body": "内容"},
    )
    assert lecture.status_code == 201
    bad = client.post(
        f"/api/v1/courses/{course_id}/lectures", json={"kind": "live", "title": "直播"}
    )
    assert bad.status_code == 422 and "starts_at" in bad.get_json()["errors"]
    assert client.post(f"/api/v1/courses/{course_id}/publish").status_code == 403
    auth.logout()
    auth.login(world.officer)
    course = db.session.get(Course, course_id)
    course.organization = world.enterprise
    db.session.commit()
    assert client.post(f"/api/v1/courses/{course_id}/publish").get_json()["status"] == "published"
    auth.logout()
    auth.login(world.worker)
    seat = client.post(f"/api/v1/courses/{course_id}/enrollment")
    assert seat.status_code == 201 and seat.get_json()["status"] == "enrolled"
    other = UserFactory(organization=world.workshop)
    db.session.commit()
    auth.logout()
    auth.login(other)
    wait = client.post(f"/api/v1/courses/{course_id}/enrollment")
    assert wait.get_json()["status"] == "waitlisted"
    mine = client.get("/api/v1/enrollments").get_json()
    assert [e["course_id"] for e in mine["items"]] == [course_id]


def test_lecturer_reorders_lectures_through_the_api(client, auth, world):
    auth.login(world.mentor)
    order = [world.quiz.id, world.text.id]
    response = client.put(
        f"/api/v1/courses/{world.course.id}/lectures", json={"lecture_ids": order}
    )
    assert response.status_code == 200
    assert [lec["id"] for lec in response.get_json()] == order
    partial = client.put(
        f"/api/v1/courses/{world.course.id}/lectures", json={"lecture_ids": [world.quiz.id]}
    )
    assert partial.status_code == 422


def test_leaving_through_the_api_seats_the_next_person(client, auth, world):
    world.course.capacity = 1
    db.session.commit()
    waiting = UserFactory(organization=world.workshop)
    db.session.commit()
    auth.login(world.worker)
    assert (
        client.post(f"/api/v1/courses/{world.course.id}/enrollment").get_json()["status"]
        == "enrolled"
    )
    auth.logout()
    auth.login(waiting)
    assert (
        client.post(f"/api/v1/courses/{world.course.id}/enrollment").get_json()["status"]
        == "waitlisted"
    )
    auth.logout()
    auth.login(world.worker)
    assert client.delete(f"/api/v1/courses/{world.course.id}/enrollment").status_code == 204
    assert services.enrollment_for(waiting.id, world.course.id).status == EnrollmentStatus.enrolled


def test_cover_image_is_uploaded_and_served_and_other_types_refused(client, auth, world, app):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    auth.login(world.mentor)
    response = client.post(
        f"/courses/{world.course.id}/edit",
        data={
            "title": "压力容器焊接实战",
            "visibility": "everyone",
            "cover": (io.BytesIO(png), "封面.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    served = client.get(f"/courses/{world.course.id}/cover")
    assert served.status_code == 200 and served.data == png
    refused = client.post(
        f"/courses/{world.course.id}/edit",
        data={
            "title": "压力容器焊接实战",
            "visibility": "everyone",
            "cover": (io.BytesIO(b"GIF89a"), "a.gif"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "封面只支持" in refused.get_data(as_text=True)
    assert len(_storage_files(app)) == 1


def test_assigning_unknown_employee_numbers_says_which(client, auth, world):
    auth.login(world.officer)
    response = client.post(
        f"/courses/{world.course.id}/assign",
        data={"organization_id": 0, "employee_nos": f"{world.worker.employee_no}，NOPE1"},
    )
    assert response.status_code == 422
    assert "找不到这些工号：NOPE1" in response.get_data(as_text=True)
    assert services.enrollment_for(world.worker.id, world.course.id) is None
    ok = client.post(
        f"/courses/{world.course.id}/assign",
        data={"organization_id": 0, "employee_nos": world.worker.employee_no},
    )
    assert ok.status_code == 302
    assert (
        services.enrollment_for(world.worker.id, world.course.id).assigned_by_id == world.officer.id
    )


def test_a_video_of_known_length_counts_only_when_watched_not_when_claimed(
    client, auth, world, clock
):
    video = _seated_before_a_video(world, duration_seconds=600)
    auth.login(world.worker)
    url = f"/api/v1/lectures/{video.id}/progress"
    client.put(url, json={"position_seconds": 0})
    claimed = client.put(url, json={"completed": True})
    assert claimed.status_code == 422
    assert "90%" in claimed.get_json()["errors"]["completed"][0]
    page = client.get(f"/courses/lectures/{video.id}").get_data(as_text=True)
    assert "我已学完" not in page and "看到 90% 自动记为学完" in page
    assert client.put(url, json={"position_seconds": 560}).get_json()["completed"] is False

    client.put(url, json={"position_seconds": 0})
    for position in range(30, 570, 30):
        clock.advance(30)
        watched = client.put(url, json={"position_seconds": position})
    assert watched.get_json()["completed"] is True


def test_a_video_the_player_cannot_measure_may_be_marked_done(client, auth, world):
    video = _seated_before_a_video(world, duration_seconds=None)
    auth.login(world.worker)
    response = client.post(f"/courses/lectures/{video.id}/done", follow_redirects=True)
    assert "已记为完成" in response.get_data(as_text=True)
