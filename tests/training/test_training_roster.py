"""Rosters: adding people one by one, by organization, from a file; capacity and waitlist."""

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook

from lms.accounts.models import Role
from lms.accounts.services import UserFilter
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.signals import roster_changed
from lms.training import services
from lms.training.models import RegistrationMode, RosterStatus
from tests.factories import EnterpriseFactory, UserFactory


@pytest.fixture
def changes():
    captured = []

    def receiver(sender, **kwargs):
        captured.append(kwargs)

    roster_changed.connect(receiver)
    yield captured
    roster_changed.disconnect(receiver)


def _status(training_class, user):
    return services.roster_entry(training_class.id, user.id)


def test_capacity_seats_then_waitlists_in_order_and_promotes_on_withdrawal(world, changes):
    world.training_class.capacity = 2
    world.session()  # an upcoming session, so the signal lists it
    result = services.add_people(world.officer, world.training_class, world.workers)
    assert result.seated == [w.id for w in world.workers[:2]]
    assert result.waitlisted == [w.id for w in world.workers[2:]]
    third, fourth = (_status(world.training_class, w) for w in world.workers[2:])
    assert (third.waitlist_position, fourth.waitlist_position) == (1, 2)
    assert [c["change"] for c in changes] == ["added", "added"]
    assert len(changes[0]["upcoming"]) == 1
    assert changes[0]["upcoming"][0]["url"].startswith("/training/sessions/")

    services.withdraw(world.officer, world.training_class, world.workers[0])
    assert _status(world.training_class, world.workers[0]).status == RosterStatus.withdrawn
    assert _status(world.training_class, world.workers[2]).status == RosterStatus.seated
    assert _status(world.training_class, world.workers[3]).status == RosterStatus.waitlisted
    assert [c["change"] for c in changes[2:]] == ["removed", "promoted"]
    assert changes[-1]["user_id"] == world.workers[2].id


def test_raising_capacity_promotes_the_waitlist(world):
    world.training_class.capacity = 1
    services.add_people(world.officer, world.training_class, world.workers[:3])
    services.update_class(world.officer, world.training_class, capacity=3)
    statuses = [_status(world.training_class, w).status for w in world.workers[:3]]
    assert statuses == [RosterStatus.seated] * 3


def test_adding_someone_twice_changes_nothing(world):
    services.add_people(world.officer, world.training_class, [world.workers[0]])
    result = services.add_people(world.officer, world.training_class, [world.workers[0]])
    assert result.already == [world.workers[0].id] and not result.seated


def test_add_by_organization_and_trade(world):
    UserFactory(organization=world.workshop, trade="电工")
    result = services.add_by_filter(
        world.officer,
        world.training_class,
        UserFilter(organization_id=world.workshop.id, trade="焊工"),
    )
    # The four workers and the mentor (also a worker) are welders in the workshop.
    assert len(result.seated) == 5


def test_officer_cannot_add_people_outside_their_enterprise(world):
    outsider = UserFactory(organization=EnterpriseFactory())
    with pytest.raises(NotFound):
        services.add_people(world.officer, world.training_class, [outsider])


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_from_a_file_is_all_or_nothing(world):
    outsider = UserFactory(organization=EnterpriseFactory())
    a, b = world.workers[:2]
    data = _xlsx(
        [
            [a.employee_no, a.name],
            [b.employee_no, "错名字"],
            ["NOPE", ""],
            [outsider.employee_no, ""],
            [a.employee_no, ""],
        ]
    )
    outcome = services.import_roster(world.officer, world.training_class, "名单.xlsx", data)
    rows = {(e["row"], e["column"]) for e in outcome.errors.as_list()}
    assert rows == {(3, "name"), (4, "employee_no"), (5, "employee_no"), (6, "employee_no")}
    assert services.roster(world.training_class) == []

    good = ("工号,姓名\n" + "\n".join(f"{w.employee_no},{w.name}" for w in world.workers)).encode(
        "gb18030"
    )
    outcome = services.import_roster(world.officer, world.training_class, "名单.csv", good)
    assert not outcome.errors and len(outcome.result.seated) == 4


def test_import_page_shows_row_errors(world, client, auth):
    auth.login(world.officer)
    response = client.post(
        f"/training/classes/{world.training_class.id}/roster/import",
        data={"i-file": (io.BytesIO(_xlsx([["NOPE", ""]])), "名单.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "名单未做任何改动" in text and "找不到此工号" in text


def test_open_registration_until_the_deadline_and_withdrawal_before_it(world):
    world.training_class.registration_mode = RegistrationMode.open
    world.training_class.registration_deadline = utcnow() + timedelta(days=1)
    world.training_class.capacity = 1
    first = services.register_self(world.workers[0], world.training_class)
    second = services.register_self(world.workers[1], world.training_class)
    assert first.status == RosterStatus.seated
    assert second.status == RosterStatus.waitlisted and second.waitlist_position == 1
    with pytest.raises(Conflict, match="已在此培训班"):
        services.register_self(world.workers[0], world.training_class)
    late = utcnow() + timedelta(days=2)
    with pytest.raises(Conflict, match="报名已于"):
        services.register_self(world.workers[2], world.training_class, now=late)
    with pytest.raises(Conflict, match="退出截止时间"):
        services.withdraw(world.workers[0], world.training_class, world.workers[0], now=late)
    services.withdraw(world.workers[0], world.training_class, world.workers[0])
    assert _status(world.training_class, world.workers[1]).status == RosterStatus.seated


def test_assigned_class_refuses_self_registration(world):
    with pytest.raises(Forbidden, match="不接受自行报名"):
        services.register_self(world.workers[0], world.training_class)


def test_worker_cannot_remove_someone_else(world):
    world.seat(*world.workers[:2])
    with pytest.raises(Forbidden):
        services.withdraw(world.workers[0], world.training_class, world.workers[1])


def test_worker_sees_their_class_and_withdraws_on_the_page(world, client, auth):
    world.training_class.registration_deadline = utcnow() + timedelta(days=1)
    world.seat(world.workers[0])
    auth.login(world.workers[0])
    assert world.training_class.title in client.get("/training/").get_data(as_text=True)
    response = client.post(
        f"/training/classes/{world.training_class.id}/withdraw", follow_redirects=True
    )
    assert "您已退出此培训班" in response.get_data(as_text=True)


def test_mentor_role_only_instructors(world):
    with pytest.raises(Invalid) as error:
        services.create_class(
            world.officer,
            organization=world.enterprise,
            title="讲座",
            instructor_ids=[world.workers[0].id],
        )
    assert "不是导师" in error.value.errors["instructor_ids"][0]
    training_class = services.create_class(
        world.officer,
        organization=world.enterprise,
        title="讲座",
        instructor_ids=[UserFactory(roles=[Role.mentor]).id],
    )
    assert len(training_class.instructors) == 1
