"""The innovation pages and API as workers, officers and finance officers use them."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from lms.accounts.models import HonorKind
from lms.core.demo import DEMO_PASSWORD
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models import Innovation, InnovationMember, Stage, Studio
from tests import factories
from tests.innovation.conftest import submit

PDF = b"%PDF-1.4\n%%EOF"


def test_demo_has_every_stage_a_reward_a_merge_and_two_studios(runner, client):
    result = runner.invoke(args=["lms", "seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    stages = set(db.session.scalars(sa.select(Innovation.stage)))
    assert stages == set(Stage)
    orgs = {i.organization.parent_id for i in db.session.scalars(sa.select(Innovation))}
    assert len(orgs) == 2
    studios = db.session.scalars(sa.select(Studio)).all()
    assert len(studios) == 2 and all(s.members and s.entries for s in studios)
    client.post("/login", data={"login": "W0001", "password": DEMO_PASSWORD})
    page = client.get("/innovation/rewards").get_data(as_text=True)
    assert "筒体环缝焊接防变形夹具" in page
    assert client.get("/").status_code == 200
    client.post("/logout")
    client.post("/login", data={"login": "T0001", "password": DEMO_PASSWORD})
    queue = client.get("/innovation/review?overdue=1").get_data(as_text=True)
    assert "扭矩标识卡" in queue
    for path in ("/innovation/stats", "/innovation/studios", "/innovation/finance-duties", "/"):
        assert client.get(path).status_code == 200, path


def test_worker_submits_on_the_form_with_a_team_and_a_pdf(client, auth, world):
    auth.login(world["worker"])
    response = client.post(
        "/innovation/new",
        data={
            "kind": "small_invention",
            "title": "坡口检测尺",
            "problem": "坡口角度靠目测",
            "method": "做一把检测尺",
            "team": f"{world['worker'].employee_no} 60\n{world['mate'].employee_no} 40",
            "files": [(io.BytesIO(PDF), "图纸.pdf", "application/pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    item = db.session.scalars(sa.select(Innovation)).one()
    page = client.get(response.location).get_data(as_text=True)
    assert "坡口检测尺" in page and "图纸.pdf" in page
    att = item.attachments[0]
    got = client.get(f"/innovation/{item.id}/attachments/{att.id}")
    assert got.data == PDF


def test_shares_not_summing_to_100_are_refused_on_the_form(client, auth, world):
    auth.login(world["worker"])
    page = client.post(
        "/innovation/new",
        data={
            "kind": "suggestion",
            "title": "t",
            "problem": "p",
            "method": "m",
            "team": f"{world['worker'].employee_no} 50\n{world['mate'].employee_no} 20",
        },
    ).get_data(as_text=True)
    assert "合计须为 100%" in page
    assert db.session.scalar(sa.select(sa.func.count(Innovation.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(InnovationMember.id))) == 0


def test_without_a_method_the_author_is_told_why(client, auth, world):
    auth.login(world["worker"])
    response = client.post(
        "/innovation/new",
        data={"kind": "suggestion", "title": "照明", "problem": "太暗"},
        follow_redirects=True,
    )
    assert "按“意见”登记" in response.get_data(as_text=True)


def test_similar_items_are_shown_before_submitting(client, auth, world):
    submit(world["mate"], title="焊接夹具改进", problem="焊接工件变形返工多")
    auth.login(world["worker"])
    page = client.post(
        "/innovation/new",
        data={
            "kind": "suggestion",
            "title": "改进焊接夹具",
            "problem": "焊接工件变形返工",
            "action": "check",
        },
    ).get_data(as_text=True)
    assert "相似的在先项目" in page and "我也支持" in page
    assert db.session.scalar(sa.select(sa.func.count(Innovation.id))) == 1


def test_officer_decides_and_the_worker_sees_the_reason(client, auth, world):
    item = submit(world["worker"])
    auth.login(world["officer"])
    assert "焊接夹具改进" in client.get("/innovation/review").get_data(as_text=True)
    client.post(
        f"/innovation/{item.id}/decision", data={"outcome": "not_adopted", "reason": "已有同类工装"}
    )
    auth.logout()
    auth.login(world["worker"])
    page = client.get(f"/innovation/{item.id}").get_data(as_text=True)
    assert "未采纳" in page and "已有同类工装" in page


def test_out_of_scope_items_are_404(client, auth, world):
    item = submit(world["worker"])
    auth.login(world["outsider"])
    assert client.get(f"/innovation/{item.id}").status_code == 404
    assert (
        client.post(f"/innovation/{item.id}/decision", data={"outcome": "adopted"}).status_code
        == 404
    )
    auth.logout()
    auth.login(world["stranger"])
    assert client.get(f"/innovation/{item.id}").status_code == 404
    assert client.get("/innovation/review").status_code == 403


def test_stats_page_draws_a_chart_and_exports(client, auth, world):
    submit(world["worker"])
    auth.login(world["officer"])
    page = client.get("/innovation/stats").get_data(as_text=True)
    assert page.count('src="data:image/svg+xml;base64,') == 2  # by stage, by kind
    svg = base64.b64decode(page.split("data:image/svg+xml;base64,")[1].split('"')[0])
    assert b"<svg" in svg and b"<script" not in svg
    assert '<td class="num">1</td>' in page  # the figures as a table under the chart
    data = client.get("/innovation/stats.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(1, 1).value == "类别"


def test_reward_export_is_for_officers_only(client, auth, world):
    auth.login(world["worker"])
    assert client.get("/innovation/rewards.xlsx").status_code == 403
    auth.logout()
    auth.login(world["officer"])
    response = client.get("/innovation/rewards.xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"


def test_studio_pages_and_ledger_form(client, auth, world):
    factories.HonorFactory(user=world["mate"], kind=HonorKind.craftsman)
    auth.login(world["officer"])
    response = client.post(
        "/innovation/studios/new",
        data={
            "name": "创新一号",
            "lead_no": world["mate"].employee_no,
            "organization_id": world["enterprise"].id,
            "level": "enterprise",
            "year": 2026,
            "members": world["worker"].employee_no,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    studio = db.session.scalars(sa.select(Studio)).one()
    client.post(f"/innovation/studios/{studio.id}/decision", data={"approve": "1"})
    client.post(
        f"/innovation/studios/{studio.id}/ledger",
        data={"kind": "grant", "amount": "5000", "description": "拨款"},
    )
    page = client.post(
        f"/innovation/studios/{studio.id}/ledger",
        data={"kind": "spending", "amount": "6000", "description": "超支"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "余额不足" in page
    db.session.expire_all()
    assert db.session.get(Studio, studio.id).balance == 5000


def test_studio_lead_without_honour_is_refused_on_the_form(client, auth, world):
    auth.login(world["officer"])
    page = client.post(
        "/innovation/studios/new",
        data={
            "name": "创新二号",
            "lead_no": world["mate"].employee_no,
            "organization_id": world["enterprise"].id,
            "level": "enterprise",
            "year": 2026,
        },
    ).get_data(as_text=True)
    assert "劳动模范" in page
    assert db.session.scalar(sa.select(sa.func.count(Studio.id))) == 0


# --- API ---


def test_api_submit_decide_and_conflict(client, auth, world):
    auth.login(world["worker"])
    created = client.post(
        "/api/v1/innovation/items",
        json={
            "kind": "technical",
            "title": "测温",
            "problem": "巡检慢",
            "method": "无线测温",
            "team": [
                {"user_id": world["worker"].id, "share": "70"},
                {"user_id": world["mate"].id, "share": "30"},
            ],
        },
    )
    assert created.status_code == 201, created.get_json()
    item_id = created.get_json()["id"]
    bad = client.post(
        "/api/v1/innovation/items",
        json={
            "kind": "technical",
            "title": "x",
            "problem": "y",
            "method": "z",
            "team": [{"user_id": world["worker"].id, "share": "70"}],
        },
    )
    assert bad.status_code == 422 and "team" in bad.get_json()["errors"]
    assert (
        client.post(
            f"/api/v1/innovation/items/{item_id}/decision", json={"outcome": "adopted"}
        ).status_code
        == 404
    )
    auth.logout()
    auth.login(world["officer"])
    first = client.post(f"/api/v1/innovation/items/{item_id}/decision", json={"outcome": "adopted"})
    assert first.status_code == 200 and first.get_json()["stage"] == "adopted"
    again = client.post(f"/api/v1/innovation/items/{item_id}/decision", json={"outcome": "trial"})
    assert again.status_code == 409
    stats = client.get(
        f"/api/v1/innovation/stats?organization_id={world['enterprise'].id}&start=2020-01-01&end=2099-12-31"
    ).get_json()
    assert stats["total"] == 1 and stats["by_stage"]["adopted"] == 1


def test_api_opinion_notice_and_scope(client, auth, world):
    auth.login(world["worker"])
    created = client.post(
        "/api/v1/innovation/items", json={"kind": "suggestion", "title": "t", "problem": "p"}
    ).get_json()
    assert created["stage"] == "opinion" and "办法" in created["notice"]
    auth.logout()
    auth.login(world["outsider"])
    assert client.get(f"/api/v1/innovation/items/{created['id']}").status_code == 404
    listed = client.get("/api/v1/innovation/items").get_json()
    assert listed["total"] == 0


def test_the_queue_page_keeps_its_queries_as_items_grow(client, auth, world, query_counter):
    auth.login(world["officer"])
    submit(world["worker"])
    client.get("/innovation/review")  # the menu and badge are cached from here on
    with query_counter() as few:
        assert client.get("/innovation/review").status_code == 200
    for n in range(12):
        author = factories.UserFactory(organization=world["workshop"])
        submit(author, title=f"建议{n}")
    with query_counter() as many:
        assert client.get("/innovation/review").status_code == 200
    assert len(many) == len(few)


def test_api_grade_table_is_for_admins_and_is_used(client, auth, world):
    auth.login(world["officer"])
    assert client.get("/api/v1/innovation/grades").get_json()["grades"][0]["amount"] == "10000.00"
    table = {"grades": [{"grade": 1, "name": "甲", "min_benefit": "1", "amount": "50"}]}
    assert client.put("/api/v1/innovation/grades", json=table).status_code == 403
    auth.logout()
    admin = factories.UserFactory(roles=["admin"])
    auth.login(admin)
    assert client.put("/api/v1/innovation/grades", json=table).status_code == 200
    assert services.grade_for(Decimal("5")).amount == 50


def test_api_studio_members_and_ledger_scope(client, auth, world):
    factories.HonorFactory(user=world["worker"], kind=HonorKind.model_worker)
    auth.login(world["officer"])
    created = client.post(
        "/api/v1/innovation/studios",
        json={
            "name": "甲",
            "lead_id": world["worker"].id,
            "organization_id": world["enterprise"].id,
            "level": "city",
            "year": 2026,
        },
    )
    assert created.status_code == 201, created.get_json()
    sid = created.get_json()["id"]
    assert (
        client.post(
            f"/api/v1/innovation/studios/{sid}/decision", json={"approve": True}
        ).status_code
        == 200
    )
    added = client.post(
        f"/api/v1/innovation/studios/{sid}/members", json={"user_id": world["mate"].id}
    )
    assert added.status_code == 201
    again = client.post(
        f"/api/v1/innovation/studios/{sid}/members", json={"user_id": world["mate"].id}
    )
    assert again.status_code == 409
    grant = client.post(
        f"/api/v1/innovation/studios/{sid}/ledger",
        json={"kind": "grant", "amount": "5000", "description": "拨款"},
    )
    assert grant.status_code == 201 and grant.get_json()["balance_after"] == "5000.00"
    auth.logout()
    auth.login(world["outsider"])
    assert client.get(f"/api/v1/innovation/studios/{sid}").status_code == 200  # named: public
    assert client.get(f"/api/v1/innovation/studios/{sid}/ledger").status_code == 404
    assert (
        client.post(
            f"/api/v1/innovation/studios/{sid}/ledger",
            json={"kind": "spending", "amount": "1", "description": "x"},
        ).status_code
        == 404
    )


def test_reward_ledger_search(client, auth, world):
    item = submit(world["worker"])
    admin = factories.UserFactory(roles=["admin"])
    services.assign_finance_duty(admin, world["officer2"], world["enterprise"])
    services.decide(world["officer"], item, "adopted", None)
    services.set_benefit(world["officer"], item, actual_benefit="60000", formula="f")
    services.verify_benefit(world["officer2"], item)
    services.compute_reward(world["officer"], item)
    auth.login(world["officer"])
    found = client.get(f"/innovation/rewards?q={world['worker'].employee_no}").get_data(
        as_text=True
    )
    assert "焊接夹具改进" in found and "合计：1000.00 元" in found
    missing = client.get("/innovation/rewards?q=没有这个人").get_data(as_text=True)
    assert "焊接夹具改进" not in missing and "合计：0.00 元" in missing
