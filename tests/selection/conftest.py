"""A small world for the selection tests: a city federation organises a campaign; two
enterprises with a workshop each; officers at every level; candidates in the workshops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from lms.selection import services
from tests.factories import EnterpriseFactory, OrganizationFactory, UserFactory, WorkshopFactory


def make_campaign(organizer, places=3, **kw):
    today = services.local_today()
    fields = dict(
        title="2027年度市级劳动模范",
        honour_kind="model_worker",
        honour_level="city",
        year=2027,
        nominate_until=today + timedelta(days=20),
        review_until=today + timedelta(days=40),
        places=places,
    )
    fields.update(kw)
    return services.create_campaign(organizer, organizer.organization, **fields)


def dossier_for(officer, campaign, person, **kw):
    fields = dict(summary="焊接技术革新能手", achievements="三十年扎根一线，攻克多项焊接难题。")
    fields.update(kw)
    return services.nominate(officer, campaign, person, **fields)


def up_to_list(campaign, dossier, w):
    """Workshop submits, enterprise approves, city accepts: the dossier is on the list."""
    shop_officer = w["shop_officer"] if dossier.unit_id == w["shop"].id else w["shop2_officer"]
    plant_officer = w["plant_officer"] if dossier.unit_id == w["shop"].id else w["plant2_officer"]
    services.submit(shop_officer, dossier)
    services.approve(plant_officer, dossier)
    services.approve(w["organizer"], dossier)
    return dossier


@pytest.fixture
def w(app):
    return build_world()


def build_world() -> dict:
    city = OrganizationFactory(name="江城市总工会")
    plant = EnterpriseFactory(parent=city, name="重型机械厂")
    shop = WorkshopFactory(parent=plant, name="焊接车间")
    plant2 = EnterpriseFactory(parent=city, name="供电公司")
    shop2 = WorkshopFactory(parent=plant2, name="检修车间")
    world = {
        "city": city,
        "plant": plant,
        "shop": shop,
        "plant2": plant2,
        "shop2": shop2,
        "organizer": UserFactory(organization=city, roles=[Role.officer], name="市总组织员"),
        "plant_officer": UserFactory(organization=plant, roles=[Role.officer], name="厂专员"),
        "plant_officer_b": UserFactory(organization=plant, roles=[Role.officer], name="厂专员乙"),
        "shop_officer": UserFactory(organization=shop, roles=[Role.officer], name="车间专员"),
        "plant2_officer": UserFactory(organization=plant2, roles=[Role.officer], name="供电专员"),
        "shop2_officer": UserFactory(organization=shop2, roles=[Role.officer], name="检修专员"),
        "admin": UserFactory(organization=city, roles=[Role.admin], name="管理员"),
        "worker": UserFactory(organization=shop2, name="李群众", mobile="13900001111"),
    }
    for i, name in enumerate(["王大力", "张红", "赵刚", "马兰"]):
        world[f"p{i}"] = UserFactory(organization=shop, name=name)
    for i, name in enumerate(["丁一", "林森"]):
        world[f"q{i}"] = UserFactory(organization=shop2, name=name)
    db.session.commit()
    return world
