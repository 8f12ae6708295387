"""Officers manage workers and mentors in their subtree; officers and admins are managed by
admins only. One check in the services, so pages and the API answer alike."""

import pytest
import sqlalchemy as sa

from lms.accounts import services
from lms.accounts.models import Role, User
from lms.errors import Forbidden
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, EnterpriseFactory, UserFactory, WorkshopFactory


@pytest.fixture
def plant():
    enterprise = EnterpriseFactory(name="红星厂")
    workshop = WorkshopFactory(parent=enterprise, name="焊接车间")
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    return enterprise, workshop, officer


@pytest.mark.parametrize(
    "target_roles", [[Role.admin], [Role.officer], [Role.officer, Role.worker]]
)
def test_an_officer_cannot_reset_the_password_of_an_officer_or_admin_in_their_subtree(
    client, auth, plant, target_roles
):
    _enterprise, workshop, officer = plant
    target = UserFactory(roles=target_roles, organization=workshop)
    auth.login(officer)
    response = client.post(
        f"/people/{target.id}", data={"form": "password", "pw-new_password": "taken-over-1"}
    )
    assert response.status_code in (200, 403)
    with pytest.raises(Forbidden):
        services.reset_password(officer, target, "taken-over-1")
    auth.logout()
    # The old password still works, the new one does not.
    bad = client.post("/login", data={"login": target.employee_no, "password": "taken-over-1"})
    assert bad.status_code == 422
    auth.login(target)


@pytest.mark.parametrize("target_roles", [[Role.admin], [Role.officer]])
def test_an_officer_cannot_patch_an_officer_or_admin_through_the_api(
    client, auth, plant, target_roles
):
    _enterprise, workshop, officer = plant
    target = UserFactory(roles=target_roles, organization=workshop, email="boss@example.cn")
    auth.login(officer)
    for change in ({"email": "me@evil.cn"}, {"active": False}):
        response = client.patch(f"/api/v1/users/{target.id}", json=change)
        assert response.status_code == 403, change
    response = client.put(f"/api/v1/users/{target.id}/roles", json={"roles": ["worker"]})
    assert response.status_code == 403
    db.session.refresh(target)
    assert target.email == "boss@example.cn" and target.active
    assert target.roles == set(target_roles)


def test_an_officer_cannot_make_anyone_an_officer(client, auth, plant):
    _enterprise, workshop, officer = plant
    worker = UserFactory(organization=workshop)
    auth.login(officer)
    response = client.put(f"/api/v1/users/{worker.id}/roles", json={"roles": ["officer"]})
    assert response.status_code == 403
    response = client.post(
        "/api/v1/users",
        json={
            "organization_id": workshop.id,
            "employee_no": "N1",
            "name": "新专员",
            "password": "start-pass-1",
            "roles": ["officer"],
        },
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(User).where(User.employee_no == "N1")) is None


def test_an_officer_still_manages_workers_and_mentors_in_scope(client, auth, plant):
    _enterprise, workshop, officer = plant
    mentor = UserFactory(roles=[Role.mentor], organization=workshop)
    auth.login(officer)
    assert client.patch(f"/api/v1/users/{mentor.id}", json={"trade": "钳工"}).status_code == 200
    response = client.post(
        f"/people/{mentor.id}", data={"form": "password", "pw-new_password": "reset-pass-9"}
    )
    assert response.status_code == 302


def test_an_admin_manages_officers_and_admins(client, auth, plant):
    _enterprise, workshop, officer = plant
    other_admin = UserFactory(roles=[Role.admin], organization=workshop)
    auth.login(UserFactory(roles=[Role.admin]))
    assert client.patch(f"/api/v1/users/{officer.id}", json={"trade": "电工"}).status_code == 200
    response = client.post(
        f"/people/{other_admin.id}", data={"form": "password", "pw-new_password": "reset-pass-9"}
    )
    assert response.status_code == 302
    response = client.put(
        f"/api/v1/users/{officer.id}/roles", json={"roles": ["officer", "mentor"]}
    )
    assert response.status_code == 200


def test_a_person_still_edits_their_own_account(client, auth, plant):
    _enterprise, _workshop, officer = plant
    auth.login(officer)
    assert client.patch("/api/v1/me", json={"email": "me@example.cn"}).status_code == 200
    response = client.post(
        "/me/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "new-pass-22",
            "confirm": "new-pass-22",
        },
    )
    assert response.status_code == 302


def test_the_person_page_offers_no_management_of_a_higher_rank(client, auth, plant):
    _enterprise, workshop, officer = plant
    colleague = UserFactory(roles=[Role.officer], organization=workshop)
    auth.login(officer)
    page = client.get(f"/people/{colleague.id}").get_data(as_text=True)
    assert 'name="pw-new_password"' not in page


def test_an_officer_cannot_import_officers(app, plant):
    from lms.accounts.importer import import_workers

    _enterprise, _workshop, officer = plant
    data = "工号,姓名,单位,角色\nQ1,钱七,焊接车间,培训专员\n".encode()
    result = import_workers(officer, "a.csv", data, "start-pass-1")
    assert result.created == 0
    assert result.errors.as_list()[0]["column"] == "roles"
