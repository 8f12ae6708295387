"""Expert evaluation with the scorecard on the shared panel engine: conflicts declared before
scoring, nobody of the team evaluates, marks once, the lead closes and the total is the sum
of the criteria's means; the scorecard is configurable and copied when an evaluation opens."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from lms.accounts.models import Role
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models_awards import Declaration, EvaluationStatus
from lms.scoring.models import ScoringPanel
from tests import factories
from tests.innovation.conftest import submit

MARKS = {"technical": 24, "economic": 21, "scope": 15, "practicality": 18}


@pytest.fixture
def panel(world):
    experts = [factories.UserFactory(organization=world["enterprise"]) for _ in range(3)]
    item = submit(world["worker"])
    db.session.commit()
    evaluation = services.open_evaluation(
        world["officer"], item, [e.id for e in experts], experts[0].id
    )
    return {"item": item, "experts": experts, "evaluation": evaluation}


def test_default_scorecard_is_thirty_thirty_twenty_twenty(app):
    card = services.scorecard()
    assert [(c.code, int(c.max_mark)) for c in card] == [
        ("technical", 30),
        ("economic", 30),
        ("scope", 20),
        ("practicality", 20),
    ]


def test_an_author_or_team_member_cannot_be_an_evaluator(world):
    item = submit(world["worker"], team=[(world["worker"].id, "60"), (world["mate"].id, "40")])
    expert = factories.UserFactory(organization=world["enterprise"])
    with pytest.raises(Invalid) as exc:
        services.open_evaluation(world["officer"], item, [expert.id, world["mate"].id], expert.id)
    assert "回避" in str(exc.value.errors["evaluator_ids"][0])


def test_at_least_two_evaluators(world):
    item = submit(world["worker"])
    expert = factories.UserFactory(organization=world["enterprise"])
    with pytest.raises(Invalid) as exc:
        services.open_evaluation(world["officer"], item, [expert.id], expert.id)
    assert "evaluator_ids" in exc.value.errors


def test_nobody_scores_before_declaring(panel):
    with pytest.raises(Conflict):
        services.score(panel["experts"][1], panel["evaluation"], MARKS)


def test_a_declared_conflict_recuses_and_needs_a_reason(panel):
    expert = panel["experts"][2]
    with pytest.raises(Invalid) as exc:
        services.declare(expert, panel["evaluation"], True, "  ")
    assert "reason" in exc.value.errors
    services.declare(expert, panel["evaluation"], True, "与提交人同一班组")
    with pytest.raises(Forbidden):
        services.score(expert, panel["evaluation"], MARKS)
    with pytest.raises(Conflict):  # declared once
        services.declare(expert, panel["evaluation"], False, None)


def test_marks_outside_the_scorecard_are_refused_with_the_field(panel):
    expert = panel["experts"][1]
    services.declare(expert, panel["evaluation"], False, None)
    with pytest.raises(Invalid) as exc:
        services.score(expert, panel["evaluation"], {**MARKS, "technical": 31, "scope": "7.5"})
    assert set(exc.value.errors) == {"technical", "scope"}
    services.score(expert, panel["evaluation"], MARKS)
    with pytest.raises(Conflict):  # once
        services.score(expert, panel["evaluation"], MARKS)


def test_the_lead_closes_and_the_total_is_the_sum_of_means(panel):
    lead, second, third = panel["experts"]
    evaluation = panel["evaluation"]
    services.declare(lead, evaluation, False, None)
    services.declare(second, evaluation, False, None)
    services.score(lead, evaluation, MARKS)
    with pytest.raises(Conflict):  # the third has not declared yet
        services.close_evaluation(lead, evaluation)
    services.declare(third, evaluation, True, "是提交人的师傅")
    with pytest.raises(Conflict):  # the second has not marked yet (the engine's lock)
        services.close_evaluation(lead, evaluation)
    db.session.rollback()
    evaluation = services.get_evaluation(lead, evaluation.id)
    services.score(
        second, evaluation, {"technical": 27, "economic": 20, "scope": 16, "practicality": 19}
    )
    with pytest.raises(Forbidden):
        services.close_evaluation(second, evaluation)
    services.close_evaluation(lead, evaluation)
    assert evaluation.status == EvaluationStatus.closed
    assert evaluation.scores == {
        "technical": "25.50",
        "economic": "20.50",
        "scope": "15.50",
        "practicality": "18.50",
    }
    assert evaluation.total == Decimal("80.00")
    assert db.session.get(ScoringPanel, evaluation.panel_id).locked
    with pytest.raises(Conflict):
        services.score(third, evaluation, MARKS)


def test_recusals_below_the_minimum_need_another_evaluator(panel, world):
    lead, second, third = panel["experts"]
    evaluation = panel["evaluation"]
    services.declare(lead, evaluation, False, None)
    services.declare(second, evaluation, True, "亲属")
    services.declare(third, evaluation, True, "同一项目组")
    services.score(lead, evaluation, MARKS)
    with pytest.raises(Conflict) as exc:
        services.close_evaluation(lead, evaluation)
    assert "至少" in exc.value.message
    extra = factories.UserFactory(organization=world["enterprise"])
    services.add_evaluator(world["officer"], evaluation, extra.id, False)
    services.declare(extra, evaluation, False, None)
    services.score(extra, evaluation, MARKS)
    services.close_evaluation(lead, evaluation)
    assert evaluation.total == Decimal("78.00")


def test_a_new_lead_only_after_the_lead_recused(panel, world):
    lead = panel["experts"][0]
    evaluation = panel["evaluation"]
    extra = factories.UserFactory(organization=world["enterprise"])
    with pytest.raises(Conflict):
        services.add_evaluator(world["officer"], evaluation, extra.id, True)
    services.declare(lead, evaluation, True, "本人参与过方案讨论")
    services.add_evaluator(world["officer"], evaluation, extra.id, True)
    leads = [e.user_id for e in evaluation.evaluators if e.is_lead]
    assert leads == [extra.id]


def test_outsiders_do_not_see_an_evaluation(panel, world):
    from lms.errors import NotFound

    with pytest.raises(NotFound):
        services.get_evaluation(world["outsider"], panel["evaluation"].id)
    with pytest.raises(NotFound):
        services.get_evaluation(world["stranger"], panel["evaluation"].id)
    assert services.get_evaluation(panel["experts"][1], panel["evaluation"].id)


def test_scorecard_is_configurable_and_copied_when_an_evaluation_opens(world, panel):
    admin = factories.UserFactory(roles=[Role.admin])
    with pytest.raises(Invalid) as exc:
        services.set_scorecard(admin, [{"code": "technical", "title": "技术", "max_mark": "60"}])
    assert "100" in str(exc.value.errors["criteria"][0])
    with pytest.raises(Forbidden):
        services.set_scorecard(world["officer"], [{"code": "a", "title": "甲", "max_mark": 100}])
    services.set_scorecard(
        admin,
        [
            {"code": "innovation", "title": "创新性", "max_mark": "50"},
            {"code": "benefit", "title": "效益", "max_mark": "50"},
        ],
    )
    assert [c.code for c in services.scorecard()] == ["innovation", "benefit"]
    # the open evaluation keeps the card it opened with
    panel_row = db.session.get(ScoringPanel, panel["evaluation"].panel_id)
    assert [c.code for c in panel_row.criteria] == list(MARKS)
    assert panel["evaluation"].evaluators[0].declaration == Declaration.pending


def _login(auth, user):
    auth.logout()
    auth.login(user)


def test_the_whole_evaluation_on_the_pages(client, auth, world):
    lead, second = (factories.UserFactory(organization=world["enterprise"]) for _ in "ab")
    item = submit(world["worker"])
    db.session.commit()
    _login(auth, world["officer"])
    page = client.get(f"/innovation/{item.id}").get_data(as_text=True)
    assert "组织专家评分" in page
    client.post(
        f"/innovation/{item.id}/evaluation",
        data={
            "evaluators": f"{lead.employee_no} {second.employee_no}",
            "lead_no": lead.employee_no,
        },
    )
    evaluation = services.evaluation_of(item)
    url = f"/innovation/evaluations/{evaluation.id}"
    for expert, marks in ((lead, MARKS), (second, {**MARKS, "technical": 28})):
        _login(auth, expert)
        assert "利益冲突" in client.get(url).get_data(as_text=True)
        client.post(f"{url}/declaration", data={"conflict": "0"})
        bad = client.post(
            f"{url}/marks",
            data={
                "mark_technical": "40",
                **{"mark_" + k: v for k, v in marks.items() if k != "technical"},
            },
            follow_redirects=True,
        ).get_data(as_text=True)
        assert "0 到 30" in bad, re.findall(r"flash[^>]*>([^<]*)<", bad)
        client.post(f"{url}/marks", data={"mark_" + k: v for k, v in marks.items()})
    _login(auth, second)
    assert client.post(f"{url}/close").status_code == 403
    _login(auth, lead)
    client.post(f"{url}/close")
    _login(auth, world["worker"])
    assert client.get(url).status_code == 404  # the author reads the result on the item
    page = client.get(f"/innovation/{item.id}").get_data(as_text=True)
    assert "80.00" in page
