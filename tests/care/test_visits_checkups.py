"""Visits and health check-ups."""

from datetime import timedelta

import pytest

from lms.care import services
from lms.care.models import Checkup, VisitStatus
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import care_checkup_booked


def test_a_visit_is_planned_then_recorded_with_who_went_and_what_was_given(world):
    carer, hero = world["carer"], world["hero"]
    with pytest.raises(Invalid):
        services.plan_visit(
            carer, hero, occasion="holiday", planned_on=services.local_today() - timedelta(days=1)
        )
    visit = services.plan_visit(
        carer, hero, occasion="holiday", planned_on=services.local_today() + timedelta(days=3)
    )
    with pytest.raises(Invalid) as exc:
        services.record_visit(carer, visit, visited_on=None, visitors="")
    assert "visitors" in exc.value.errors
    services.record_visit(
        carer,
        visit,
        visited_on=services.local_today(),
        visitors="工会主席、关爱专员",
        given="慰问金 500 元",
    )
    assert visit.status == VisitStatus.done
    with pytest.raises(Conflict):
        services.cancel_visit(carer, visit)
    timeline = services.care_file(hero, hero.id).timeline
    assert any(e.kind == "visit" and "慰问金" in e.detail for e in timeline)


def test_visits_out_of_scope_are_not_found(world):
    visit = services.plan_visit(
        world["union_carer"],
        world["far_hero"],
        occasion="illness",
        planned_on=services.local_today(),
    )
    with pytest.raises(NotFound):
        services.get_visit(world["carer"], visit.id)


@pytest.fixture
def batch(world):
    return services.create_batch(
        world["union_carer"],
        world["union"],
        name="年度劳模体检",
        year=services.local_today().year,
        levels=["national", "provincial"],
    )


def test_a_batch_takes_the_eligible_people_by_honour_level(world, batch):
    people = {c.person_id for c in batch.checkups}
    assert people == {world["hero"].id, world["far_hero"].id}  # hero2 is city level
    assert services.add_eligible(world["union_carer"], batch) == 2
    db.session.expire_all()
    assert len(db.session.get(type(batch), batch.id).checkups) == 2


def test_a_batch_needs_a_level_and_a_sensible_year(world):
    with pytest.raises(Invalid) as exc:
        services.create_batch(world["carer"], world["plant"], name="x", year=1999, levels=[])
    assert set(exc.value.errors) == {"year", "levels"}


def test_appointment_and_attendance_and_the_booking_signal(world, batch):
    checkup = next(c for c in batch.checkups if c.person_id == world["hero"].id)
    sent = []
    with care_checkup_booked.connected_to(lambda s, **kw: sent.append(kw)):
        services.book(world["union_carer"], checkup, services.local_today() + timedelta(days=5))
    assert sent == [{"checkup_id": checkup.id, "batch_id": batch.id, "person_id": world["hero"].id}]
    with pytest.raises(Invalid):
        services.book(world["union_carer"], checkup, services.local_today() - timedelta(days=1))
    services.record_checkup(world["union_carer"], checkup, services.local_today(), "血压偏高")
    assert db.session.get(Checkup, checkup.id).done


def test_outside_the_care_team_only_done_or_not_done_is_shown(world, batch):
    checkup = next(c for c in batch.checkups if c.person_id == world["hero"].id)
    services.record_checkup(world["union_carer"], checkup, services.local_today(), "血压偏高")
    found, rows = services.status_view(world["officer"], batch.id)
    assert [(r.name, r.done) for r in rows] == [("高铁军", True)]  # the plant's people only
    assert not hasattr(rows[0], "result_note")
    with pytest.raises(NotFound):
        services.status_view(world["worker"], batch.id)
    with pytest.raises(NotFound):
        services.get_batch(world["officer"], batch.id)
    # The person sees their own check-up in their file, without the result.
    own = services.care_file(world["hero"], world["hero"].id)
    [entry] = [e for e in own.timeline if e.kind == "checkup"]
    assert "已体检" in entry.title and "血压" not in entry.detail
