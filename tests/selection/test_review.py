"""Nominating and the tiered review: scope, one dossier per person, deadlines, each level's
quota, returns and rejections, composition rules."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import HonorLevel
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.selection import services
from lms.selection.models import CampaignQuota, Dossier, DossierStatus, DossierStep, StepAction
from tests.factories import HonorFactory
from tests.selection.conftest import dossier_for, make_campaign, up_to_list

DS = DossierStatus


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_dossier_climbs_from_workshop_to_the_list_with_every_step_recorded(w):
    campaign = make_campaign(w["organizer"])
    dossier = dossier_for(w["shop_officer"], campaign, w["p0"])
    assert (dossier.status, dossier.level_org_id) == (DS.draft, w["shop"].id)
    services.submit(w["shop_officer"], dossier)
    assert (dossier.status, dossier.level_org_id) == (DS.pending, w["plant"].id)
    queue = db.session.scalars(services.queue_query(w["plant_officer"], campaign)).all()
    assert [d.id for d in queue] == [dossier.id]
    services.approve(w["plant_officer"], dossier)
    assert (dossier.status, dossier.level_org_id) == (DS.pending, w["city"].id)
    services.approve(w["organizer"], dossier)
    assert dossier.status == DS.accepted
    actions = [
        s.action for s in db.session.scalars(sa.select(DossierStep).order_by(DossierStep.id))
    ]
    assert actions == [
        StepAction.nominate,
        StepAction.submit,
        StepAction.approve,
        StepAction.approve,
    ]


def test_nominating_someone_outside_ones_subtree_is_refused_and_nothing_written(w):
    campaign = make_campaign(w["organizer"])
    with pytest.raises(Forbidden):
        dossier_for(w["shop_officer"], campaign, w["q0"])
    assert count(Dossier) == 0


def test_one_dossier_per_person_per_campaign(w):
    campaign = make_campaign(w["organizer"])
    dossier_for(w["shop_officer"], campaign, w["p0"])
    with pytest.raises(Conflict) as exc:
        dossier_for(w["plant_officer"], campaign, w["p0"])
    assert "已被推荐" in exc.value.message
    assert count(Dossier) == 1


def test_the_database_itself_refuses_a_second_dossier(w):
    campaign = make_campaign(w["organizer"])
    first = dossier_for(w["shop_officer"], campaign, w["p0"])
    twin = Dossier(
        campaign_id=campaign.id,
        candidate_id=first.candidate_id,
        unit_id=first.unit_id,
        level_org_id=first.unit_id,
        summary="x",
        achievements="x",
    )
    db.session.add(twin)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_after_the_nomination_deadline_nothing_is_nominated_or_submitted(w):
    campaign = make_campaign(w["organizer"])
    dossier = dossier_for(w["shop_officer"], campaign, w["p0"])
    campaign.nominate_until = services.local_today() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(Conflict):
        dossier_for(w["shop_officer"], campaign, w["p1"])
    with pytest.raises(Conflict) as exc:
        services.submit(w["shop_officer"], dossier)
    assert "截止" in exc.value.message
    assert db.session.get(Dossier, dossier.id).status == DS.draft


def test_each_level_sees_only_its_subtree_and_acts_only_at_its_level(w):
    campaign = make_campaign(w["organizer"])
    dossier = dossier_for(w["shop_officer"], campaign, w["p0"])
    services.submit(w["shop_officer"], dossier)
    with pytest.raises(NotFound):
        services.get_dossier(w["plant2_officer"], dossier.id)
    assert db.session.scalars(services.queue_query(w["plant2_officer"], campaign)).all() == []
    # The workshop sees its dossier but the plant holds it now.
    assert services.get_dossier(w["shop_officer"], dossier.id)
    with pytest.raises(Forbidden):
        services.approve(w["shop_officer"], dossier)
    with pytest.raises(Forbidden):
        services.approve(w["organizer"], dossier)


def test_submitting_over_the_units_quota_is_refused_and_nothing_moves(w):
    campaign = make_campaign(w["organizer"])
    services.set_quota(w["organizer"], campaign, w["plant"], 1)
    a = dossier_for(w["plant_officer"], campaign, w["p0"])
    b = dossier_for(w["plant_officer"], campaign, w["p1"])
    services.submit(w["plant_officer"], a)
    with pytest.raises(Conflict) as exc:
        services.submit(w["plant_officer"], b)
    assert "名额" in exc.value.message
    b = db.session.get(Dossier, b.id)
    assert (b.status, b.level_org_id) == (DS.draft, w["plant"].id)
    quota = db.session.scalar(
        sa.select(CampaignQuota).where(CampaignQuota.organization_id == w["plant"].id)
    )
    assert quota.used == 1


def test_the_campaigns_own_places_bound_the_list(w):
    campaign = make_campaign(w["organizer"], places=1)
    a = up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p0"]), w)
    b = dossier_for(w["shop2_officer"], campaign, w["q0"])
    services.submit(w["shop2_officer"], b)
    services.approve(w["plant2_officer"], b)
    with pytest.raises(Conflict):
        services.approve(w["organizer"], b)
    assert db.session.get(Dossier, a.id).status == DS.accepted
    assert db.session.get(Dossier, b.id).status == DS.pending


def test_a_return_needs_reasons_frees_the_place_and_the_unit_resubmits(w):
    campaign = make_campaign(w["organizer"])
    services.set_quota(w["organizer"], campaign, w["plant"], 1)
    dossier = dossier_for(w["shop_officer"], campaign, w["p0"])
    services.submit(w["shop_officer"], dossier)
    services.approve(w["plant_officer"], dossier)
    with pytest.raises(Invalid):
        services.return_dossier(w["organizer"], dossier, "  ")
    services.return_dossier(w["organizer"], dossier, "事迹材料缺少近三年的业绩数据")
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.status, dossier.level_org_id) == (DS.returned, w["plant"].id)
    plant_quota = db.session.scalar(
        sa.select(CampaignQuota).where(CampaignQuota.organization_id == w["plant"].id)
    )
    assert plant_quota.used == 0
    services.amend(w["plant_officer"], dossier, achievements="补充了 2024—2026 年的业绩。")
    services.submit(w["plant_officer"], dossier)
    assert (dossier.status, dossier.level_org_id) == (DS.pending, w["city"].id)
    assert db.session.get(CampaignQuota, plant_quota.id).used == 1
    assert dossier.steps[-3].reason == "事迹材料缺少近三年的业绩数据"


def test_a_rejection_frees_every_place_the_dossier_held(w):
    campaign = make_campaign(w["organizer"])
    services.set_quota(w["organizer"], campaign, w["shop"], 1)
    services.set_quota(w["organizer"], campaign, w["plant"], 1)
    dossier = dossier_for(w["shop_officer"], campaign, w["p0"])
    services.submit(w["shop_officer"], dossier)
    services.approve(w["plant_officer"], dossier)
    services.reject(w["organizer"], dossier, "不符合评选条件")
    used = db.session.scalars(sa.select(CampaignQuota.used).order_by(CampaignQuota.id)).all()
    assert used == [0, 0, 0]
    with pytest.raises(Conflict):
        services.approve(w["organizer"], dossier)


def test_enterprise_heads_beyond_their_share_are_refused(w):
    campaign = make_campaign(w["organizer"], places=4, max_heads_percent=25)
    up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p0"], enterprise_head=True), w)
    second = dossier_for(w["shop_officer"], campaign, w["p1"], enterprise_head=True)
    services.submit(w["shop_officer"], second)
    services.approve(w["plant_officer"], second)
    with pytest.raises(Conflict) as exc:
        services.approve(w["organizer"], second)
    assert "企业负责人" in exc.value.message
    mix = services.composition(campaign)
    assert (mix.total, mix.heads, mix.heads_cap) == (1, 1, 1)


def test_the_frontline_share_is_checked_live(w):
    campaign = make_campaign(w["organizer"], places=4, min_frontline_percent=50)
    up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p0"]), w)
    assert not services.composition(campaign).frontline_ok
    up_to_list(campaign, dossier_for(w["shop_officer"], campaign, w["p1"], frontline=True), w)
    mix = services.composition(campaign)
    assert mix.frontline_ok and mix.frontline_percent == 50


def test_a_prior_lower_honour_can_be_required(w):
    campaign = make_campaign(w["organizer"], requires_prior_honour=True)
    with pytest.raises(Invalid) as exc:
        dossier_for(w["shop_officer"], campaign, w["p0"])
    assert "candidate_id" in exc.value.errors
    HonorFactory(user=w["p0"], level=HonorLevel.enterprise, year=2024)
    db.session.commit()
    assert dossier_for(w["shop_officer"], campaign, w["p0"]).status == DS.draft


def test_a_campaign_with_bad_stages_is_refused_field_by_field(w):
    today = services.local_today()
    with pytest.raises(Invalid) as exc:
        make_campaign(
            w["organizer"],
            title=" ",
            nominate_until=today + timedelta(days=5),
            review_until=today,
            max_heads_percent=150,
        )
    assert {"title", "review_until", "max_heads_percent"} <= set(exc.value.errors)


def test_only_the_organizing_organizations_officers_set_quotas(w):
    campaign = make_campaign(w["organizer"])
    with pytest.raises(Forbidden):
        services.set_quota(w["plant_officer"], campaign, w["plant"], 5)
