"""Departmental vetting (one veto removes the candidate, the unit learns only that) and the
committee (conflicts excluded, results hidden until all have voted, the tally recorded)."""

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection import services
from lms.selection.models import CampaignQuota, Dossier, DossierStatus, Notice
from tests.factories import UserFactory
from tests.selection.conftest import dossier_for, make_campaign, up_to_list


@pytest.fixture
def listed(w):
    campaign = make_campaign(w["organizer"], places=5)
    dossiers = [
        up_to_list(campaign, dossier_for(w["shop_officer"], campaign, p), w)
        for p in (w["p0"], w["p1"], w["p2"])
    ]
    return campaign, dossiers


def test_one_veto_removes_the_candidate_and_the_unit_reads_only_that(w, listed):
    campaign, dossiers = listed
    tax, safety = UserFactory(name="税务审核员"), UserFactory(name="安监审核员")
    services.add_department(w["organizer"], campaign, "税务局", tax.employee_no)
    services.add_department(w["organizer"], campaign, "应急管理局", safety.employee_no)
    assert services.ask_departments(w["organizer"], campaign) == 6
    assert services.ask_departments(w["organizer"], campaign) == 0  # nobody asked twice
    mine = db.session.scalars(services.vettings_query(tax)).all()
    assert len(mine) == 3
    with pytest.raises(NotFound):
        services.answer(safety, mine[0].id, "passed", None)
    with pytest.raises(Invalid):
        services.answer(tax, mine[0].id, "vetoed", " ")
    services.answer(tax, mine[0].id, "vetoed", "2025 年度存在偷税行为")
    vetoed = db.session.get(Dossier, mine[0].dossier_id)
    assert vetoed.status == DossierStatus.vetoed
    top = db.session.scalar(
        sa.select(CampaignQuota).where(CampaignQuota.organization_id == w["city"].id)
    )
    assert top.used == 2
    told = vetoed.steps[-1].reason
    assert "偷税" not in told and "税务" not in told
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "selection.veto"))
    assert audit.after["reason"] == "2025 年度存在偷税行为"
    with pytest.raises(Conflict):
        services.answer(tax, mine[0].id, "passed", None)
    with pytest.raises(Conflict):
        services.publish_notice(w["organizer"], campaign)  # other answers outstanding


def test_a_member_with_a_conflict_cannot_vote_and_results_wait_for_every_vote(w, listed):
    campaign, dossiers = listed
    a, b = UserFactory(name="委员甲"), UserFactory(name="委员乙")
    services.add_member(w["organizer"], campaign, a.employee_no)
    services.add_member(w["organizer"], campaign, b.employee_no)
    with pytest.raises(Forbidden):
        services.cast_vote(w["plant_officer"], campaign, dossiers[0].id, "yes")
    services.declare_conflict(a, campaign, dossiers[0].id, "同一车间")
    with pytest.raises(Conflict):
        services.cast_vote(a, campaign, dossiers[0].id, "yes")
    with pytest.raises(Invalid):
        services.cast_vote(a, campaign, dossiers[1].id, "abstain")
    services.cast_vote(a, campaign, dossiers[1].id, "yes")
    services.cast_vote(a, campaign, dossiers[2].id, "no")
    assert services.visible_tally(a, campaign) is None
    with pytest.raises(Conflict):
        services.publish_notice(w["organizer"], campaign)
    services.cast_vote(b, campaign, dossiers[0].id, "yes")
    services.cast_vote(b, campaign, dossiers[1].id, "yes")
    with pytest.raises(Conflict):
        services.cast_vote(b, campaign, dossiers[1].id, "no")  # once
    services.cast_vote(b, campaign, dossiers[2].id, "abstain", "不了解情况")
    result = services.visible_tally(a, campaign)
    assert result[dossiers[0].id] == {"yes": 1, "no": 0, "abstain": 0, "entitled": 1}
    assert result[dossiers[2].id]["yes"] == 0
    recorded = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "selection.committee.tally")
    )
    assert recorded.after[str(dossiers[1].id)]["yes"] == 2
    notice = services.publish_notice(w["organizer"], campaign)
    names = [e["name"] for e in db.session.get(Notice, notice.id).entries]
    assert names == ["王大力", "张红"]  # 赵刚 had no majority: withdrawn
    assert db.session.get(Dossier, dossiers[2].id).status == DossierStatus.withdrawn
