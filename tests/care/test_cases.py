"""Hardship cases: steps with due dates, the ledger, the one check-up subsidy a year."""

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.care import services
from lms.care.models import CaseStatus, CaseStep, HelpPayment
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db


@pytest.fixture
def case(world):
    return services.open_case(
        world["carer"],
        world["hero"],
        need="medical_insurance",
        help_kind="special_hardship",
        title="企业破产后医保断缴",
    )


def test_opening_a_case_checks_kinds_and_scope(world):
    with pytest.raises(Invalid) as exc:
        services.open_case(world["carer"], world["hero"], need="luck", help_kind="x", title="")
    assert set(exc.value.errors) == {"need", "help_kind", "title"}
    with pytest.raises(NotFound):
        services.open_case(
            world["carer"], world["far_hero"], need="housing", help_kind="living_subsidy", title="t"
        )


def test_a_step_due_in_the_past_is_refused_and_nothing_is_written(world, case):
    yesterday = services.local_today() - timedelta(days=1)
    with pytest.raises(Invalid) as exc:
        services.add_step(world["carer"], case, text="走访社保局", due_on=yesterday)
    assert "不能早于今天" in exc.value.errors["due_on"][0]
    assert db.session.scalar(sa.select(sa.func.count(CaseStep.id))) == 0


def test_steps_are_done_and_the_case_closed_with_an_outcome(world, case):
    step = services.add_step(
        world["carer"], case, text="协调社保补缴", due_on=services.local_today() + timedelta(days=7)
    )
    services.complete_step(world["carer"], step, note="已补缴")
    with pytest.raises(Conflict):
        services.complete_step(world["carer"], step)
    with pytest.raises(Invalid):
        services.close_case(world["carer"], case, "")
    services.close_case(world["carer"], case, "医保已恢复")
    assert case.status == CaseStatus.closed
    with pytest.raises(Conflict):
        services.add_step(world["carer"], case, text="x", due_on=services.local_today())


@pytest.mark.parametrize(
    "amount", ["-5", "0", "abc", "200000.01", "1e9", "12.345", "NaN", "Infinity"]
)
def test_absurd_amounts_are_refused_and_nothing_is_written(world, case, amount):
    with pytest.raises(Invalid) as exc:
        services.record_payment(world["carer"], case, amount=amount)
    assert exc.value.errors["amount"]
    assert db.session.scalar(sa.select(sa.func.count(HelpPayment.id))) == 0


def test_payments_are_kept_as_decimals_by_kind_and_year(world, case):
    p = services.record_payment(world["carer"], case, amount="2000.50")
    assert p.amount == Decimal("2000.50") and p.year == services.local_today().year
    assert p.kind.value == "special_hardship"


def test_a_second_checkup_subsidy_in_the_same_year_is_refused(world, case):
    carer, hero = world["carer"], world["hero"]
    services.record_payment(carer, case, amount="800", kind="checkup_subsidy")
    other = services.open_case(carer, hero, need="illness", help_kind="checkup_subsidy", title="t")
    with pytest.raises(Conflict) as exc:
        services.record_payment(carer, other, amount="800")
    assert "每年只能发放一次" in exc.value.message
    assert db.session.scalar(sa.select(sa.func.count(HelpPayment.id))) == 1
    # Other kinds and other people are not affected.
    services.record_payment(carer, other, amount="500", kind="living_subsidy")
    hero2_case = services.open_case(
        carer, world["hero2"], need="illness", help_kind="checkup_subsidy", title="t"
    )
    services.record_payment(carer, hero2_case, amount="800")
    last_year = services.local_today().replace(year=services.local_today().year - 1, day=1)
    services.record_payment(carer, other, amount="800", paid_on=last_year)


def test_the_database_refuses_a_second_checkup_subsidy_whatever_the_path(world, case):
    from sqlalchemy.exc import IntegrityError

    today = services.local_today()
    row = dict(
        person_id=case.person_id,
        organization_id=case.organization_id,
        kind="checkup_subsidy",
        amount=Decimal("100"),
        year=today.year,
        paid_on=today,
    )
    db.session.add(HelpPayment(**row))
    db.session.flush()
    db.session.add(HelpPayment(**row))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_overdue_filter_and_reminder_candidates(world, case):
    step = services.add_step(world["carer"], case, text="回访", due_on=services.local_today())
    db.session.get(CaseStep, step.id).due_on = services.local_today() - timedelta(days=2)
    db.session.commit()
    overdue = db.session.scalars(
        services.cases_query(world["carer"], services.CaseFilter(overdue=True))
    ).all()
    assert [c.id for c in overdue] == [case.id]
    assert [s.id for s in services.steps_to_remind()] == [step.id]
