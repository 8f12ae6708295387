"""Studios: a qualifying lead, naming and revocation with reasons, the append-only ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lms.accounts.models import HonorKind
from lms.errors import Conflict, Invalid, NotFound
from lms.innovation import services
from lms.innovation.models import StudioStatus
from tests import factories
from tests.innovation.conftest import submit


def _studio(world, lead=None, **kw):
    lead = lead or world["worker"]
    return services.register_studio(
        world["officer"],
        name=kw.pop("name", "李师傅焊接创新工作室"),
        lead=lead,
        organization=world["enterprise"],
        level="city",
        year=2026,
        trade="焊工",
        member_ids=[world["mate"].id],
        **kw,
    )


def test_a_lead_without_a_qualifying_honour_is_refused(world):
    factories.HonorFactory(user=world["worker"], kind=HonorKind.technical_expert, title="技术能手")
    with pytest.raises(Invalid) as caught:
        _studio(world)
    assert "lead_id" in caught.value.errors


def test_a_configured_title_qualifies(world, app):
    factories.HonorFactory(user=world["worker"], kind=HonorKind.technical_expert, title="技术能手")
    app.config["INNOVATION_STUDIO_LEAD_TITLES"] = ["技术能手"]
    assert _studio(world).status == StudioStatus.applied


def test_naming_revocation_and_ledger(world):
    factories.HonorFactory(user=world["worker"], kind=HonorKind.model_worker)
    studio = _studio(world)
    assert {m.user_id for m in studio.members} == {world["worker"].id, world["mate"].id}
    with pytest.raises(Conflict):
        services.add_entry(world["officer"], studio, "grant", "5000", "拨款")  # not named yet
    services.decide_studio(world["officer"], studio, True, None)
    grant = services.add_entry(world["officer"], studio, "grant", "5000", "市级工作室拨款")
    services.add_entry(world["officer"], studio, "spending", "1200.50", "购买焊接试板")
    with pytest.raises(Invalid) as caught:
        services.add_entry(world["officer"], studio, "spending", "4000", "设备")
    assert "余额不足" in caught.value.errors["amount"][0]
    assert studio.balance == Decimal("3799.50")
    fix = services.add_entry(
        world["officer"], studio, "spending", "500", "更正：多记拨款", grant.id
    )
    assert fix.corrects_id == grant.id and fix.balance_after == Decimal("3299.50")
    with pytest.raises(Invalid):
        services.revoke_studio(world["officer"], studio, "")
    services.revoke_studio(world["officer"], studio, "连续两年未完成创新项目")
    assert studio.status == StudioStatus.revoked and studio.reason


def test_a_studio_shows_its_innovations_and_applications_stay_private(world):
    factories.HonorFactory(user=world["worker"], kind=HonorKind.craftsman)
    studio = _studio(world)
    with pytest.raises(NotFound):
        services.get_studio(world["stranger"], studio.id)
    services.decide_studio(world["officer"], studio, True, None)
    assert services.get_studio(world["stranger"], studio.id) is studio
    item = submit(world["worker"])
    services.link_innovation(world["officer"], item, studio)
    assert services.studio_innovations(studio) == [item]
