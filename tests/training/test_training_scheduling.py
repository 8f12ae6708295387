"""Scheduling one-off and weekly sessions, conflicts, editing a series, cancelling."""

from datetime import date, datetime, timedelta

import pytest

from lms.accounts.models import Role
from lms.errors import Conflict, Forbidden, Invalid
from lms.signals import session_cancelled, session_rescheduled, session_scheduled
from lms.timeutil import local_datetime, to_local
from lms.training import services
from lms.training.models import SessionStatus
from tests.factories import EnterpriseFactory, TrainingClassFactory, UserFactory


def _next_saturday(start: date | None = None) -> date:
    day = start or date.today() + timedelta(days=1)
    return day + timedelta(days=(5 - day.weekday()) % 7)


@pytest.fixture
def sent():
    captured = []

    def listen(name):
        def receiver(sender, **kwargs):
            captured.append((name, kwargs))

        return receiver

    receivers = [
        (session_scheduled, listen("scheduled")),
        (session_rescheduled, listen("rescheduled")),
        (session_cancelled, listen("cancelled")),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver)
    yield captured
    for signal, receiver in receivers:
        signal.disconnect(receiver)


def test_weekly_series_on_saturdays_for_eight_times(world, sent):
    world.seat(world.workers[0])
    saturday = _next_saturday()
    made = services.schedule_sessions(
        world.officer,
        world.training_class,
        starts_at=local_datetime(saturday, 9),
        ends_at=local_datetime(saturday, 11, 30),
        room="实训室 201",
        instructor_id=world.mentor.id,
        recurrence=services.Recurrence(weekdays=[5], count=8),
    )
    assert len(made) == 8
    local = [to_local(s.starts_at) for s in made]
    assert all(d.weekday() == 5 and d.hour == 9 for d in local)
    assert (local[-1].date() - local[0].date()).days == 49
    assert len({s.series_id for s in made}) == 1
    payload = sent[0][1]
    assert sent[0][0] == "scheduled" and len(sent) == 8
    assert set(payload["user_ids"]) == {world.workers[0].id, world.mentor.id}
    assert payload["url"] == f"/training/sessions/{made[0].id}"
    assert payload["location"] == "实训室 201"


def test_every_two_weeks_on_two_days_until_a_date(world):
    saturday = _next_saturday()
    made = services.schedule_sessions(
        world.officer,
        world.training_class,
        starts_at=local_datetime(saturday - timedelta(days=5), 19),  # a Monday
        ends_at=local_datetime(saturday - timedelta(days=5), 21),
        recurrence=services.Recurrence(
            weekdays=[0, 2], interval=2, until=saturday + timedelta(days=20)
        ),
    )
    days = [to_local(s.starts_at).date() for s in made]
    assert [d.weekday() for d in days] == [0, 2, 0, 2]
    assert (days[2] - days[0]).days == 14


@pytest.mark.parametrize(
    "recurrence, field, message",
    [
        (services.Recurrence(weekdays=[5]), "until", "不能无限重复"),
        (services.Recurrence(weekdays=[5], count=5000), "count", "1 到 200"),
        (
            services.Recurrence(weekdays=[0, 1, 2, 3, 4, 5, 6], until=date(2040, 1, 1)),
            "until",
            "最多安排 200 个课次",
        ),
        (services.Recurrence(weekdays=[5], count=3, until=date(2040, 1, 1)), "count", "只能选一个"),
        (services.Recurrence(weekdays=[9], count=3), "weekdays", "星期几无效"),
    ],
)
def test_unbounded_or_huge_recurrences_are_refused_with_a_clear_message(
    world, recurrence, field, message
):
    saturday = _next_saturday()
    with pytest.raises(Invalid) as error:
        services.schedule_sessions(
            world.officer,
            world.training_class,
            starts_at=local_datetime(saturday, 9),
            ends_at=local_datetime(saturday, 11),
            recurrence=recurrence,
        )
    assert message in " ".join(error.value.errors[field])
    assert world.training_class.sessions == []


def test_end_before_start_is_refused(world):
    start = local_datetime(_next_saturday(), 9)
    with pytest.raises(Invalid) as error:
        services.schedule_sessions(
            world.officer, world.training_class, starts_at=start, ends_at=start - timedelta(hours=1)
        )
    assert "结束时间必须晚于开始时间" in error.value.errors["ends_at"][0]


def test_conflicts_name_the_clashing_session(world):
    saturday = _next_saturday()
    other_class = TrainingClassFactory(organization=world.enterprise, title="电工安全讲座")
    services.schedule_sessions(
        world.officer,
        other_class,
        starts_at=local_datetime(saturday, 9),
        ends_at=local_datetime(saturday, 11),
        room="实训室 201",
        instructor_id=world.mentor.id,
    )
    # Same instructor at an overlapping time, in another room.
    with pytest.raises(Conflict) as error:
        services.schedule_sessions(
            world.officer,
            world.training_class,
            starts_at=local_datetime(saturday, 10),
            ends_at=local_datetime(saturday, 12),
            room="实训室 305",
            instructor_id=world.mentor.id,
        )
    assert "该讲师" in error.value.message and "电工安全讲座" in error.value.message
    assert f"{saturday:%Y-%m-%d} 09:00" in error.value.message
    # Same room, another instructor; a weekly series clashing on its third week.
    with pytest.raises(Conflict) as error:
        services.schedule_sessions(
            world.officer,
            world.training_class,
            starts_at=local_datetime(saturday - timedelta(days=14), 10),
            ends_at=local_datetime(saturday - timedelta(days=14), 12),
            room="实训室 201",
            recurrence=services.Recurrence(weekdays=[5], count=4),
        )
    assert "教室“实训室 201”" in error.value.message
    assert world.training_class.sessions == []
    # Back to back is fine.
    services.schedule_sessions(
        world.officer,
        world.training_class,
        starts_at=local_datetime(saturday, 11),
        ends_at=local_datetime(saturday, 12),
        room="实训室 201",
        instructor_id=world.mentor.id,
    )


def test_the_same_class_cannot_have_two_overlapping_sessions(world):
    start = local_datetime(_next_saturday(), 9)
    services.schedule_sessions(
        world.officer, world.training_class, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    with pytest.raises(Conflict, match="本班"):
        services.schedule_sessions(
            world.officer,
            world.training_class,
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=3),
        )


def test_moving_the_rest_of_a_series_shifts_only_later_sessions(world, sent):
    saturday = _next_saturday()
    made = services.schedule_sessions(
        world.officer,
        world.training_class,
        starts_at=local_datetime(saturday, 9),
        ends_at=local_datetime(saturday, 11),
        recurrence=services.Recurrence(weekdays=[5], count=4),
    )
    sent.clear()
    third = made[2]
    old = third.starts_at
    services.update_session(
        world.officer,
        third,
        starts_at=third.starts_at + timedelta(hours=5),
        ends_at=third.ends_at + timedelta(hours=5),
        room="新教室",
        apply_to="following",
    )
    hours = [to_local(s.starts_at).hour for s in made]
    assert hours == [9, 9, 14, 14]
    assert [s.sequence for s in made] == [0, 0, 1, 1]
    assert [name for name, _k in sent] == ["rescheduled", "rescheduled"]
    assert sent[0][1]["old_starts_at"] == old and sent[0][1]["location"] == "新教室"


def test_editing_one_session_leaves_the_series_alone(world):
    saturday = _next_saturday()
    made = services.schedule_sessions(
        world.officer,
        world.training_class,
        starts_at=local_datetime(saturday, 9),
        ends_at=local_datetime(saturday, 11),
        recurrence=services.Recurrence(weekdays=[5], count=3),
    )
    services.update_session(
        world.officer,
        made[1],
        starts_at=made[1].starts_at + timedelta(hours=1),
        ends_at=made[1].ends_at + timedelta(hours=1),
    )
    assert [to_local(s.starts_at).hour for s in made] == [9, 10, 9]


def test_cancelling_emits_a_signal_with_the_people_to_tell(world, sent):
    world.seat(*world.workers[:2])
    session = world.session()
    services.cancel_session(world.officer, session, "设备检修")
    assert session.status == SessionStatus.cancelled and session.sequence == 1
    name, payload = sent[-1]
    assert name == "cancelled" and payload["reason"] == "设备检修"
    assert set(payload["user_ids"]) == {w.id for w in world.workers[:2]} | {world.mentor.id}
    with pytest.raises(Conflict):
        services.cancel_session(world.officer, session, "again")


def test_an_officer_of_another_enterprise_cannot_touch_the_class(world):
    stranger = UserFactory(organization=EnterpriseFactory(), roles=[Role.officer])
    start = local_datetime(_next_saturday(), 9)
    with pytest.raises(Forbidden):
        services.schedule_sessions(
            stranger, world.training_class, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    session = world.session()
    with pytest.raises(Forbidden):
        services.cancel_session(stranger, session)
    with pytest.raises(Forbidden):
        services.add_people(stranger, world.training_class, [world.workers[0]])


def test_officer_schedules_a_weekly_class_in_the_browser_form(world, client, auth):
    auth.login(world.officer)
    saturday = _next_saturday()
    response = client.post(
        f"/training/classes/{world.training_class.id}/sessions/new",
        data={
            "starts_at": f"{saturday:%Y-%m-%d}T09:00",
            "ends_at": f"{saturday:%Y-%m-%d}T11:00",
            "room": "实训室 201",
            "instructor_id": world.mentor.id,
            "repeat": "weekly",
            "weekdays": ["5"],
            "interval": "1",
            "count": "8",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/training/classes/{world.training_class.id}").get_data(as_text=True)
    assert page.count("实训室 201") >= 8
    response = client.post(
        f"/training/classes/{world.training_class.id}/sessions/new",
        data={
            "starts_at": f"{saturday:%Y-%m-%d}T10:00",
            "ends_at": f"{saturday:%Y-%m-%d}T12:00",
            "instructor_id": 0,
            "repeat": "weekly",
            "interval": "1",
        },
    )
    text = response.get_data(as_text=True)
    assert "不能无限重复" in text


def test_naive_datetime_is_refused(world):
    with pytest.raises(Invalid):
        services.occurrences(datetime(2030, 1, 1, 9), datetime(2030, 1, 1, 10), None)
