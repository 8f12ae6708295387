"""The selection pages: the public notice (no sign-in, cached, no query per repeated view),
an objection filed on a phone, the organizer's page, a level's queue, the calendar."""

from datetime import timedelta

import sqlalchemy as sa

from lms.core.models import CalendarDay
from lms.extensions import db
from lms.selection import services
from lms.selection.models import Dossier, DossierStatus, Notice, Objection
from tests.factories import DEFAULT_PASSWORD
from tests.selection.conftest import dossier_for, make_campaign, up_to_list


def login(client, user):
    client.post("/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD})


def on_notice(w):
    campaign = make_campaign(w["organizer"], places=6)
    for p in (w["p0"], w["p1"]):
        up_to_list(campaign, dossier_for(w["shop_officer"], campaign, p), w)
    up_to_list(campaign, dossier_for(w["shop2_officer"], campaign, w["q0"]), w)
    services.publish_notice(w["organizer"], campaign)
    return campaign


def test_the_public_notice_needs_no_sign_in_and_lists_names_by_strokes(client, w):
    campaign = on_notice(w)
    response = client.get(f"/selection/notice/{campaign.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.index("丁一") < html.index("王大力") < html.index("张红")
    assert "姓氏笔画" in html
    assert w["p0"].employee_no not in html and "139" not in html
    assert "public" in response.headers["Cache-Control"]


def test_a_repeated_view_of_the_notice_runs_no_query(client, w, query_counter):
    campaign = on_notice(w)
    url = f"/selection/notice/{campaign.id}"
    with query_counter() as first:
        assert client.get(url).status_code == 200
    assert first
    for _ in range(3):
        with query_counter() as again:
            assert client.get(url).status_code == 200
        assert again == []


def test_the_cached_notice_changes_when_the_campaign_is_approved(client, w):
    campaign = on_notice(w)
    url = f"/selection/notice/{campaign.id}"
    assert "已批准" not in client.get(url).get_data(as_text=True)
    notice = db.session.scalar(sa.select(Notice))
    notice.starts_on -= timedelta(days=20)
    notice.ends_on = services.local_today() - timedelta(days=1)
    db.session.commit()
    services.approve_campaign(w["organizer"], campaign)
    assert "名单已批准" in client.get(url).get_data(as_text=True)


def test_a_campaign_without_a_notice_is_a_404_with_a_message(client, w):
    campaign = make_campaign(w["organizer"])
    response = client.get(f"/selection/notice/{campaign.id}")
    assert response.status_code == 404


def test_a_signed_in_worker_files_an_objection_and_an_anonymous_one_is_refused(client, w):
    campaign = on_notice(w)
    listed = db.session.scalar(sa.select(Dossier).where(Dossier.candidate_id == w["p0"].id))
    url = f"/selection/notice/{campaign.id}/object"
    assert client.get(url).status_code == 302  # sign in first
    login(client, w["worker"])
    page = client.get(url).get_data(as_text=True)
    assert "13900001111" in page  # the contact is prefilled from the account
    refused = client.post(
        url, data={"dossier_id": listed.id, "body": "该同志事迹材料有不实之处。", "contact": "139"}
    )
    assert refused.status_code == 422
    assert "匿名" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Objection.id))) == 0
    done = client.post(
        url,
        data={
            "dossier_id": listed.id,
            "body": "该同志事迹材料有不实之处。",
            "contact": "13900001111",
            "real_name": "y",
        },
    )
    assert done.status_code == 302
    objection = db.session.scalar(sa.select(Objection))
    assert objection.filed_by_id == w["worker"].id


def test_the_organizer_handles_an_objection_through_its_page(client, w):
    campaign = on_notice(w)
    listed = db.session.scalar(sa.select(Dossier).where(Dossier.candidate_id == w["p0"].id))
    objection = services.file_objection(
        w["worker"], campaign, listed.id, body="该同志事迹材料有不实之处。", contact="139"
    )
    login(client, w["plant_officer"])
    assert client.get(f"/selection/objections/{objection.id}").status_code == 403
    client.post("/logout")
    login(client, w["organizer"])
    page = client.get(f"/selection/{campaign.id}/objections").get_data(as_text=True)
    assert "李群众" in page
    url = f"/selection/objections/{objection.id}"
    client.post(url, data={"step": "investigate", "investigation": "走访车间"})
    client.post(url, data={"step": "finding", "finding": "反映不实"})
    assert (
        client.post(url, data={"step": "dispose", "disposition": "not_upheld"}).status_code == 422
    )
    client.post(
        url, data={"step": "dispose", "disposition": "not_upheld", "disposition_note": "保留"}
    )
    assert db.session.get(Objection, objection.id).status.value == "closed"
    assert db.session.get(Dossier, listed.id).status == DossierStatus.accepted


def test_the_organizers_page_shows_why_approval_is_disabled(client, w):
    campaign = on_notice(w)
    login(client, w["organizer"])
    html = client.get(f"/selection/{campaign.id}").get_data(as_text=True)
    assert "data-blocker" in html and "disabled" in html
    assert "公示期到" in html


def test_a_workshop_officer_nominates_and_the_plant_approves_through_the_pages(client, w):
    campaign = make_campaign(w["organizer"])
    login(client, w["shop_officer"])
    found = client.get(f"/selection/{campaign.id}/queue?who=王大力").get_data(as_text=True)
    assert "填写推荐材料" in found
    response = client.post(
        f"/selection/{campaign.id}/nominate/{w['p0'].id}",
        data={"summary": "焊接能手", "achievements": "攻克难题", "frontline": "y"},
    )
    assert response.status_code == 302
    dossier = db.session.scalar(sa.select(Dossier))
    client.post(f"/selection/dossiers/{dossier.id}/submit")
    client.post("/logout")
    login(client, w["plant_officer"])
    queue = client.get(f"/selection/{campaign.id}/queue").get_data(as_text=True)
    assert "王大力" in queue
    client.post(f"/selection/dossiers/{dossier.id}/return", data={"reason": ""})
    assert db.session.get(Dossier, dossier.id).status == DossierStatus.pending  # no reason
    client.post(f"/selection/dossiers/{dossier.id}/approve")
    assert db.session.get(Dossier, dossier.id).level_org_id == w["city"].id
    client.post("/logout")
    login(client, w["plant2_officer"])
    assert client.get(f"/selection/dossiers/{dossier.id}").status_code == 404


def test_the_queue_reads_a_bounded_number_of_queries(client, w, query_counter):
    campaign = make_campaign(w["organizer"], places=50)
    login(client, w["plant_officer"])

    def fill(people):
        for person in people:
            services.submit(w["shop_officer"], dossier_for(w["shop_officer"], campaign, person))

    from tests.factories import UserFactory

    fill([UserFactory(organization=w["shop"]) for _ in range(3)])
    client.get(f"/selection/{campaign.id}/queue")  # the first view of a session reads more
    with query_counter() as few:
        assert client.get(f"/selection/{campaign.id}/queue").status_code == 200
    fill([UserFactory(organization=w["shop"]) for _ in range(15)])
    with query_counter() as many:
        assert client.get(f"/selection/{campaign.id}/queue").status_code == 200
    assert len(many) == len(few)


def test_only_admins_keep_the_calendar_and_a_plain_weekday_is_refused(client, w):
    login(client, w["organizer"])
    assert client.get("/selection/calendar").status_code == 200
    assert (
        client.post(
            "/selection/calendar", data={"day": "2031-05-01", "is_workday": "0"}
        ).status_code
        == 403
    )
    client.post("/logout")
    login(client, w["admin"])
    bad = client.post("/selection/calendar", data={"day": "2031-05-06", "is_workday": "1"})
    assert bad.status_code == 422
    ok = client.post(
        "/selection/calendar", data={"day": "2031-05-01", "is_workday": "0", "note": "劳动节"}
    )
    assert ok.status_code == 302
    assert db.session.get(CalendarDay, __import__("datetime").date(2031, 5, 1)).note == "劳动节"


def test_the_composition_report_against_the_quotas_as_a_table_chart_and_xlsx(client, w):
    import io

    from openpyxl import load_workbook

    campaign = make_campaign(w["organizer"], places=6)
    services.set_quota(w["organizer"], campaign, w["plant"], 3)
    up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p0"], frontline=True), w)
    up_to_list(campaign, dossier_for(w["shop2_officer"], campaign, w["q0"]), w)
    login(client, w["organizer"])
    html = client.get(f"/selection/{campaign.id}/report").get_data(as_text=True)
    assert "重型机械厂" in html and "供电公司" in html and "data:image/svg+xml" in html
    data = client.get(f"/selection/{campaign.id}/report.xlsx").data
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    by_org = {r[0]: r for r in rows[1:]}
    assert [str(v) for v in by_org["重型机械厂"][1:5]] == ["3", "1", "1", "1"]
    client.post("/logout")
    login(client, w["plant_officer"])
    assert client.get(f"/selection/{campaign.id}/report").status_code == 403
