"""Labour competitions: indicators, periodic results, ranking and person-times."""

from decimal import Decimal

import pytest

from lms.accounts.models import Role
from lms.competitions import labour
from lms.errors import Conflict, Forbidden, Invalid
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory


@pytest.fixture
def setup(app):
    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officer = UserFactory(organization=plant, roles=[Role.officer])
    competition = labour.create(officer, plant, "四季度安全生产劳动竞赛")
    output = labour.add_indicator(officer, competition, "产量", 60)
    defects = labour.add_indicator(officer, competition, "次品数", 40, higher_is_better=False)
    return plant, shop, officer, competition, output, defects


def test_ranking_scales_to_the_best_and_counts_person_times(setup):
    plant, shop, officer, competition, output, defects = setup
    a = labour.add_entrant(officer, competition, team="一班", members=5)
    b = labour.add_entrant(officer, competition, team="二班", members=4)
    c = labour.add_entrant(officer, competition, person=UserFactory(organization=shop))
    for entrant, out, bad in ((a, 100, 2), (b, 50, 1), (c, 100, 2)):
        labour.enter_result(officer, entrant, output, "2026-10", out)
        labour.enter_result(officer, entrant, defects, "2026-10", bad)
    labour.enter_result(officer, a, output, "2026-11", 10)
    rows = labour.ranking(competition, "2026-10")
    # a, c: 60 + 40×1/2 = 80; b: 30 + 40 = 70
    assert [(r.entrant.id, r.score, r.rank) for r in rows] == [
        (a.id, Decimal("80.00"), 1),
        (c.id, Decimal("80.00"), 1),
        (b.id, Decimal("70.00"), 3),
    ]
    overall = labour.ranking(competition)
    assert overall[0].entrant.id == a.id and overall[0].score == Decimal("80.00")
    # October: 5 + 4 + 1; November: a's 5
    assert labour.person_times(competition) == 15


def test_results_entered_once_per_period_by_officers_in_scope(setup):
    plant, shop, officer, competition, output, defects = setup
    a = labour.add_entrant(officer, competition, team="一班", members=3)
    labour.enter_result(officer, a, output, "2026-10", 10)
    with pytest.raises(Conflict):
        labour.enter_result(officer, a, output, "2026-10", 12)
    stranger = UserFactory(organization=EnterpriseFactory(), roles=[Role.officer])
    with pytest.raises(Forbidden):
        labour.enter_result(stranger, a, output, "2026-11", 12)
    with pytest.raises(Invalid):
        labour.add_entrant(officer, competition, team="x", person=UserFactory(organization=shop))
