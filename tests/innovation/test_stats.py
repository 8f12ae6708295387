"""Statistics per organization and period: counts by kind and stage, adoption rate, median
days to answer and verified benefit, computed from the items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lms.errors import Forbidden
from lms.innovation import services
from lms.innovation.models import InnovationKind, Stage
from tests import factories
from tests.innovation.conftest import submit


def test_figures_are_computed_from_the_items(world, clock):
    officer = world["officer"]
    answered = []
    for days, outcome in ((10, "adopted"), (20, "not_adopted"), (30, "trial")):
        item = submit(world["worker"], kind="technical", title=f"项目{days}")
        clock.move(days=days)
        services.decide(officer, item, outcome, "理由")
        clock.move(days=-days)
        answered.append(item)
    submit(world["worker"], title="等待中")
    submit(world["worker"], method=None, title="意见")
    admin = factories.UserFactory(roles=["admin"])
    services.assign_finance_duty(admin, world["officer2"], world["enterprise"])
    services.set_benefit(officer, answered[0], actual_benefit="12345.60", formula="f")
    services.verify_benefit(world["officer2"], answered[0])
    services.set_benefit(officer, answered[2], actual_benefit="99999", formula="f")  # unverified

    stats = services.compute_stats(
        officer, world["enterprise"], date(2026, 1, 1), date(2026, 12, 31)
    )
    assert stats.total == 5
    assert stats.by_kind[InnovationKind.technical][Stage.adopted] == 1
    assert stats.by_stage[Stage.review] == 1 and stats.by_stage[Stage.opinion] == 1
    assert stats.adoption_rate == pytest.approx(2 / 3)
    assert stats.median_days == 20.0
    assert stats.verified_benefit == Decimal("12345.60")

    before = services.compute_stats(
        officer, world["enterprise"], date(2025, 1, 1), date(2025, 12, 31)
    )
    assert before.total == 0 and before.adoption_rate is None and before.median_days is None


def test_statistics_of_another_enterprise_are_refused(world):
    with pytest.raises(Forbidden):
        services.compute_stats(
            world["outsider"], world["enterprise"], date(2026, 1, 1), date(2026, 12, 31)
        )
