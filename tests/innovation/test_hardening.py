"""Hardening: officers never decide, value or reward their own (or their team's) items;
NaN and Infinity are not numbers of money or shares; a studio lead is one of the officer's
own people, and an outsider's honours are not revealed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lms.accounts.models import HonorKind
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models import Innovation, LedgerEntry, RewardLine, Stage, Studio
from tests import factories
from tests.innovation.conftest import submit

FORMULA = "(返工工时节约 × 单价) − 夹具折旧"


def _give_finance_duty(*officers, organization):
    admin = factories.UserFactory(roles=["admin"])
    for officer in officers:
        services.assign_finance_duty(admin, officer, organization)


# --- 1. an officer never decides, values or rewards their own items -----------------------


def test_an_officer_cannot_decide_their_own_item_through_the_api(client, auth, world):
    item = submit(world["officer"], title="自己的建议")
    item_id = item.id
    auth.login(world["officer"])
    response = client.post(
        f"/api/v1/innovation/items/{item_id}/decision", json={"outcome": "adopted"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Innovation, item_id).stage == Stage.review
    auth.logout()
    auth.login(world["officer2"])
    other = client.post(f"/api/v1/innovation/items/{item_id}/decision", json={"outcome": "adopted"})
    assert other.status_code == 200 and other.get_json()["stage"] == "adopted"


def test_a_team_member_officer_cannot_decide_the_item(world):
    item = submit(world["worker"], team=[(world["worker"].id, "60"), (world["officer"].id, "40")])
    with pytest.raises(Forbidden):
        services.decide(world["officer"], item, "adopted", None)
    assert item.stage == Stage.review
    services.decide(world["officer2"], item, "adopted", None)
    assert item.stage == Stage.adopted


def test_an_author_officer_cannot_value_verify_or_reward_their_item(world):
    author, other = world["officer"], world["officer2"]
    _give_finance_duty(author, other, organization=world["enterprise"])
    item = submit(author, title="自己的技改")
    services.decide(other, item, "adopted", None)
    with pytest.raises(Forbidden):
        services.set_benefit(author, item, actual_benefit="120000", formula=FORMULA)
    assert item.actual_benefit is None
    services.set_benefit(other, item, actual_benefit="120000", formula=FORMULA)
    with pytest.raises(Forbidden):
        services.verify_benefit(author, item)
    assert item.benefit_verified_at is None
    services.verify_benefit(other, item)
    with pytest.raises(Forbidden):
        services.compute_reward(author, item)
    assert db.session.scalar(sa.select(sa.func.count(RewardLine.id))) == 0
    assert services.compute_reward(other, item)


def test_a_team_member_officer_cannot_reward_the_item(world):
    member, other = world["officer"], world["officer2"]
    _give_finance_duty(member, other, organization=world["enterprise"])
    item = submit(world["worker"], team=[(world["worker"].id, "50"), (member.id, "50")])
    services.decide(other, item, "adopted", None)
    services.set_benefit(other, item, actual_benefit="120000", formula=FORMULA)
    with pytest.raises(Forbidden):
        services.verify_benefit(member, item)
    services.verify_benefit(other, item)
    with pytest.raises(Forbidden):
        services.compute_reward(member, item)
    assert db.session.scalar(sa.select(sa.func.count(RewardLine.id))) == 0


# --- 2. NaN and Infinity are refused as Invalid, never a crash ----------------------------


@pytest.mark.parametrize("share", ["NaN", "nan", "Infinity", "-Infinity", "sNaN"])
def test_a_share_that_is_not_a_number_is_invalid(world, share):
    with pytest.raises(Invalid) as caught:
        submit(world["worker"], team=[(world["worker"].id, share), (world["mate"].id, "100")])
    assert "team" in caught.value.errors
    assert db.session.scalar(sa.select(sa.func.count(Innovation.id))) == 0


def test_a_nan_share_on_the_form_is_an_answer_not_a_crash(client, auth, world):
    auth.login(world["worker"])
    response = client.post(
        "/innovation/new",
        data={
            "kind": "suggestion",
            "title": "t",
            "problem": "p",
            "method": "m",
            "team": f"{world['worker'].employee_no} NaN\n{world['mate'].employee_no} 100",
        },
    )
    assert response.status_code < 500
    page = response.get_data(as_text=True)
    assert "贡献比例须为数字" in page
    assert db.session.scalar(sa.select(sa.func.count(Innovation.id))) == 0


@pytest.mark.parametrize("figure", ["NaN", "Infinity", "-Infinity", "sNaN"])
@pytest.mark.parametrize("field", ["target_benefit", "forecast_benefit", "actual_benefit"])
def test_a_benefit_figure_that_is_not_a_number_is_invalid(world, field, figure):
    item = submit(world["worker"])
    services.decide(world["officer"], item, "adopted", None)
    with pytest.raises(Invalid) as caught:
        services.set_benefit(world["officer"], item, formula=FORMULA, **{field: figure})
    assert field in caught.value.errors
    db.session.expire_all()
    assert getattr(db.session.get(Innovation, item.id), field) is None


def _named_studio(world):
    factories.HonorFactory(user=world["mate"], kind=HonorKind.craftsman)
    studio = services.register_studio(
        world["officer"],
        name="创新一号",
        lead=world["mate"],
        organization=world["enterprise"],
        level="enterprise",
        year=2026,
    )
    services.decide_studio(world["officer"], studio, True, None)
    services.add_entry(world["officer"], studio, "grant", "5000", "拨款")
    return studio


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_ledger_amount_that_is_not_a_number_is_invalid(world, amount):
    studio = _named_studio(world)
    with pytest.raises(Invalid) as caught:
        services.add_entry(world["officer"], studio, "spending", amount, "支出")
    assert "amount" in caught.value.errors
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == 1
    assert db.session.get(Studio, studio.id).balance == 5000


def test_a_nan_ledger_amount_on_the_form_is_an_answer_not_a_crash(client, auth, world):
    studio = _named_studio(world)
    studio_id = studio.id
    auth.login(world["officer"])
    response = client.post(
        f"/innovation/studios/{studio_id}/ledger",
        data={"kind": "spending", "amount": "NaN", "description": "支出"},
    )
    assert response.status_code < 500
    page = client.post(
        f"/innovation/studios/{studio_id}/ledger",
        data={"kind": "spending", "amount": "NaN", "description": "支出"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert "金额" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == 1
    assert db.session.get(Studio, studio_id).balance == 5000


def test_a_nan_ledger_amount_through_the_api_is_422(client, auth, world):
    studio = _named_studio(world)
    studio_id = studio.id
    auth.login(world["officer"])
    response = client.post(
        f"/api/v1/innovation/studios/{studio_id}/ledger",
        json={"kind": "spending", "amount": "NaN", "description": "支出"},
    )
    assert response.status_code == 422, response.get_data(as_text=True)


# --- 3. a studio lead from another enterprise is not found, honour or not ----------------


def _register_with_lead(client, world, lead):
    return client.post(
        "/api/v1/innovation/studios",
        json={
            "name": "越界工作室",
            "lead_id": lead.id,
            "organization_id": world["enterprise"].id,
            "level": "enterprise",
            "year": 2026,
        },
    )


def test_a_lead_from_another_enterprise_is_not_found_honour_or_not(client, auth, world):
    honoured = factories.UserFactory(organization=world["other"])
    factories.HonorFactory(user=honoured, kind=HonorKind.model_worker)
    plain = factories.UserFactory(organization=world["other"])
    auth.login(world["officer"])
    with_honour = _register_with_lead(client, world, honoured)
    without_honour = _register_with_lead(client, world, plain)
    assert with_honour.status_code == 404
    assert without_honour.status_code == 404
    assert with_honour.get_json() == without_honour.get_json()
    assert db.session.scalar(sa.select(sa.func.count(Studio.id))) == 0


def test_register_studio_refuses_an_outside_lead_before_looking_at_honours(world):
    honoured = factories.UserFactory(organization=world["other"])
    factories.HonorFactory(user=honoured, kind=HonorKind.model_worker)
    plain = factories.UserFactory(organization=world["other"])
    for lead in (honoured, plain):
        with pytest.raises(NotFound):
            services.register_studio(
                world["officer"],
                name="越界工作室",
                lead=lead,
                organization=world["enterprise"],
                level="enterprise",
                year=2026,
            )
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Studio.id))) == 0
