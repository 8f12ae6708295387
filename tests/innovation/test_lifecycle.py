"""A studio's annual appraisal (projects counted from its items, once a year) and its
reconfirmation (due years after naming, only after a passed appraisal)."""

from __future__ import annotations

import pytest

from lms.accounts.models import HonorKind
from lms.errors import Conflict, Invalid, NotFound
from lms.innovation import services
from lms.innovation.services import lifecycle
from tests import factories
from tests.innovation.conftest import submit


@pytest.fixture
def studio(world, clock):
    lead = factories.UserFactory(organization=world["workshop"])
    factories.HonorFactory(user=lead, kind=HonorKind.craftsman)
    studio = services.register_studio(
        world["officer"],
        name="钳工创新工作室",
        lead=lead,
        organization=world["enterprise"],
        level="city",
        year=2026,
    )
    services.decide_studio(world["officer"], studio, True, None)
    return studio


def test_the_appraisal_counts_the_years_projects(world, clock, studio):
    item = submit(world["worker"])
    services.link_innovation(world["officer"], item, studio)
    opinion = submit(world["worker"], method=None)  # an opinion does not count
    services.link_innovation(world["officer"], opinion, studio)
    with pytest.raises(Invalid):
        lifecycle.appraise(world["officer"], studio, 2027)  # not begun yet
    passed = lifecycle.appraise(world["officer"], studio, 2026)
    assert (passed.projects, passed.required, passed.passed) == (1, 1, True)
    failed = lifecycle.appraise(world["officer"], studio, 2025)
    assert (failed.projects, failed.passed) == (0, False)
    with pytest.raises(Conflict):
        lifecycle.appraise(world["officer2"], studio, 2026)
    with pytest.raises(NotFound):
        lifecycle.appraise(world["outsider"], studio, 2024)


def test_reconfirmation_is_due_after_three_years_and_a_passed_appraisal(world, clock, studio):
    item = submit(world["worker"])
    services.link_innovation(world["officer"], item, studio)
    with pytest.raises(Conflict) as exc:
        lifecycle.reconfirm(world["officer"], studio)
    assert "2029-03-01" in exc.value.message
    clock.move(days=3 * 366)
    with pytest.raises(Conflict):  # not appraised yet
        lifecycle.reconfirm(world["officer"], studio)
    lifecycle.appraise(world["officer"], studio, 2029)  # no project in 2029: failed
    with pytest.raises(Conflict):
        lifecycle.reconfirm(world["officer"], studio)
    clock.move(days=366)
    later = submit(world["worker"], title="新夹具")
    services.link_innovation(world["officer"], later, studio)
    lifecycle.appraise(world["officer"], studio, 2030)
    lifecycle.reconfirm(world["officer"], studio)
    assert lifecycle.reconfirm_due(studio).year == 2033
