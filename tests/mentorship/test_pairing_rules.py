"""Pairing, the lifecycle, suggestions and graduation, as officers, mentors and apprentices meet them."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import HonorLevel, Role, SkillLevel
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import Mentorship, MentorshipEvent, MentorshipStatus
from lms.signals import mentorship_completed
from tests.factories import (
    EnterpriseFactory,
    HonorFactory,
    MentorFactory,
    MentorshipFactory,
    ProgrammeFactory,
    UserFactory,
    WorkshopFactory,
    _local_today,
)

S = MentorshipStatus


@pytest.fixture
def world(app):
    enterprise = EnterpriseFactory()
    workshop = WorkshopFactory(parent=enterprise)
    other_enterprise = EnterpriseFactory(parent=enterprise.parent)
    officer = UserFactory(organization=enterprise, roles=[Role.officer])
    mentor = MentorFactory(organization=workshop, name="高师傅")
    apprentice = UserFactory(organization=workshop, name="小王", skill_level=SkillLevel.junior)
    with app.test_request_context():  # messages are translated for a request's locale
        yield {
            "enterprise": enterprise,
            "workshop": workshop,
            "other": other_enterprise,
            "officer": officer,
            "mentor": mentor,
            "apprentice": apprentice,
        }


def pair(world, **kwargs):
    today = _local_today()
    values = {
        "mentor": world["mentor"],
        "apprentice": world["apprentice"],
        "start_date": today,
        "planned_end": today + timedelta(days=365),
        **kwargs,
    }
    return services.create_pairing(world["officer"], **values)


def test_officer_pairs_and_both_sign_then_the_pairing_is_active_with_its_history(world):
    m = pair(world)
    assert m.status == S.proposed and "高师傅" in m.agreement
    services.sign(world["mentor"], m)
    assert m.status == S.proposed
    services.sign(world["apprentice"], m)
    assert m.status == S.active
    steps = [(e.from_status, e.to_status, e.actor_id) for e in m.events]
    assert steps == [
        (None, S.proposed, world["officer"].id),
        (S.proposed, S.active, world["apprentice"].id),
    ]


def test_officer_cannot_pair_people_outside_their_subtree(world):
    stranger = UserFactory(organization=WorkshopFactory(parent=world["other"]))
    with pytest.raises(Forbidden):
        pair(world, apprentice=stranger)


def test_worker_cannot_create_a_pairing(world):
    with pytest.raises(Forbidden):
        services.create_pairing(
            world["apprentice"],
            mentor=world["mentor"],
            apprentice=world["apprentice"],
            start_date=_local_today(),
            planned_end=_local_today() + timedelta(days=10),
        )


def test_planned_end_must_follow_the_start(world):
    with pytest.raises(Invalid) as info:
        pair(world, planned_end=_local_today())
    assert "planned_end" in info.value.errors


def test_a_person_who_is_not_a_mentor_cannot_be_one(world):
    plain = UserFactory(organization=world["workshop"])
    with pytest.raises(Invalid) as info:
        pair(world, mentor=plain)
    assert "mentor_id" in info.value.errors


def test_apprentice_has_one_open_pairing_per_programme(world):
    pair(world)
    other_mentor = MentorFactory(organization=world["workshop"])
    with pytest.raises(Conflict) as info:
        pair(world, mentor=other_mentor)
    assert "已有进行中" in info.value.message
    # In another programme the apprentice may have a second mentor.
    programme = ProgrammeFactory(organization=world["enterprise"])
    assert pair(world, mentor=other_mentor, programme=programme).programme_key == programme.id


def test_the_database_itself_refuses_a_second_open_pairing(world):
    MentorshipFactory(mentor=world["mentor"], apprentice=world["apprentice"])
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        MentorshipFactory(mentor=MentorFactory(), apprentice=world["apprentice"])
    db.session.rollback()


def test_a_finished_pairing_does_not_block_a_new_one(world):
    MentorshipFactory(mentor=world["mentor"], apprentice=world["apprentice"], status=S.completed)
    assert pair(world).status == S.proposed


def test_mentor_beyond_capacity_gets_a_clear_conflict(world):
    services.set_capacity(world["officer"], world["mentor"], 1)
    pair(world)
    with pytest.raises(Conflict) as info:
        pair(world, apprentice=UserFactory(organization=world["workshop"]))
    assert "达到上限 1 名" in info.value.message
    assert db.session.scalar(sa.select(sa.func.count(Mentorship.id))) == 1


def test_capacity_must_be_sensible(world):
    with pytest.raises(Invalid):
        services.set_capacity(world["officer"], world["mentor"], 99)


def test_apprentice_requests_and_mentor_accepts(world):
    m = services.request_mentor(world["apprentice"], mentor=world["mentor"])
    assert m.status == S.proposed and m.requested_by_apprentice
    services.accept_request(world["mentor"], m)
    assert m.status == S.active


def test_mentor_declines_a_request(world):
    m = services.request_mentor(world["apprentice"], mentor=world["mentor"])
    services.decline_request(world["mentor"], m, "今年名额已满")
    assert m.status == S.cancelled
    assert m.events[-1].note == "今年名额已满"


def test_only_the_requested_mentor_may_accept(world):
    m = services.request_mentor(world["apprentice"], mentor=world["mentor"])
    other = MentorFactory(organization=world["workshop"])
    with pytest.raises((Forbidden, NotFound)):
        services.accept_request(other, m)


@pytest.mark.parametrize(
    "start, to, who",
    [
        (S.proposed, S.active, "officer"),
        (S.active, S.completed, "officer"),
        (S.completed, S.active, "officer"),
        (S.cancelled, S.active, "officer"),
        (S.active, S.proposed, "officer"),
    ],
)
def test_a_move_not_allowed_from_the_current_status_is_a_conflict(world, start, to, who):
    m = MentorshipFactory(mentor=world["mentor"], apprentice=world["apprentice"], status=start)
    with pytest.raises(Conflict):
        services.transition(world[who], m, to, "原因")
    assert db.session.get(Mentorship, m.id).status == start


def test_pause_resume_and_who_may_cancel(world):
    m = MentorshipFactory(mentor=world["mentor"], apprentice=world["apprentice"])
    services.transition(world["mentor"], m, S.paused, "师傅出差")
    services.transition(world["mentor"], m, S.active)
    with pytest.raises(Forbidden):
        services.transition(world["apprentice"], m, S.paused)
    with pytest.raises(Forbidden):
        services.transition(world["mentor"], m, S.cancelled, "不带了")
    with pytest.raises(Invalid):
        services.transition(world["officer"], m, S.cancelled, "")
    services.transition(world["officer"], m, S.cancelled, "徒弟调岗")
    moves = db.session.scalars(
        sa.select(MentorshipEvent.to_status).where(MentorshipEvent.mentorship_id == m.id)
    ).all()
    assert moves == [S.paused, S.active, S.cancelled]


def test_strangers_cannot_see_a_pairing(world):
    m = MentorshipFactory(mentor=world["mentor"], apprentice=world["apprentice"])
    with pytest.raises(NotFound):
        services.get_mentorship(UserFactory(), m.id)


def test_suggestions_rank_same_trade_then_level_and_honours_and_say_why(world):
    workshop = world["workshop"]
    welder_star = MentorFactory(
        organization=workshop, name="甲", skill_level=SkillLevel.chief_technician
    )
    HonorFactory(user=welder_star, level=HonorLevel.national, title="全国劳动模范")
    MentorFactory(
        organization=WorkshopFactory(parent=world["enterprise"]),
        name="乙",
        skill_level=SkillLevel.technician,
    )
    MentorFactory(
        organization=workshop, name="丙", trade="电工", skill_level=SkillLevel.chief_technician
    )
    full = MentorFactory(organization=workshop, name="丁", skill_level=SkillLevel.chief_technician)
    services.set_capacity(world["officer"], full, 0)
    result = services.suggestions(world["officer"], world["apprentice"])
    names = [s.mentor.name for s in result]
    assert names[0] == "甲"
    assert names.index("乙") < names.index("丙")  # same trade beats a higher level
    assert "丁" not in names  # no place left
    top = result[0].reasons
    assert any("同工种" in r for r in top)
    assert any("全国劳动模范" in r for r in top)
    assert any("同车间" in r for r in top)
    assert any("在带 0 / 3 名" in r for r in top)


def test_suggestions_only_for_apprentices_in_scope(world):
    stranger = UserFactory(organization=WorkshopFactory(parent=world["other"]))
    with pytest.raises(NotFound):
        services.suggestions(world["officer"], stranger)


def test_graduation_needs_assessment_then_officer_and_fires_the_signal(world):
    m = MentorshipFactory(
        mentor=world["mentor"],
        apprentice=world["apprentice"],
        start_date=_local_today() - timedelta(days=400),
        planned_end=_local_today() - timedelta(days=1),
    )
    with pytest.raises(Invalid):
        services.approve_graduation(world["officer"], m)
    with pytest.raises(Forbidden):
        services.record_assessment(world["apprentice"], m, "自评优秀，可以出师")
    services.record_assessment(world["mentor"], m, "已独立完成压力容器焊接，考核合格。")
    with pytest.raises(Forbidden):
        services.approve_graduation(world["mentor"], m)
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    with mentorship_completed.connected_to(listener):
        services.approve_graduation(world["officer"], m)
    assert m.status == S.completed and not m.early_graduation
    assert m.graduation_approved_by_id == world["officer"].id
    assert received[0]["mentorship_id"] == m.id
    assert received[0]["apprentice_id"] == world["apprentice"].id
    with pytest.raises(Conflict):
        services.approve_graduation(world["officer"], m)


def test_early_graduation_needs_the_officers_explicit_approval(world):
    m = MentorshipFactory(mentor=world["mentor"], apprentice=world["apprentice"])
    services.record_assessment(world["mentor"], m, "进步很快，建议提前出师。", early=True)
    with pytest.raises(Invalid) as info:
        services.approve_graduation(world["officer"], m)
    assert "early" in info.value.errors
    services.approve_graduation(world["officer"], m, early=True)
    assert m.status == S.completed and m.early_graduation


def test_a_new_pairing_is_announced_to_be_signed(world):
    from lms.signals import mentorship_proposed

    received = []
    with mentorship_proposed.connected_to(lambda sender, **kw: received.append(kw)):
        m = pair(world)
    assert received == [
        {
            "mentorship_id": m.id,
            "mentor_id": world["mentor"].id,
            "apprentice_id": world["apprentice"].id,
            "requested_by_apprentice": False,
            "url": f"/mentorships/{m.id}",
        }
    ]
