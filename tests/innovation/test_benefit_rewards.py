"""Benefit figures, verification by the finance duty, the lock, rewards from the grade table
and the per-person ledger with team shares."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models import RewardLine
from tests import factories
from tests.innovation.conftest import submit


@pytest.fixture
def adopted(world):
    team = [(world["worker"].id, "70"), (world["mate"].id, "30")]
    item = submit(world["worker"], team=team)
    services.decide(world["officer"], item, "adopted", None)
    return item


@pytest.fixture
def finance(world):
    admin = factories.UserFactory(roles=["admin"])
    services.assign_finance_duty(admin, world["officer2"], world["enterprise"])
    return world["officer2"]


def test_an_officer_cannot_give_themselves_the_finance_duty(world):
    with pytest.raises(Forbidden):
        services.assign_finance_duty(world["officer"], world["officer"], world["enterprise"])


def _record(world, item, actual="120000"):
    return services.set_benefit(
        world["officer"],
        item,
        target_benefit="100000",
        forecast_benefit="110000",
        actual_benefit=actual,
        formula="(返工工时节约 × 单价) − 夹具折旧",
    )


def test_only_the_finance_duty_verifies(world, adopted, finance):
    _record(world, adopted)
    with pytest.raises(Forbidden):
        services.verify_benefit(world["officer"], adopted)  # an officer without the duty
    services.verify_benefit(finance, adopted)
    assert adopted.benefit_verified_by_id == finance.id


def test_a_benefit_verified_twice_is_refused(world, adopted, finance):
    _record(world, adopted)
    services.verify_benefit(finance, adopted)
    with pytest.raises(Conflict):
        services.verify_benefit(finance, adopted)


def test_the_actual_figure_needs_its_formula(world, adopted):
    with pytest.raises(Invalid) as caught:
        services.set_benefit(world["officer"], adopted, actual_benefit="5000", formula="")
    assert "formula" in caught.value.errors


def test_a_verified_figure_changes_only_with_a_reason_and_is_audited(world, adopted, finance):
    _record(world, adopted)
    services.verify_benefit(finance, adopted)
    with pytest.raises(Invalid) as caught:
        _record(world, adopted, actual="150000")
    assert "reason" in caught.value.errors
    assert adopted.actual_benefit == Decimal("120000.00")
    services.set_benefit(
        world["officer"],
        adopted,
        actual_benefit="150000",
        formula="(返工工时节约 × 单价) − 夹具折旧",
        reason="财务复核补入了材料节约",
    )
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "innovation.benefit_edit")
    ).one()
    assert entry.before["actual_benefit"] == "120000.00"
    assert entry.after["actual_benefit"] == "150000.00"


def test_no_reward_on_an_unverified_benefit(world, adopted):
    _record(world, adopted)
    with pytest.raises(Invalid):
        services.compute_reward(world["officer"], adopted)
    assert db.session.scalar(sa.select(sa.func.count(RewardLine.id))) == 0


def test_reward_from_the_grade_table_split_by_shares(world, adopted, finance):
    _record(world, adopted)  # 120,000: third grade by default, 2,000 yuan
    services.verify_benefit(finance, adopted)
    lines = services.compute_reward(world["officer"], adopted)
    assert {(line.user_id, line.amount) for line in lines} == {
        (world["worker"].id, Decimal("1400.00")),
        (world["mate"].id, Decimal("600.00")),
    }
    assert lines[0].grade == 3
    with pytest.raises(Conflict):
        services.compute_reward(world["officer"], adopted)
    mine = list(db.session.scalars(services.ledger_query(world["mate"])))
    assert [line.amount for line in mine] == [Decimal("600.00")]
    with pytest.raises(Conflict):
        _record(world, adopted, actual="1")  # no change after the reward (even with a reason)


def test_a_configured_grade_table_is_used(world, adopted, finance):
    admin = __import__("tests.factories", fromlist=["x"]).UserFactory(roles=["admin"])
    services.set_grade_table(
        admin,
        [
            {"grade": 1, "name": "甲等", "min_benefit": "100000", "amount": "9000"},
            {"grade": 2, "name": "乙等", "min_benefit": "1000", "amount": "100"},
        ],
    )
    _record(world, adopted)
    services.verify_benefit(finance, adopted)
    lines = services.compute_reward(world["officer"], adopted)
    assert sum(line.amount for line in lines) == Decimal("9000")
    assert lines[0].grade_name == "甲等"


def test_split_gives_the_rounding_rest_to_the_largest_share():
    parts = services.split(
        Decimal("100"), [(1, Decimal("33.33")), (2, Decimal("33.34")), (3, Decimal("33.33"))]
    )
    assert sum(p for _u, _s, p in parts) == Decimal("100")
    assert parts[1][2] == Decimal("33.34")


def test_the_export_for_payment_is_audited(world, adopted, finance):
    _record(world, adopted)
    services.verify_benefit(finance, adopted)
    services.compute_reward(world["officer"], adopted)
    data = services.export_ledger(world["officer"])
    assert data[:2] == b"PK"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.after == {"rows": 2}
