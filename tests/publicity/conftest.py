"""A small world for the publicity tests: a federation → two enterprises → workshops, an
editor in one enterprise, a reviewer at the federation, the person a story is about, and
people who must not act on it."""

from __future__ import annotations

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from lms.publicity import services
from tests.factories import EnterpriseFactory, OrganizationFactory, UserFactory, WorkshopFactory


@pytest.fixture
def world(app):
    union = OrganizationFactory(name="总工会")
    plant = EnterpriseFactory(parent=union, name="机械厂")
    weld = WorkshopFactory(parent=plant, name="焊接车间")
    other_plant = EnterpriseFactory(parent=union, name="供电公司")
    other_shop = WorkshopFactory(parent=other_plant, name="检修车间")
    hero = UserFactory(organization=weld, name="高铁军", roles=[Role.worker, Role.mentor])
    far_hero = UserFactory(organization=other_shop, name="陈建平")
    editor = UserFactory(organization=plant, roles=[Role.officer], name="宣传编辑")
    other_editor = UserFactory(organization=other_plant, roles=[Role.officer], name="外厂编辑")
    reviewer = UserFactory(organization=union, roles=[Role.officer], name="总工会审核")
    worker = UserFactory(organization=weld, name="王小虎")
    admin = UserFactory(organization=union, roles=[Role.admin])
    db.session.commit()
    return {
        "union": union,
        "plant": plant,
        "weld": weld,
        "other_plant": other_plant,
        "hero": hero,
        "far_hero": far_hero,
        "editor": editor,
        "other_editor": other_editor,
        "reviewer": reviewer,
        "worker": worker,
        "admin": admin,
    }


@pytest.fixture
def column(world):
    return services.save_column(world["reviewer"], name="劳模风采", description="身边的劳模")


@pytest.fixture
def draft(world, column):
    return services.create_story(
        world["editor"],
        column=column,
        person=world["hero"],
        title="焊花里的青春",
        summary="从学徒到首席技师",
        body="## 起步\n\n十八岁进厂，从**学徒**做起。",
    )


def published(world, story, show_growth=True):
    services.submit(world["editor"], story)
    services.give_consent(world["hero"], story, show_growth=show_growth)
    return services.publish(world["reviewer"], story)
