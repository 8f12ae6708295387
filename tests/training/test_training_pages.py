"""The officer's and worker's pages, through the real forms."""

from datetime import timedelta

import sqlalchemy as sa

from lms.extensions import db
from lms.timeutil import to_local
from lms.training.models import RosterEntry, SessionStatus, TrainingClass


def test_officer_creates_a_class_then_edits_it(world, client, auth):
    auth.login(world.officer)
    assert "新建培训班" in client.get("/training/classes/new").get_data(as_text=True)
    response = client.post(
        "/training/classes/new",
        data={
            "title": "钳工技能提升班",
            "organization_id": world.workshop.id,
            "instructor_ids": [world.mentor.id],
            "capacity": "20",
            "registration_mode": "assigned",
            "late_threshold_minutes": "10",
            "checkin_window_minutes": "30",
            "completion_percent": "80",
            "low_attendance_percent": "80",
            "low_attendance_min_sessions": "3",
        },
    )
    assert response.status_code == 302 and "/sessions/new" in response.headers["Location"]
    training_class = db.session.scalar(
        sa.select(TrainingClass).where(TrainingClass.title == "钳工技能提升班")
    )
    assert training_class.organization_id == world.workshop.id and training_class.capacity == 20
    assert [i.id for i in training_class.instructors] == [world.mentor.id]
    page = client.get(f"/training/classes/{training_class.id}/edit").get_data(as_text=True)
    assert "钳工技能提升班" in page
    response = client.post(
        f"/training/classes/{training_class.id}/edit",
        data={
            "title": "钳工技能提升班（二期）",
            "instructor_ids": [world.mentor.id],
            "registration_mode": "open",
            "late_threshold_minutes": "10",
            "checkin_window_minutes": "30",
            "completion_percent": "90",
            "low_attendance_percent": "80",
            "low_attendance_min_sessions": "3",
        },
    )
    assert "需要设置报名截止时间" in response.get_data(as_text=True)


def test_officer_adds_people_one_by_one_and_by_workshop(world, client, auth):
    auth.login(world.officer)
    url = f"/training/classes/{world.training_class.id}/roster"
    page = client.post(
        url + "/add", data={"p-login": world.workers[0].employee_no}, follow_redirects=True
    ).get_data(as_text=True)
    assert "新增在册 1 人" in page and world.workers[0].name in page
    page = client.post(url + "/add", data={"p-login": "NOBODY"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "找不到工号或手机号为“NOBODY”的学员" in page
    page = client.post(
        url + "/filter", data={"f-organization_id": world.workshop.id}, follow_redirects=True
    ).get_data(as_text=True)
    assert "新增在册 4 人" in page and "已在名单中 1 人" in page
    page = client.post(url + f"/{world.workers[1].id}/remove", follow_redirects=True).get_data(
        as_text=True
    )
    assert f"已将 {world.workers[1].name} 移出名单" in page
    assert (
        db.session.scalar(
            sa.select(RosterEntry.status).where(RosterEntry.user_id == world.workers[1].id)
        ).value
        == "withdrawn"
    )


def test_officer_moves_and_cancels_a_session_in_the_form(world, client, auth):
    session = world.session(start_in=timedelta(days=2))
    auth.login(world.officer)
    url = f"/training/sessions/{session.id}/edit"
    assert "改期或取消" in client.get(url).get_data(as_text=True)
    start = to_local(session.starts_at) + timedelta(hours=1)
    response = client.post(
        url,
        data={
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "room": "新教室",
            "instructor_id": "0",
            "apply_to": "one",
        },
        follow_redirects=True,
    )
    assert "已修改 1 个课次" in response.get_data(as_text=True)
    assert session.room == "新教室" and session.sequence == 1
    response = client.post(
        f"/training/sessions/{session.id}/cancel",
        data={"cancel-reason": "设备检修", "cancel-apply_to": "one"},
        follow_redirects=True,
    )
    assert "已取消 1 个课次" in response.get_data(as_text=True)
    assert session.status == SessionStatus.cancelled


def test_officer_report_pages_open_with_sensible_defaults(world, client, auth):
    auth.login(world.officer)
    for path, text in (
        ("/training/reports/summary", "培训统计"),
        ("/training/warnings", "没有考勤预警"),
        ("/training/excuses", "没有待审批的请假申请"),
        ("/training/", world.training_class.title),
        (f"/training/classes/{world.training_class.id}/matrix", "暂无考勤数据"),
        ("/training/roster-template.xlsx", None),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        if text:
            assert text in response.get_data(as_text=True), path


def test_worker_pages_and_empty_states(world, client, auth):
    auth.login(world.workers[0])
    page = client.get("/training/schedule").get_data(as_text=True)
    assert "近期没有课" in page and "/training/feeds/" in page
    assert client.get(f"/training/classes/{world.training_class.id}").status_code == 404
    assert client.get("/training/warnings").status_code == 403
    assert client.get("/training/reports/summary").status_code == 403
    assert client.get("/training/classes/new").status_code == 403
