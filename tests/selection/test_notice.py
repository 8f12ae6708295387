"""The public notice, objections and the approval that confers the honour."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms import signals
from lms.accounts.models import Honor, User
from lms.certificates.models import Certificate, CertificateKind, CertificateStatus
from lms.core import workdays
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.selection import services
from lms.selection.models import (
    CampaignStatus,
    Dossier,
    DossierStatus,
    Notice,
    Objection,
    ObjectionStatus,
)
from tests.selection.conftest import dossier_for, make_campaign, up_to_list


@pytest.fixture
def listed(w):
    campaign = make_campaign(w["organizer"], places=6)
    people = [w["p0"], w["p1"], w["p2"], w["p3"]]
    dossiers = [
        up_to_list(campaign, dossier_for(w["shop_officer"], campaign, p), w) for p in people
    ]
    for q in (w["q0"], w["q1"]):
        dossiers.append(up_to_list(campaign, dossier_for(w["shop2_officer"], campaign, q), w))
    return campaign, dossiers


def end_notice(campaign):
    notice = db.session.scalar(sa.select(Notice).where(Notice.campaign_id == campaign.id))
    notice.starts_on -= timedelta(days=20)
    notice.ends_on = services.local_today() - timedelta(days=1)
    db.session.commit()


def test_the_notice_lists_names_in_surname_stroke_order_for_the_working_days(w, listed):
    campaign, _ = listed
    notice = services.publish_notice(w["organizer"], campaign)
    # 丁(2) 马(3) 王(4) 张(7) 林(8) 赵(9): strokes, not the order they were accepted in.
    assert [e["name"] for e in notice.entries] == ["丁一", "马兰", "王大力", "张红", "林森", "赵刚"]
    assert set(notice.entries[0]) == {"dossier_id", "name", "unit", "summary"}
    today = services.local_today()
    assert notice.starts_on == today
    assert notice.ends_on == workdays.period_end(today, 5)
    assert db.session.get(type(campaign), campaign.id).status == CampaignStatus.notice


def test_the_published_text_is_archived_unchanged(w, listed):
    campaign, dossiers = listed
    notice = services.publish_notice(w["organizer"], campaign)
    w["p0"].name = "王改名"
    dossiers[0].summary = "改过的事迹"
    db.session.commit()
    again = services.public_notice(campaign.id)
    assert "王大力" in [e["name"] for e in again["entries"]]
    assert "改过的事迹" not in [e["summary"] for e in again["entries"]]
    with pytest.raises(Conflict):
        services.publish_notice(w["organizer"], campaign, body="重新公示")
    assert db.session.get(Notice, notice.id).body == notice.body


def test_a_list_that_breaks_the_composition_rules_is_not_published(w):
    campaign = make_campaign(w["organizer"], places=4, min_frontline_percent=50)
    up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p0"]), w)
    with pytest.raises(Conflict) as exc:
        services.publish_notice(w["organizer"], campaign)
    assert "名单结构" in exc.value.message
    assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == 0


def test_an_anonymous_objection_is_refused_with_the_reason(w, listed):
    campaign, dossiers = listed
    services.publish_notice(w["organizer"], campaign)
    with pytest.raises(Invalid) as exc:
        services.file_objection(
            w["worker"],
            campaign,
            dossiers[0].id,
            body="该同志事迹有夸大成分。",
            contact="139",
            real_name=False,
        )
    assert "匿名" in exc.value.errors["real_name"][0]
    assert db.session.scalar(sa.select(sa.func.count(Objection.id))) == 0


def test_an_objection_after_the_notice_ended_is_refused(w, listed):
    campaign, dossiers = listed
    services.publish_notice(w["organizer"], campaign)
    end_notice(campaign)
    with pytest.raises(Conflict) as exc:
        services.file_objection(
            w["worker"], campaign, dossiers[0].id, body="该同志事迹有夸大成分。", contact="139"
        )
    assert "公示期" in exc.value.message


def test_only_the_organizers_see_who_objected(w, listed):
    campaign, dossiers = listed
    services.publish_notice(w["organizer"], campaign)
    services.file_objection(
        w["worker"], campaign, dossiers[0].id, body="该同志事迹有夸大成分。", contact="13900001111"
    )
    rows = db.session.scalars(services.objections_query(w["organizer"], campaign)).all()
    assert rows[0].filed_by.name == "李群众"
    with pytest.raises(Forbidden):
        services.objections_query(w["plant_officer"], campaign)


def test_approval_waits_for_the_notice_to_end_and_every_objection_to_close(w, listed):
    campaign, dossiers = listed
    services.publish_notice(w["organizer"], campaign)
    objection = services.file_objection(
        w["worker"], campaign, dossiers[0].id, body="该同志事迹有夸大成分。", contact="139"
    )
    with pytest.raises(Conflict) as exc:
        services.approve_campaign(w["organizer"], campaign)
    assert "公示期" in exc.value.message
    end_notice(campaign)
    assert any("异议" in r for r in services.approval_blockers(campaign))
    with pytest.raises(Conflict):
        services.record_finding(w["organizer"], objection, "核实属实")  # not investigated yet
    services.investigate(
        w["organizer"], objection, note="走访车间，调阅记录", unit_explanation="单位已书面说明"
    )
    services.record_finding(w["organizer"], objection, "所反映问题经核实属实")
    assert services.approval_blockers(campaign)
    services.dispose(w["organizer"], objection, "upheld", "撤销其推荐资格")
    assert db.session.get(Objection, objection.id).status == ObjectionStatus.closed
    assert db.session.get(Dossier, dossiers[0].id).status == DossierStatus.withdrawn
    assert services.approval_blockers(campaign) == []

    heard = []

    def listener(sender, **payload):
        heard.append(payload)

    signals.honour_conferred.connect(listener)
    try:
        honours = services.approve_campaign(w["organizer"], campaign)
    finally:
        signals.honour_conferred.disconnect(listener)
    assert len(honours) == 5
    assert {p["user_id"] for p in heard} == {d.candidate_id for d in dossiers[1:]}
    assert heard[0]["kind"] == "model_worker" and heard[0]["level"] == "city"
    certs = db.session.scalars(
        sa.select(Certificate).where(Certificate.kind == CertificateKind.honour)
    ).all()
    assert sorted(c.holder_id for c in certs) == sorted(d.candidate_id for d in dossiers[1:])
    withdrawn = db.session.get(User, dossiers[0].candidate_id)
    assert withdrawn.honors == []
    with pytest.raises(Conflict):
        services.approve_campaign(w["organizer"], campaign)


def test_a_revoked_honour_leaves_public_pages_but_stays_on_record(w, listed):
    campaign, dossiers = listed
    services.publish_notice(w["organizer"], campaign)
    end_notice(campaign)
    services.approve_campaign(w["organizer"], campaign)
    dossier = db.session.get(Dossier, dossiers[1].id)
    person = dossier.candidate
    assert [h.year for h in person.honors] == [2027]
    with pytest.raises(Invalid):
        services.revoke_honour(w["organizer"], dossier, " ")
    with pytest.raises(Forbidden):
        services.revoke_honour(w["plant_officer"], dossier, "弄虚作假")
    services.revoke_honour(w["organizer"], dossier, "经查弄虚作假")
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.honors == []
    history = person.honour_history
    assert history[0].revoked_reason == "经查弄虚作假"
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.holder_id == person.id))
    assert cert.status == CertificateStatus.revoked
    assert db.session.scalar(sa.select(sa.func.count(Honor.id))) == 6  # kept on record
