"""The mentorship pages as officers, mentors and apprentices use them (HTML)."""

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.extensions import db
from lms.mentorship.models import LogStatus, MentorLog, Mentorship, MentorshipStatus
from tests.factories import (
    MentorFactory,
    MentorLogFactory,
    MentorshipFactory,
    UserFactory,
    WorkshopFactory,
    _local_today,
)


@pytest.fixture
def pair(app):
    workshop = WorkshopFactory()
    m = MentorshipFactory(
        mentor=MentorFactory(organization=workshop), apprentice=UserFactory(organization=workshop)
    )
    officer = UserFactory(organization=m.apprentice.organization.parent, roles=[Role.officer])
    return {"m": m, "officer": officer, "mentor": m.mentor, "apprentice": m.apprentice}


def test_officer_sees_pairings_in_scope_with_totals_and_masked_mobiles(client, auth, pair):
    MentorLogFactory(mentorship=pair["m"], minutes=90, status=LogStatus.confirmed)
    pair["m"].confirmed_minutes = 90
    MentorshipFactory(
        mentor=pair["mentor"],
        apprentice=UserFactory(organization=pair["apprentice"].organization),
        status=MentorshipStatus.completed,
    )
    MentorshipFactory()  # elsewhere: not counted
    auth.login(pair["officer"])
    page = client.get("/mentorships").get_data(as_text=True)
    assert 'data-total="pairs">2<' in page
    assert 'data-total="active">1<' in page
    assert 'data-total="graduated">1<' in page
    assert 'data-total="hours">1.5<' in page
    assert pair["apprentice"].mobile not in page
    assert pair["apprentice"].mobile[:3] + "****" in page


def test_officer_filters_by_status(client, auth, pair):
    auth.login(pair["officer"])
    page = client.get("/mentorships?status=completed").get_data(as_text=True)
    assert 'data-total="pairs">0<' in page
    assert "还没有符合条件的师徒结对" in page


def test_export_is_an_xlsx_with_names_and_masked_mobiles(client, auth, pair):
    auth.login(pair["officer"])
    response = client.get("/mentorships/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "师傅" and rows[1][5] == pair["apprentice"].name
    assert pair["apprentice"].mobile not in str(rows)
    assert "****" in rows[1][7]
    # An export of personal data is audited: who, what, which scope, how many rows.
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.actor_id == pair["officer"].id and entry.entity_type == "mentorships"
    assert entry.organization_id == pair["officer"].organization_id
    assert entry.after == {"rows": len(rows) - 1}


def test_workers_and_mentors_cannot_open_the_officer_list(client, auth, pair):
    auth.login(pair["mentor"])
    assert client.get("/mentorships").status_code == 403
    assert client.get("/mentorships/export.xlsx").status_code == 403


def test_officer_pairs_from_the_suggestions(client, auth, pair):
    apprentice = UserFactory(organization=pair["apprentice"].organization, name="新徒弟")
    auth.login(pair["officer"])
    page = client.get(f"/mentorships/new?apprentice_id={apprentice.id}").get_data(as_text=True)
    assert pair["mentor"].name in page and "同工种" in page
    today = _local_today()
    response = client.post(
        "/mentorships/new",
        data={
            "apprentice_id": apprentice.id,
            "mentor_id": pair["mentor"].id,
            "programme_id": 0,
            "start_date": today.isoformat(),
            "planned_end": (today + timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    m = db.session.scalar(sa.select(Mentorship).where(Mentorship.apprentice_id == apprentice.id))
    assert m.mentor_id == pair["mentor"].id and m.status == MentorshipStatus.proposed


def test_pairing_an_apprentice_twice_shows_a_conflict(client, auth, pair):
    auth.login(pair["officer"])
    today = _local_today()
    response = client.post(
        "/mentorships/new",
        data={
            "apprentice_id": pair["apprentice"].id,
            "mentor_id": MentorFactory(organization=pair["apprentice"].organization).id,
            "programme_id": 0,
            "start_date": today.isoformat(),
            "planned_end": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 409
    assert "不能重复结对" in response.get_data(as_text=True)


def test_mentor_logs_a_session_with_the_phone_form(client, auth, pair):
    auth.login(pair["mentor"])
    form = client.get("/mentoring/log").get_data(as_text=True)
    assert 'value="60"' in form and _local_today().isoformat() in form
    response = client.post(
        "/mentoring/log",
        data={
            "mentorship_id": pair["m"].id,
            "session_date": _local_today().isoformat(),
            "minutes": 45,
            "kind": "demonstration",
            "topic": "角焊示范",
            "client_token": "abc",
            "files": (io.BytesIO(b"\xff\xd8photo"), "现场.jpg", "image/jpeg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    log = db.session.scalar(sa.select(MentorLog))
    assert (log.minutes, log.topic, log.attachments[0].filename) == (45, "角焊示范", "现场.jpg")
    # Next time the form remembers the kind of session.
    again = client.get("/mentoring/log").get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="demonstration"', again)
    # The attachment is served to the apprentice, not to strangers.
    url = f"/logs/attachments/{log.attachments[0].id}"
    assert client.get(url).data == b"\xff\xd8photo"
    auth.logout()
    auth.login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_future_date_is_refused_on_the_form(client, auth, pair):
    auth.login(pair["mentor"])
    response = client.post(
        "/mentoring/log",
        data={
            "mentorship_id": pair["m"].id,
            "session_date": (_local_today() + timedelta(days=2)).isoformat(),
            "minutes": 60,
            "kind": "practice",
            "topic": "练习",
        },
    )
    assert response.status_code == 422
    assert "带徒日期不能晚于今天" in response.get_data(as_text=True)


def test_apprentice_confirms_on_their_dashboard(client, auth, pair):
    log = MentorLogFactory(mentorship=pair["m"], minutes=120)
    auth.login(pair["apprentice"])
    page = client.get("/my-mentor").get_data(as_text=True)
    assert "请确认师傅的带徒记录" in page
    client.post(f"/logs/{log.id}/confirm", data={"next": "/my-mentor"})
    assert db.session.get(MentorLog, log.id).status == LogStatus.confirmed
    assert "data-confirmed-hours>2.0<" in client.get("/my-mentor").get_data(as_text=True)


def test_mentor_cannot_confirm_their_own_log(client, auth, pair):
    log = MentorLogFactory(mentorship=pair["m"])
    auth.login(pair["mentor"])
    assert client.post(f"/logs/{log.id}/confirm").status_code == 403


def test_officer_approves_graduation_on_the_pairing_page(client, auth, pair):
    m = pair["m"]
    m.planned_end = _local_today() - timedelta(days=1)
    m.start_date = m.planned_end - timedelta(days=365)
    auth.login(pair["mentor"])
    client.post(
        f"/mentorships/{m.id}/assessment", data={"final_assessment": "考核合格，可以出师。"}
    )
    auth.logout()
    auth.login(pair["officer"])
    page = client.get(f"/mentorships/{m.id}").get_data(as_text=True)
    assert "批准出师" in page and "考核合格" in page
    client.post(f"/mentorships/{m.id}/graduate", data={})
    assert db.session.get(Mentorship, m.id).status == MentorshipStatus.completed


def test_home_cards_for_mentor_apprentice_and_officer(client, auth, pair):
    MentorLogFactory(mentorship=pair["m"])
    auth.login(pair["mentor"])
    assert "记录带徒" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(pair["apprentice"])
    assert "1 条带徒记录等您确认" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(pair["officer"])
    assert "师徒结对" in client.get("/").get_data(as_text=True)


def test_apprentice_without_a_mentor_requests_one(client, auth, app):
    workshop = WorkshopFactory()
    mentor = MentorFactory(organization=workshop, name="赵师傅")
    worker = UserFactory(organization=workshop)
    auth.login(worker)
    page = client.get("/my-mentor").get_data(as_text=True)
    assert "赵师傅" in page and "申请拜师" in page
    client.post("/my-mentor/request", data={"mentor_id": mentor.id})
    m = db.session.scalar(sa.select(Mentorship))
    assert m.requested_by_apprentice and m.apprentice_signed_at is not None


def test_mentor_dashboard_query_count_does_not_grow(client, auth, query_counter, app):
    mentor = MentorFactory()

    def add_apprentice():
        m = MentorshipFactory(mentor=mentor)
        for days in range(3):
            MentorLogFactory(mentorship=m, session_date=_local_today() - timedelta(days=days))
        db.session.commit()

    add_apprentice()
    auth.login(mentor)
    client.get("/mentoring")  # warm: the header's unread badge is cached after the first page
    with query_counter() as small:
        assert client.get("/mentoring").status_code == 200
    for _ in range(4):
        add_apprentice()
    with query_counter() as large:
        assert client.get("/mentoring").status_code == 200
    assert len(large) == len(small) <= 8


def test_officer_list_query_count_does_not_grow(client, auth, query_counter, pair):
    auth.login(pair["officer"])
    client.get("/mentorships")  # warm: the header's unread badge is cached after the first page
    with query_counter() as small:
        assert client.get("/mentorships").status_code == 200
    for _ in range(6):
        MentorshipFactory(apprentice=UserFactory(organization=pair["apprentice"].organization))
    db.session.commit()
    with query_counter() as large:
        assert client.get("/mentorships").status_code == 200
    assert len(large) == len(small) <= 10


def test_officer_sets_a_mentors_places_and_refuses_nonsense(client, auth, pair):
    auth.login(pair["officer"])
    page = client.get("/mentorships/mentors").get_data(as_text=True)
    assert pair["mentor"].name in page
    client.post("/mentorships/mentors", data={"mentor_id": pair["mentor"].id, "capacity": "1"})
    from lms.mentorship.services import capacities

    assert capacities([pair["mentor"].id]) == {pair["mentor"].id: 1}
    response = client.post(
        "/mentorships/mentors", data={"mentor_id": pair["mentor"].id, "capacity": "-4"}
    )
    assert "带徒名额应在 0 到 20 之间" in client.get(response.location).get_data(as_text=True)
    assert capacities([pair["mentor"].id]) == {pair["mentor"].id: 1}


def test_officer_creates_a_programme_once(client, auth, pair):
    auth.login(pair["officer"])
    data = {"name": "焊接传帮带", "organization_id": pair["officer"].organization_id}
    assert client.post("/mentorships/programmes", data=data).status_code == 302
    assert "焊接传帮带" in client.get("/mentorships/programmes").get_data(as_text=True)
    assert client.post("/mentorships/programmes", data=data).status_code == 409


def test_mentor_chooses_after_how_many_days_a_quiet_apprentice_is_flagged(client, auth, pair):
    MentorLogFactory(mentorship=pair["m"], session_date=_local_today() - timedelta(days=10))
    auth.login(pair["mentor"])
    assert "超过 14 天没有带徒记录" not in client.get("/mentoring").get_data(as_text=True)
    page = client.get("/mentoring?idle_days=7").get_data(as_text=True)
    assert "超过 7 天没有带徒记录" in page and pair["apprentice"].name in page


def test_garbage_ids_in_forms_are_refused_not_crashes(client, auth, pair):
    auth.login(pair["officer"])
    assert (
        client.post("/mentorships/mentors", data={"mentor_id": "x", "capacity": "2"}).status_code
        == 404
    )
    assert (
        client.post(
            "/mentorships/programmes", data={"organization_id": "1e9", "name": "a"}
        ).status_code
        == 404
    )
    response = client.post(
        "/mentorships/new",
        data={
            "apprentice_id": pair["apprentice"].id,
            "mentor_id": "abc",
            "programme_id": 0,
            "start_date": "2026-01-01",
            "planned_end": "2027-01-01",
        },
    )
    assert response.status_code == 404  # an id that names nobody: not found, like out of scope
    auth.logout()
    auth.login(pair["apprentice"])
    assert client.post("/my-mentor/request", data={"mentor_id": "9" * 30}).status_code == 404


def test_pairing_page_warns_when_the_apprentice_already_has_a_mentor(client, auth, pair):
    auth.login(pair["officer"])
    page = client.get(f"/mentorships/new?apprentice_id={pair['apprentice'].id}")
    assert "该学员已有师徒关系" in page.get_data(as_text=True)
    assert pair["mentor"].name in page.get_data(as_text=True)


def test_officer_list_pages_through_many_pairings(client, auth, pair):
    for _ in range(21):
        MentorshipFactory(apprentice=UserFactory(organization=pair["apprentice"].organization))
    auth.login(pair["officer"])
    first = client.get("/mentorships").get_data(as_text=True)
    assert "第 1 / 2 页，共 22 条" in first
    second = client.get("/mentorships?page=2").get_data(as_text=True)
    assert second.count("/mentorships/") >= 2 and "第 2 / 2 页" in second
