"""The care pages as care officers, other officers and honoured people use them."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from lms.care import services
from lms.care.models import CareCase, CaseStep, HelpPayment
from lms.extensions import db


def _text(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["officer", "mentor", "worker", "hero2"])
def test_a_file_is_not_found_for_people_without_the_duty(client, auth, world, who):
    auth.login(world[who])
    assert client.get(f"/care/people/{world['hero'].id}").status_code == 404
    assert client.get(f"/api/v1/care/people/{world['hero'].id}/file").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_the_care_officer_reads_a_file_and_the_read_is_audited(client, auth, world):
    services.record_situation(world["carer"], world["hero"], health="腰椎劳损", internal=True)
    auth.login(world["carer"])
    page = _text(client.get(f"/care/people/{world['hero'].id}"))
    assert "腰椎劳损" in page and "记入审计日志" in page
    assert client.get(f"/api/v1/care/people/{world['hero'].id}/file").status_code == 200
    reads = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "care.file.read")
    ).all()
    assert len(reads) == 2 and {r.actor_id for r in reads} == {world["carer"].id}


def test_the_person_sees_their_own_file_without_internal_notes(client, auth, world):
    services.record_situation(world["carer"], world["hero"], housing="自有住房")
    services.record_situation(world["carer"], world["hero"], family="内部备注", internal=True)
    auth.login(world["hero"])
    assert client.get("/care/").headers["Location"].endswith("/care/me")
    page = _text(client.get("/care/me"))
    assert "自有住房" in page and "内部备注" not in page
    body = client.get("/api/v1/care/me/file").get_json()
    assert body["own"] is True and body["situation"]["housing"] == "自有住房"
    assert "内部备注" not in str(body)
    assert client.get(f"/care/people/{world['hero'].id}").headers["Location"].endswith("/care/me")


def test_a_worker_without_honours_is_told_there_is_no_file(client, auth, world):
    auth.login(world["worker"])
    assert "没有关爱档案" in _text(client.get("/care/me"))
    assert client.get("/api/v1/care/me/file").status_code == 404
    assert client.get("/care/").status_code == 403
    assert client.get("/care/cases").status_code == 403


def test_an_officer_without_the_duty_sees_only_checkup_completion(client, auth, world):
    auth.login(world["officer"])
    assert client.get("/care/").headers["Location"].endswith("/care/checkup-status")
    assert client.get("/care/cases").status_code == 403
    assert client.get("/api/v1/care/cases").status_code == 403


def test_people_list_searches_and_masks_mobiles(client, auth, world):
    auth.login(world["carer"])
    page = _text(client.get("/care/?q=铁军"))
    assert "高铁军" in page and "赵玉兰" not in page
    assert world["hero"].mobile not in page
    assert "没有符合条件" in _text(client.get("/care/?q=nobody"))


def test_a_case_from_the_file_to_closing(client, auth, world):
    auth.login(world["carer"])
    response = client.post(
        f"/care/people/{world['hero'].id}/cases/new",
        data={"need": "housing", "help_kind": "living_subsidy", "title": "房屋漏雨"},
    )
    case = db.session.scalar(sa.select(CareCase))
    assert response.headers["Location"].endswith(f"/care/cases/{case.id}")
    yesterday = (services.local_today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/care/cases/{case.id}/steps",
        data={"text": "联系维修", "due_on": yesterday},
        follow_redirects=True,
    )
    assert "办理期限不能早于今天" in _text(response)
    assert db.session.scalar(sa.select(sa.func.count(CaseStep.id))) == 0
    client.post(
        f"/care/cases/{case.id}/steps",
        data={"text": "联系维修", "due_on": services.local_today().isoformat()},
    )
    client.post(
        f"/care/cases/{case.id}/payments", data={"kind": "checkup_subsidy", "amount": "800"}
    )
    response = client.post(
        f"/care/cases/{case.id}/payments",
        data={"kind": "checkup_subsidy", "amount": "800"},
        follow_redirects=True,
    )
    assert "每年只能发放一次" in _text(response)
    response = client.post(
        f"/care/cases/{case.id}/payments",
        data={"kind": "living_subsidy", "amount": "-3"},
        follow_redirects=True,
    )
    assert "金额须大于 0" in _text(response)
    assert db.session.scalar(sa.select(sa.func.count(HelpPayment.id))) == 1
    page = _text(client.get(f"/care/cases/{case.id}"))
    assert 'data-confirm="结案后不能再添加步骤和金额' in page
    client.post(f"/care/cases/{case.id}/close", data={"outcome": "已修缮"})
    db.session.expire_all()
    assert db.session.get(CareCase, case.id).status.value == "closed"


def test_report_export_is_masked_and_audited(client, auth, world):
    case = services.open_case(
        world["carer"], world["hero"], need="illness", help_kind="special_hardship", title="t"
    )
    services.record_payment(world["carer"], case, amount="1200.50")
    step = services.add_step(world["carer"], case, text="回访", due_on=services.local_today())
    db.session.get(CaseStep, step.id).due_on = services.local_today() - timedelta(days=3)
    db.session.commit()
    auth.login(world["carer"])
    page = _text(client.get("/care/reports"))
    assert 'data-total="amount">1200.50<' in page and 'data-total="overdue">1<' in page
    response = client.get("/care/reports/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "高*军" in cells and "高铁军" not in cells
    assert "1200.50" in cells
    export = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export"))
    assert export.actor_id == world["carer"].id and export.after["rows"] > 0


def test_a_unit_nominates_for_the_federation_trip_and_the_organiser_approves(client, auth, world):
    start = services.local_today() + timedelta(days=20)
    trip = services.create_trip(
        world["union_carer"],
        world["union"],
        name="秋季疗休养",
        place="北戴河",
        starts_on=start,
        ends_on=start + timedelta(days=5),
        capacity=1,
    )
    auth.login(world["carer"])
    page = _text(client.get(f"/care/trips/{trip.id}?q=高"))
    assert "高铁军" in page and "按优先顺序批准" not in page
    client.post(f"/care/trips/{trip.id}/nominations", data={"person_id": world["hero"].id})
    [nomination] = db.session.scalars(services.roster_query(world["carer"], trip)).all()
    assert client.post(f"/care/nominations/{nomination.id}/approve").status_code == 403
    db.session.expire_all()
    assert nomination.status.value == "nominated"  # the unit cannot approve
    auth.logout()
    auth.login(world["union_carer"])
    assert client.post(f"/api/v1/care/nominations/{nomination.id}/approval").status_code == 200
    other = services.nominate(world["union_carer"], trip, world["far_hero"])
    response = client.post(f"/api/v1/care/nominations/{other.id}/approval")
    assert response.status_code == 409 and "名额已满" in response.get_json()["message"]


def test_duties_page_grants_and_revokes_below_the_holder(client, auth, world):
    auth.login(world["carer"])
    page = _text(client.get("/care/duties"))
    assert "焊接车间" in page  # grantable: below the plant
    client.post(
        "/care/duties", data={"user_id": world["officer"].id, "organization_id": world["weld"].id}
    )
    assert services.covers(world["officer"], world["weld"])
    response = client.post(
        "/care/duties",
        data={"user_id": world["officer"].id, "organization_id": world["plant"].id},
    )
    assert response.status_code == 422  # not a choice: the holder's own level
    page = _text(client.get("/care/duties"))
    assert "确定撤销" in page


def test_empty_lists_say_what_to_do_next(client, auth, world):
    auth.login(world["carer"])
    assert "立案帮扶" in _text(client.get("/care/cases"))
    assert "安排走访" in _text(client.get("/care/visits"))
    assert "新建一个批次" in _text(client.get("/care/checkups"))
    assert "新建一个批次" in _text(client.get("/care/trips"))
