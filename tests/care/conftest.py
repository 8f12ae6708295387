"""A small world for the care tests: a federation → enterprise → workshop, honoured
people, a care officer with the duty, and people who must not see the files."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lms.accounts.models import HonorLevel, Role
from lms.care.models import CareDuty
from lms.extensions import db
from tests.factories import (
    EnterpriseFactory,
    HonorFactory,
    MentorFactory,
    OrganizationFactory,
    UserFactory,
    WorkshopFactory,
)


def local_today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def give_duty(officer, organization):
    duty = CareDuty(user_id=officer.id, organization_id=organization.id)
    db.session.add(duty)
    db.session.flush()
    return duty


@pytest.fixture
def world(app):
    union = OrganizationFactory(name="总工会")
    plant = EnterpriseFactory(parent=union, name="机械厂")
    weld = WorkshopFactory(parent=plant, name="焊接车间")
    other_plant = EnterpriseFactory(parent=union, name="供电公司")
    other_shop = WorkshopFactory(parent=other_plant, name="检修车间")
    hero = UserFactory(organization=weld, name="高铁军")
    HonorFactory(user=hero, level=HonorLevel.national, year=2020)
    hero2 = UserFactory(organization=weld, name="赵玉兰")
    HonorFactory(user=hero2, level=HonorLevel.city, year=2021)
    far_hero = UserFactory(organization=other_shop, name="陈建平")
    HonorFactory(user=far_hero, level=HonorLevel.provincial, year=2019)
    union_carer = UserFactory(organization=union, roles=[Role.officer], name="总工会关爱专员")
    give_duty(union_carer, union)
    carer = UserFactory(organization=plant, roles=[Role.officer], name="关爱专员")
    give_duty(carer, plant)
    officer = UserFactory(organization=plant, roles=[Role.officer], name="培训专员")
    mentor = MentorFactory(organization=weld)
    worker = UserFactory(organization=weld)
    admin = UserFactory(organization=union, roles=[Role.admin])
    db.session.commit()
    return {
        "union": union,
        "plant": plant,
        "weld": weld,
        "other_plant": other_plant,
        "other_shop": other_shop,
        "hero": hero,
        "hero2": hero2,
        "far_hero": far_hero,
        "union_carer": union_carer,
        "carer": carer,
        "officer": officer,
        "mentor": mentor,
        "worker": worker,
        "admin": admin,
    }
