"""The care duty and the care file: only the care team of the person's scope reads it,
every read of someone else's file is audited, and the person sees their own without the
internal notes."""

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.care import services
from lms.care.models import CareDuty
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from tests.care.conftest import give_duty
from tests.factories import UserFactory


def _reads(person):
    return db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.action == "care.file.read", AuditEntry.entity_id == person.id
        )
    ).all()


def test_care_officer_reads_a_file_in_scope_and_the_read_is_audited(world):
    services.record_situation(world["carer"], world["hero"], housing="自有住房", internal=True)
    f = services.care_file(world["carer"], world["hero"].id)
    assert f.person.id == world["hero"].id and not f.own
    assert f.situation.housing == "自有住房"
    [entry] = _reads(world["hero"])
    assert entry.actor_id == world["carer"].id
    assert entry.organization_id == world["hero"].organization_id


@pytest.mark.parametrize("who", ["officer", "mentor", "worker", "hero2"])
def test_people_without_the_duty_do_not_find_a_file(world, who):
    with pytest.raises(NotFound):
        services.care_file(world[who], world["hero"].id)
    assert _reads(world["hero"]) == []


def test_a_duty_covers_its_subtree_only(world):
    with pytest.raises(NotFound):
        services.care_file(world["carer"], world["far_hero"].id)
    assert services.care_file(world["union_carer"], world["far_hero"].id).person
    assert services.care_file(world["admin"], world["far_hero"].id).person


def test_a_duty_is_void_without_the_officer_role(world):
    holder = UserFactory(organization=world["plant"], roles=["worker"])
    give_duty(holder, world["plant"])
    with pytest.raises(NotFound):
        services.care_file(holder, world["hero"].id)


def test_a_person_without_an_honour_has_no_file(world):
    with pytest.raises(NotFound):
        services.care_file(world["carer"], world["worker"].id)
    with pytest.raises(NotFound):
        services.care_file(world["worker"], world["worker"].id)


def test_the_person_sees_their_own_file_without_internal_entries_and_unaudited(world):
    carer, hero = world["carer"], world["hero"]
    services.record_situation(carer, hero, housing="公开的住房情况")
    services.record_situation(carer, hero, family="内部：家属病重", internal=True)
    services.open_case(
        carer, hero, need="illness", help_kind="special_hardship", title="内部案件", internal=True
    )
    case = services.open_case(
        carer, hero, need="housing", help_kind="living_subsidy", title="住房修缮"
    )
    services.add_step(carer, case, text="内部跟进", due_on=services.local_today(), internal=True)
    services.add_step(carer, case, text="联系房管所", due_on=services.local_today())
    own = services.care_file(hero, hero.id)
    assert own.own
    assert own.situation.housing == "公开的住房情况"
    titles = " ".join(e.title for e in own.timeline)
    assert "住房修缮" in titles and "联系房管所" in titles
    assert "内部" not in titles
    assert own.open_cases == 1
    assert _reads(hero) == []
    full = services.care_file(carer, hero.id)
    assert "内部案件" in " ".join(e.title for e in full.timeline)
    assert full.situation.family == "内部：家属病重"


def test_admin_grants_and_revokes_a_duty_with_audit(world):
    officer = world["officer"]
    duty = services.grant_duty(world["admin"], officer, world["plant"])
    assert services.care_file(officer, world["hero"].id)
    services.revoke_duty(world["admin"], duty)
    assert db.session.get(CareDuty, duty.id) is None
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"care.duty.grant", "care.duty.revoke"} <= actions


def test_a_duty_holder_grants_below_their_level_only(world):
    union_carer, carer, officer = world["union_carer"], world["carer"], world["officer"]
    # The union's care officer may give the enterprise's duty; the enterprise's may not.
    with pytest.raises(Forbidden):
        services.grant_duty(carer, officer, world["plant"])
    services.grant_duty(carer, officer, world["weld"])
    with pytest.raises(Conflict):
        services.grant_duty(carer, officer, world["weld"])
    services.grant_duty(union_carer, officer, world["plant"])
    # A peer cannot take away the union's duty, nor another enterprise-level duty.
    union_duty = db.session.scalar(sa.select(CareDuty).where(CareDuty.user_id == union_carer.id))
    with pytest.raises(Forbidden):
        services.revoke_duty(carer, union_duty)


def test_only_officers_receive_a_duty(world):
    with pytest.raises(Invalid):
        services.grant_duty(world["admin"], world["worker"], world["plant"])


def test_people_list_is_limited_to_the_duty_and_searchable(world):
    names = {u.name for u in db.session.scalars(services.people_query(world["carer"]))}
    assert names == {"高铁军", "赵玉兰"}
    found = db.session.scalars(services.people_query(world["carer"], q="铁军")).all()
    assert [u.name for u in found] == ["高铁军"]
    with pytest.raises(Forbidden):
        services.people_query(world["officer"])
