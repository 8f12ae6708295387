"""Each role signs in on a phone and lands on its own home page, in Chinese."""

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.plugins.browser import assert_accessible, browser_login


@pytest.mark.parametrize(
    "roles, expected",
    [
        ([Role.worker], "我的资料"),
        ([Role.mentor, Role.worker], "我的资料"),
        ([Role.officer], "我管理的学员"),
        ([Role.admin], "系统状态"),
    ],
)
def test_each_role_signs_in_on_a_phone_and_sees_its_home(live_server, phone, roles, expected):
    user = UserFactory(roles=roles, name="测试员")
    db.session.commit()
    browser_login(phone, live_server, user.employee_no, DEFAULT_PASSWORD)
    assert phone.get_by_role("heading", name="测试员，您好").is_visible()
    assert phone.get_by_role("heading", name=expected).is_visible()
    assert_accessible(phone)


def test_login_page_is_accessible_and_shows_errors_in_chinese(live_server, phone):
    phone.goto(f"{live_server.url}/login")
    assert_accessible(phone)
    phone.get_by_label("工号或手机号").fill("NOBODY")
    phone.get_by_label("密码", exact=True).fill("wrong-pass-1")
    phone.get_by_role("button", name="登录").click()
    assert phone.get_by_role("alert").first.inner_text().startswith("账号或密码不正确")
