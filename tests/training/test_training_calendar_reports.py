"""Schedules, iCal feeds, reports and exports, with bounded query counts."""

import csv
import io
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from lms.accounts.models import Role
from lms.db import utcnow
from lms.errors import Forbidden, NotFound
from lms.extensions import db
from lms.timeutil import to_local
from lms.training import services
from tests.factories import (
    ClassSessionFactory,
    EnterpriseFactory,
    RosterEntryFactory,
    TrainingClassFactory,
    UserFactory,
    WorkshopFactory,
)


def _events(body: bytes) -> dict:
    cal = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_personal_feed_shows_changes_and_cancellations(world, client, auth):
    world.seat(world.workers[0])
    moved = world.session(start_in=timedelta(days=2))
    cancelled = world.session(start_in=timedelta(days=3))
    services.update_session(
        world.officer,
        moved,
        starts_at=moved.starts_at + timedelta(hours=1),
        ends_at=moved.ends_at + timedelta(hours=1),
    )
    services.cancel_session(world.officer, cancelled, "停电")
    auth.login(world.workers[0])
    page = client.get("/training/schedule").get_data(as_text=True)
    assert world.training_class.title in page and "已取消" in page
    token = services.calendar_token(world.workers[0])
    auth.logout()
    response = client.get(f"/training/feeds/{token}.ics")  # no sign-in: the secret is the key
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = _events(response.data)
    moved_event = events[f"training-session-{moved.id}@craftsman-academy"]
    assert int(moved_event["sequence"]) == 1
    assert moved_event.decoded("dtstart") == moved.starts_at
    cancelled_event = events[f"training-session-{cancelled.id}@craftsman-academy"]
    assert str(cancelled_event["status"]) == "CANCELLED"
    assert client.get("/training/feeds/wrong-token.ics").status_code == 404


def test_resetting_the_feed_address_retires_the_old_one(world, client):
    old = services.calendar_token(world.workers[0])
    new = services.reset_calendar_token(world.workers[0])
    assert old != new
    assert client.get(f"/training/feeds/{old}.ics").status_code == 404
    assert client.get(f"/training/feeds/{new}.ics").status_code == 200


def test_class_feed_lists_every_session(world, client):
    world.session(start_in=timedelta(days=1))
    world.session(start_in=timedelta(days=8))
    events = _events(
        client.get(f"/training/feeds/class/{world.training_class.feed_token}.ics").data
    )
    assert len(events) == 2


def _matrix_world(world, workers=6, sessions=5):
    people = [UserFactory(organization=world.workshop) for _ in range(workers)]
    world.seat(*people)
    held = [world.session(start_in=timedelta(days=-(sessions - i))) for i in range(sessions)]
    for i, session in enumerate(held):
        services.mark_attendance(
            world.officer,
            session,
            {p.id: ("present" if (i + j) % 3 else "absent") for j, p in enumerate(people)},
        )
        services.close_session(session.id)
    return people, held


def test_class_matrix_has_rates_and_bounded_queries(world, client, auth, query_counter):
    people, held = _matrix_world(world)
    db.session.expire_all()
    with query_counter() as small:
        services.class_matrix(world.officer, world.training_class)
    _matrix_world(world, workers=20, sessions=10)
    db.session.expire_all()
    with query_counter() as big:
        data = services.class_matrix(world.officer, world.training_class)
    # Reloading the signed-in officer and the class costs a few; the matrix itself is 3.
    assert len(big) == len(small) <= 8
    assert len(data.rows) == 26 and len(data.sessions) == 15
    auth.login(world.officer)
    page = client.get(f"/training/classes/{world.training_class.id}/matrix").get_data(as_text=True)
    assert "training.css" in page and 'class="printable"' in page
    css = client.get("/static/css/training.css").get_data(as_text=True)
    assert "@page { size: A4 landscape" in css
    assert "出勤率" in page and people[0].name in page


def test_matrix_exports_xlsx_and_csv(world, client, auth):
    people, held = _matrix_world(world, workers=2, sessions=3)
    auth.login(world.officer)
    response = client.get(f"/training/classes/{world.training_class.id}/matrix?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号", "姓名", "单位") and rows[0][-1] == "出勤率"
    assert len(rows) == 3 and len(rows[0]) == 3 + 3 + 1
    response = client.get(f"/training/classes/{world.training_class.id}/matrix?format=csv")
    text = response.data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[1][3] in ("出勤", "缺勤")


def test_organization_summary_counts_person_times_and_hours(world, client, auth, query_counter):
    other_ws = WorkshopFactory(parent=world.enterprise, name="总装车间")
    other_class = TrainingClassFactory(organization=other_ws)
    people = [UserFactory(organization=world.workshop) for _ in range(3)]
    world.seat(*people)
    s1 = world.session(start_in=timedelta(days=-2), hours=2)
    s2 = world.session(start_in=timedelta(days=-1), hours=3)
    world.session(start_in=timedelta(days=1))  # not held yet
    services.mark_attendance(world.officer, s1, {p.id: "present" for p in people})
    services.mark_attendance(
        world.officer, s2, {people[0].id: "late", people[1].id: "absent", people[2].id: "excused"}
    )
    o1 = ClassSessionFactory(
        training_class=other_class,
        starts_at=utcnow() - timedelta(days=1, hours=5),
        ends_at=utcnow() - timedelta(days=1, hours=4),
    )
    RosterEntryFactory(training_class=other_class, user=people[0])
    services.mark_attendance(world.officer, o1, {people[0].id: "present"})
    today = to_local(utcnow()).date()
    assert world.officer.roles and world.officer.organization.path and world.enterprise.path
    with query_counter() as counted:
        rows, total = services.organization_summary(
            world.officer, world.enterprise, today - timedelta(days=7), today
        )
    assert len(counted) == 3  # marks per (session, status), sessions held, organizations
    assert (total.classes, total.sessions, total.person_times) == (2, 3, 5)
    assert total.hours == pytest.approx(6)
    assert total.person_hours == pytest.approx(2 * 3 + 3 * 1 + 1 * 1)
    assert total.rate == pytest.approx(5 / 6)
    assert {r.organization.name: r.sessions for r in rows} == {"江城重型机械厂": 2, "总装车间": 1}
    auth.login(world.officer)
    url = f"/training/reports/summary?org={world.enterprise.id}&start={today - timedelta(days=7)}&end={today}"
    page = client.get(url).get_data(as_text=True)
    assert "人次" in page and "合计" in page
    sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").data)).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[:4] == ("合计", 2, 3, 5)


def test_summary_refuses_another_enterprise_and_bad_dates(world):
    with pytest.raises(NotFound):
        services.organization_summary(
            world.officer, EnterpriseFactory(), date(2026, 1, 1), date(2026, 2, 1)
        )
    with pytest.raises(Exception, match="提交的内容有误"):
        services.organization_summary(
            world.officer, world.enterprise, date(2026, 2, 1), date(2026, 1, 1)
        )
    with pytest.raises(Forbidden):
        services.organization_summary(
            world.workers[0], world.enterprise, date(2026, 1, 1), date(2026, 2, 1)
        )


def test_session_roster_export_and_worker_history(world, client, auth):
    world.seat(*world.workers[:2])
    session = world.session(start_in=timedelta(minutes=-5))
    services.check_in(world.workers[0], session, token=services.checkin_token(session.id))
    auth.login(world.mentor)
    text = client.get(f"/training/sessions/{session.id}/attendance?format=csv").data.decode(
        "utf-8-sig"
    )
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["工号", "姓名", "单位", "考勤", "签到时间", "方式"]
    assert {row[1]: row[3] for row in table[1:]} == {
        world.workers[0].name: "出勤",
        world.workers[1].name: "",
    }
    auth.logout()
    auth.login(world.workers[1])
    assert client.get(f"/training/people/{world.workers[0].id}/history").status_code == 404


def test_home_cards_show_todays_session_with_a_check_in_button(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=1))
    if to_local(session.starts_at).date() != to_local(utcnow()).date():
        pytest.skip("too close to midnight")
    auth.login(world.workers[0])
    page = client.get("/").get_data(as_text=True)
    assert "今天的课" in page and f"/training/sessions/{session.id}" in page and "签到" in page


def test_api_classes_sessions_roster_and_reports(world, client, auth):
    auth.login(world.officer)
    created = client.post(
        "/api/v1/training/classes",
        json={"title": "钳工培训", "organization_id": world.enterprise.id, "capacity": 1},
    )
    assert created.status_code == 201, created.get_json()
    class_id = created.get_json()["id"]
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    response = client.post(
        f"/api/v1/training/classes/{class_id}/sessions",
        json={
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "recurrence": {"weekdays": [], "count": 3},
        },
    )
    assert response.status_code == 201 and len(response.get_json()) == 3
    response = client.post(
        f"/api/v1/training/classes/{class_id}/sessions",
        json={"starts_at": start.isoformat(), "ends_at": (start - timedelta(hours=1)).isoformat()},
    )
    assert response.status_code == 422 and "ends_at" in response.get_json()["errors"]
    response = client.post(
        f"/api/v1/training/classes/{class_id}/roster",
        json={"user_ids": [w.id for w in world.workers[:2]]},
    )
    assert response.get_json()["waitlisted"] == [world.workers[1].id]
    roster = client.get(f"/api/v1/training/classes/{class_id}/roster").get_json()
    assert [r["status"] for r in roster] == ["seated", "waitlisted"]
    matrix = client.get(f"/api/v1/training/classes/{class_id}/matrix").get_json()
    assert len(matrix["sessions"]) == 3
    today = to_local(utcnow()).date()
    summary = client.get(
        f"/api/v1/training/reports/summary?organization_id={world.enterprise.id}"
        f"&start={today}&end={today}"
    )
    assert summary.status_code == 200 and summary.get_json()["total"]["sessions"] == 0
    stranger = UserFactory(organization=EnterpriseFactory(), roles=[Role.officer])
    auth.logout()
    auth.login(stranger)
    assert client.get(f"/api/v1/training/classes/{class_id}/roster").status_code == 404
    response = client.patch(
        f"/api/v1/training/classes/{world.training_class.id}", json={"capacity": 3}
    )
    assert response.status_code in (403, 404)


def test_openapi_document_lists_training_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/training/sessions/{session_id}/checkin" in spec["paths"]


def test_api_worker_history_is_private(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(hours=-3))
    services.close_session(session.id)
    auth.login(world.workers[0])
    rows = client.get(f"/api/v1/training/people/{world.workers[0].id}/history").get_json()
    assert [(r["session_id"], r["status"]) for r in rows] == [(session.id, "absent")]
    assert client.get(f"/api/v1/training/people/{world.workers[1].id}/history").status_code == 404


def test_api_bad_input_gets_clear_errors_never_a_crash(world, client, auth):
    world.seat(world.workers[0])
    session = world.session(start_in=timedelta(minutes=5))
    auth.login(world.officer)
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    sessions_url = f"/api/v1/training/classes/{world.training_class.id}/sessions"
    times = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()}
    cases = [
        (sessions_url, {**times, "recurrence": {"count": 0}}, 422),
        (sessions_url, {**times, "recurrence": {"count": 100000}}, 422),
        (sessions_url, {**times, "recurrence": {"weekdays": [9], "count": 2}}, 422),
        (sessions_url, {**times, "recurrence": {"interval": 0, "count": 2}}, 422),
        (sessions_url, {**times, "recurrence": {}}, 422),
        (sessions_url, {"starts_at": "2030-01-01T09:00:00", "ends_at": "x"}, 422),
        (sessions_url, {**times, "instructor_id": world.workers[0].id}, 422),
        (f"/api/v1/training/classes/{world.training_class.id}/roster", {}, 422),
        (f"/api/v1/training/classes/{world.training_class.id}/roster", {"user_ids": [999999]}, 404),
        (f"/api/v1/training/sessions/{session.id}/checkin", {"token": "x" * 400}, 422),
        (f"/api/v1/training/sessions/{session.id}/checkin", {"code": "12"}, 422),
        ("/api/v1/training/sessions/999999/checkin", {"code": "123456"}, 404),
        ("/api/v1/training/classes", {"title": "", "organization_id": world.enterprise.id}, 422),
        ("/api/v1/training/classes", {"title": "x", "organization_id": 999999}, 404),
        (
            "/api/v1/training/classes",
            {"title": "x", "organization_id": world.enterprise.id, "capacity": 0},
            422,
        ),
        (
            "/api/v1/training/classes",
            {"title": "x", "organization_id": world.enterprise.id, "registration_mode": "open"},
            422,
        ),
    ]
    for url, body, status in cases:
        response = client.post(url, json=body)
        assert response.status_code == status, (url, body, response.get_json())
        assert response.get_json()["message"]
    response = client.put(
        f"/api/v1/training/sessions/{session.id}/attendance",
        json={"marks": [{"user_id": world.workers[1].id, "status": "present"}]},
    )
    assert response.status_code == 422
    response = client.put(
        f"/api/v1/training/sessions/{session.id}/attendance",
        json={"marks": [{"user_id": world.workers[0].id, "status": "asleep"}]},
    )
    assert response.status_code == 422
    assert world.training_class.sessions == [session]


def test_instructor_home_card_opens_the_screen(world, client, auth):
    session = world.session(start_in=timedelta(minutes=1))
    if to_local(session.starts_at).date() != to_local(utcnow()).date():
        pytest.skip("too close to midnight")
    auth.login(world.mentor)
    page = client.get("/").get_data(as_text=True)
    assert f"/training/sessions/{session.id}/screen" in page and "打开签到屏" in page
