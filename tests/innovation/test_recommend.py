"""Recommended upward: only adopted items or described operation methods, by an officer of
their scope and not of their team; the outcome with its level and prize money recorded once
and shown on the author's and the studio's pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lms.accounts.models import HonorKind
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models_awards import Outcome
from lms.innovation.services import recommend
from tests import factories
from tests.innovation.conftest import submit

AWARD = {"award": "省十佳职工创新成果", "awarding_body": "省总工会", "year": 2026}


@pytest.fixture
def adopted(world):
    item = submit(world["worker"])
    services.decide(world["officer"], item, "adopted", None)
    return item


def test_only_an_adopted_item_is_recommended(world):
    item = submit(world["worker"])
    with pytest.raises(Invalid) as exc:
        recommend.recommend(world["officer"], kind="item", item=item, **AWARD)
    assert "item_id" in exc.value.errors


def test_workers_and_outsiders_cannot_recommend(world, adopted):
    with pytest.raises(Forbidden):
        recommend.recommend(world["worker"], kind="item", item=adopted, **AWARD)
    with pytest.raises(NotFound):
        recommend.recommend(world["outsider"], kind="item", item=adopted, **AWARD)


def test_the_same_award_of_the_same_year_once(world, adopted):
    recommend.recommend(world["officer"], kind="item", item=adopted, **AWARD)
    with pytest.raises(Conflict):
        recommend.recommend(world["officer2"], kind="item", item=adopted, **AWARD)
    recommend.recommend(world["officer"], kind="item", item=adopted, **{**AWARD, "year": 2027})


def test_a_method_needs_its_title_summary_and_an_author_in_scope(world):
    with pytest.raises(Invalid) as exc:
        recommend.recommend(world["officer"], kind="method", author=world["worker"], **AWARD)
    assert "title" in exc.value.errors
    other = factories.UserFactory(organization=world["other"])
    with pytest.raises(Invalid) as exc:
        recommend.recommend(
            world["officer"], kind="method", title="操作法", summary="要点", author=other, **AWARD
        )
    assert "author_id" in exc.value.errors


def test_the_outcome_is_recorded_once_with_its_money(world, adopted):
    rec = recommend.recommend(world["officer"], kind="item", item=adopted, **AWARD)
    with pytest.raises(Invalid) as exc:
        recommend.record_outcome(world["officer"], rec, True, "", "1000")
    assert "outcome_level" in exc.value.errors
    with pytest.raises(Invalid):
        recommend.record_outcome(world["officer"], rec, True, "一等奖", "-5")
    with pytest.raises(NotFound):
        recommend.record_outcome(world["outsider"], rec, True, "一等奖", "1000")
    recommend.record_outcome(world["officer"], rec, True, "一等奖", "10000")
    assert (rec.outcome, rec.prize_money) == (Outcome.won, Decimal("10000.00"))
    with pytest.raises(Conflict):
        recommend.record_outcome(world["officer2"], rec, False, None, None)


def test_shown_on_the_authors_and_the_studios_pages(client, auth, world, adopted):
    lead = factories.UserFactory(organization=world["workshop"])
    factories.HonorFactory(user=lead, kind=HonorKind.model_worker)
    studio = services.register_studio(
        world["officer"],
        name="焊接创新工作室",
        lead=lead,
        organization=world["enterprise"],
        level="city",
        year=2026,
    )
    services.decide_studio(world["officer"], studio, True, None)
    services.link_innovation(world["officer"], adopted, studio)
    rec = recommend.recommend(world["officer"], kind="item", item=adopted, **AWARD)
    recommend.record_outcome(world["officer"], rec, True, "二等奖", "5000")
    recommend.recommend(
        world["officer"],
        kind="method",
        title="三步控温操作法",
        summary="预热、层间、焊后控温",
        author=lead,
        studio=studio,
        **AWARD,
    )
    db.session.commit()
    auth.login(world["worker"])
    mine = client.get("/innovation/").get_data(as_text=True)
    assert "省十佳职工创新成果" in mine and "5000.00" in mine
    assert "三步控温操作法" not in mine
    page = client.get(f"/innovation/studios/{studio.id}").get_data(as_text=True)
    assert "三步控温操作法" in page and "二等奖" in page
    assert client.get("/innovation/recommendations/new").status_code == 403
    auth.logout()
    auth.login(world["officer"])
    response = client.post(
        "/innovation/recommendations/new",
        data={
            "kind": "method",
            "award": "市先进操作法",
            "awarding_body": "市总工会",
            "year": "2026",
            "studio_id": "0",
        },
    )
    assert "请填写先进操作法的名称" in response.get_data(as_text=True)
