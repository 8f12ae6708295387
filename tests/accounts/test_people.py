"""Officers manage people within their organization's subtree; roles changes are audited."""

import sqlalchemy as sa

from lms.accounts.models import Role, User
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory


def _two_enterprises():
    mine = EnterpriseFactory(name="红星厂")
    theirs = EnterpriseFactory(name="东方厂", parent=mine.parent)
    my_shop = WorkshopFactory(parent=mine, name="焊接车间")
    their_shop = WorkshopFactory(parent=theirs, name="装配车间")
    return mine, theirs, my_shop, their_shop


def test_officer_sees_only_people_in_their_subtree_with_mobiles_masked(client, auth):
    mine, _theirs, my_shop, their_shop = _two_enterprises()
    officer = UserFactory(roles=[Role.officer], organization=mine)
    UserFactory(name="本厂工人", organization=my_shop, mobile="13812345678")
    UserFactory(name="外厂工人", organization=their_shop)
    auth.login(officer)
    page = client.get("/people").get_data(as_text=True)
    assert "本厂工人" in page and "外厂工人" not in page
    assert "138****5678" in page and "13812345678" not in page


def test_people_list_searches_by_name_and_pages(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    officer = UserFactory(roles=[Role.officer], organization=mine)
    for i in range(25):
        UserFactory(name=f"学员{i:02d}", organization=my_shop)
    auth.login(officer)
    first = client.get("/people").get_data(as_text=True)
    assert "第 1 / 2 页" in first
    found = client.get("/people?q=学员07").get_data(as_text=True)
    assert "学员07" in found and "学员08" not in found


def test_officer_cannot_open_another_enterprises_person(client, auth):
    mine, _theirs, _my_shop, their_shop = _two_enterprises()
    officer = UserFactory(roles=[Role.officer], organization=mine)
    stranger = UserFactory(organization=their_shop)
    auth.login(officer)
    assert client.get(f"/people/{stranger.id}").status_code == 404
    response = client.get(f"/api/v1/users/{stranger.id}")
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_worker_cannot_reach_the_people_pages(client, auth):
    auth.login(UserFactory())
    response = client.get("/people")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_role_change_is_written_to_the_audit_log_with_before_and_after(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    officer = UserFactory(roles=[Role.officer], organization=mine, name="林专员")
    worker = UserFactory(organization=my_shop, name="高师傅")
    auth.login(officer)
    response = client.put(f"/api/v1/users/{worker.id}/roles", json={"roles": ["worker", "mentor"]})
    assert response.status_code == 200
    assert response.get_json()["roles"] == ["mentor", "worker"]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.roles"))
    assert entry.actor_id == officer.id
    assert entry.before["roles"] == ["worker"] and entry.after["roles"] == ["mentor", "worker"]
    log = client.get("/audit").get_data(as_text=True)
    assert "高师傅" in log and "林专员" in log


def test_officer_cannot_grant_admin(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    officer = UserFactory(roles=[Role.officer], organization=mine)
    worker = UserFactory(organization=my_shop)
    auth.login(officer)
    response = client.put(f"/api/v1/users/{worker.id}/roles", json={"roles": ["admin"]})
    assert response.status_code == 403
    assert db.session.get(User, worker.id).roles == {Role.worker}


def test_officer_adds_a_person_through_the_form(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    auth.login(UserFactory(roles=[Role.officer], organization=mine))
    response = client.post(
        "/people/new",
        data={
            "employee_no": "N0001",
            "name": "新员工",
            "mobile": "13700000001",
            "organization_id": my_shop.id,
            "trade": "电工",
            "skill_level": "junior",
            "roles": ["worker"],
            "password": "start-pass-1",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(sa.select(User).where(User.employee_no == "N0001"))
    assert created.organization_id == my_shop.id and created.must_change_password


def test_duplicate_employee_number_is_refused_on_the_field(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    UserFactory(employee_no="DUP1", organization=my_shop)
    auth.login(UserFactory(roles=[Role.officer], organization=mine))
    response = client.post(
        "/api/v1/users",
        json={
            "employee_no": "DUP1",
            "name": "重复",
            "organization_id": my_shop.id,
            "password": "start-pass-1",
        },
    )
    assert response.status_code == 409
    assert response.get_json()["errors"]["employee_no"] == ["已被其他账号使用。"]


def test_mentor_public_profile_shows_honours_to_anyone(client):
    from tests.factories import HonorFactory

    mentor = UserFactory(roles=[Role.mentor], name="高铁军")
    HonorFactory(user=mentor, year=2020, title="全国劳动模范", citation="攻克压力容器焊接难题")
    page = client.get(f"/mentors/{mentor.id}").get_data(as_text=True)
    assert "高铁军" in page and "全国劳动模范" in page and "攻克压力容器焊接难题" in page
    assert client.get(f"/mentors/{UserFactory().id}").status_code == 404  # not a mentor


def test_officer_resets_a_password_and_the_person_must_change_it(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    worker = UserFactory(organization=my_shop)
    auth.login(UserFactory(roles=[Role.officer], organization=mine))
    response = client.post(
        f"/people/{worker.id}", data={"form": "password", "pw-new_password": "reset-pass-9"}
    )
    assert response.status_code == 302
    auth.logout()
    login = client.post("/login", data={"login": worker.employee_no, "password": "reset-pass-9"})
    assert login.headers["Location"].endswith("/me/password")
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "user.password_reset")
    )
    assert entry.entity_id == worker.id


def test_officer_records_an_honour_that_shows_on_the_public_profile(client, auth):
    mine, _t, my_shop, _ts = _two_enterprises()
    mentor = UserFactory(organization=my_shop, roles=[Role.mentor])
    auth.login(UserFactory(roles=[Role.officer], organization=mine))
    client.post(
        f"/people/{mentor.id}",
        data={
            "form": "honor",
            "honor-kind": "craftsman",
            "honor-level": "provincial",
            "honor-year": "2023",
            "honor-title": "省级工匠",
        },
    )
    assert "省级工匠" in client.get(f"/mentors/{mentor.id}").get_data(as_text=True)


def test_officer_adds_a_workshop_under_their_enterprise(client, auth):
    mine, theirs, _ms, _ts = _two_enterprises()
    auth.login(UserFactory(roles=[Role.officer], organization=mine))
    response = client.post("/organizations/new", data={"parent_id": mine.id, "name": "新车间"})
    assert response.status_code == 302
    assert "新车间" in client.get("/organizations").get_data(as_text=True)
    foreign = client.post("/organizations/new", data={"parent_id": theirs.id, "name": "越权车间"})
    assert foreign.status_code in (200, 404)  # not a choice in the form: refused
    assert "越权车间" not in client.get("/organizations").get_data(as_text=True)


def test_a_worker_updates_contact_details_and_a_bad_email_is_explained(client, auth):
    worker = UserFactory()
    auth.login(worker)
    bad = client.post("/me", data={"mobile": "13811112222", "email": "not-an-email", "bio": ""})
    assert "邮箱格式不正确" in bad.get_data(as_text=True)
    good = client.post(
        "/me", data={"mobile": "13811112222", "email": "w@example.cn", "bio": "焊工"}
    )
    assert good.status_code == 302
    assert db.session.get(User, worker.id).email == "w@example.cn"
