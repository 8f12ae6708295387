"""The selection API: the same rules as the pages, and the public notice as JSON."""

import sqlalchemy as sa

from lms.extensions import db
from lms.selection import services
from lms.selection.models import Dossier
from tests.factories import DEFAULT_PASSWORD
from tests.selection.conftest import dossier_for, make_campaign, up_to_list


def login(client, user):
    client.post("/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD})


def test_a_dossier_goes_up_through_the_api_and_a_refusal_has_field_messages(app, client, w):
    app.config["WTF_CSRF_ENABLED"] = False
    campaign = make_campaign(w["organizer"])
    login(client, w["shop_officer"])
    bad = client.post(f"/api/v1/selection/campaigns/{campaign.id}/dossiers", json={})
    assert bad.status_code == 422 and "candidate_id" in bad.get_json()["errors"]
    outside = client.post(
        f"/api/v1/selection/campaigns/{campaign.id}/dossiers",
        json={"candidate_id": w["q0"].id, "summary": "x", "achievements": "y"},
    )
    assert outside.status_code == 403
    made = client.post(
        f"/api/v1/selection/campaigns/{campaign.id}/dossiers",
        json={"candidate_id": w["p0"].id, "summary": "焊接能手", "achievements": "事迹"},
    )
    assert made.status_code == 201
    dossier_id = made.get_json()["id"]
    again = client.post(
        f"/api/v1/selection/campaigns/{campaign.id}/dossiers",
        json={"candidate_id": w["p0"].id, "summary": "焊接能手", "achievements": "事迹"},
    )
    assert again.status_code == 409
    sent = client.post(f"/api/v1/selection/dossiers/{dossier_id}/submission")
    assert sent.get_json()["level_org_id"] == w["plant"].id
    assert db.session.get(Dossier, dossier_id).status.value == "pending"


def test_the_public_notice_as_json_needs_no_sign_in(client, w):
    campaign = make_campaign(w["organizer"], places=4)
    for p in (w["p1"], w["p0"]):
        up_to_list(campaign, dossier_for(w["shop_officer"], campaign, p), w)
    services.publish_notice(w["organizer"], campaign)
    data = client.get(f"/api/v1/selection/notices/{campaign.id}").get_json()
    assert [e["name"] for e in data["entries"]] == ["王大力", "张红"]
    assert data["order"] == "strokes" and data["open"] is True
    assert set(data["entries"][0]) == {"dossier_id", "name", "unit", "summary"}
    assert client.get("/api/v1/selection/campaigns").status_code == 401
    assert db.session.scalar(sa.select(sa.func.count(Dossier.id))) == 2
