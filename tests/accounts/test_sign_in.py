"""Signing in, out, lockout, rate limits, CSRF and passwords, as a worker meets them."""

import pytest

from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory


def test_worker_signs_in_with_employee_number_and_sees_home_in_chinese(client, auth):
    user = UserFactory(name="王小虎")
    auth.login(user.employee_no)
    page = client.get("/").get_data(as_text=True)
    assert "王小虎，您好" in page
    assert "今天要做的事" in page


def test_worker_signs_in_with_mobile_number(client, auth):
    user = UserFactory(mobile="13812345678")
    auth.login("13812345678")
    assert client.get("/api/v1/me").get_json()["id"] == user.id


def _error(response) -> str:
    page = response.get_data(as_text=True)
    start = page.index('role="alert">') + len('role="alert">')
    return page[start : page.index("</div>", start)]


def test_unknown_account_and_wrong_password_get_the_same_answer(client):
    user = UserFactory()
    wrong = client.post("/login", data={"login": user.employee_no, "password": "nope-pass-1"})
    unknown = client.post("/login", data={"login": "NOBODY", "password": "nope-pass-1"})
    assert wrong.status_code == unknown.status_code == 422
    assert _error(wrong) == _error(unknown)
    # The lock-out rule is stated in general terms, the same for everyone.
    assert "账号或密码不正确" in _error(wrong) and "连续输错 5 次" in _error(wrong)


def test_unknown_account_costs_a_password_check_like_a_known_one(app, monkeypatch):
    from lms.accounts import passwords
    from lms.accounts.services import LoginFailed, authenticate

    checked = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(
        passwords, "verify_password", lambda h, p: checked.append(p) or real_verify(h, p)
    )
    with pytest.raises(LoginFailed) as unknown:
        authenticate("NOBODY", "guess-pass-1")
    assert checked == ["guess-pass-1"]
    with pytest.raises(LoginFailed) as wrong:
        authenticate(UserFactory().employee_no, "guess-pass-1")
    assert unknown.value.message == wrong.value.message


def test_account_locks_after_five_failures_even_with_the_right_password(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/login", data={"login": user.employee_no, "password": "wrong-pass-1"})
    response = client.post("/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    # Locked, yet answered like any failed sign-in: a lock does not tell the account exists.
    unknown = client.post("/login", data={"login": "NOBODY", "password": DEFAULT_PASSWORD})
    assert _error(response) == _error(unknown)


def test_deactivated_account_cannot_sign_in(client):
    user = UserFactory(active=False)
    response = client.post("/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD})
    assert "已停用" in response.get_data(as_text=True)


class TestRateLimit:
    @pytest.fixture
    def app_overrides(self):
        return {"LOGIN_RATE_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_MAX_FAILURES": 50}

    def test_login_attempts_on_one_account_are_rate_limited(self, client):
        user = UserFactory()
        statuses = [
            client.post(
                "/login", data={"login": user.employee_no, "password": "x1x1x1x1"}
            ).status_code
            for _ in range(4)
        ]
        assert statuses[:3] == [422, 422, 422]
        assert statuses[3] == 429
        # The person is told to wait, in Chinese.
        page = client.post("/login", data={"login": user.employee_no, "password": "x"})
        assert "操作太频繁" in page.get_data(as_text=True)


def test_signing_out_ends_the_session(client, auth):
    auth.login(UserFactory())
    auth.logout()
    response = client.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_password_signs_out_other_devices(app, auth):
    user = UserFactory()
    phone, desktop = app.test_client(), app.test_client()
    from tests.conftest import AuthActions

    AuthActions(phone).login(user)
    AuthActions(desktop).login(user)
    response = phone.post(
        "/me/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "new-pass-22",
            "confirm": "new-pass-22",
        },
    )
    assert response.status_code == 302
    assert phone.get("/me").status_code == 200
    assert desktop.get("/me").status_code == 302  # signed out


def test_weak_new_password_is_refused_with_a_reason(client, auth):
    auth.login(UserFactory())
    response = client.post(
        "/me/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "12345678",
            "confirm": "12345678",
        },
    )
    assert "同时包含字母和数字" in response.get_data(as_text=True)


def test_open_redirect_after_login_is_refused(client):
    user = UserFactory()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"login": user.employee_no, "password": DEFAULT_PASSWORD},
    )
    assert response.headers["Location"] == "/"


class TestCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_form_without_csrf_token_is_refused_with_a_chinese_message(self, client):
        user = UserFactory()
        response = client.post(
            "/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 400
        assert "页面已过期" in response.get_data(as_text=True)

    def test_a_bogus_bearer_header_does_not_switch_csrf_off_for_a_cookie(self, client):
        import re

        user = UserFactory()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        signed_in = client.post(
            "/login",
            data={"login": user.employee_no, "password": DEFAULT_PASSWORD, "csrf_token": token},
        )
        assert signed_in.status_code == 302
        assert client.get("/api/v1/me").status_code == 200  # the cookie signs in
        response = client.patch(
            "/api/v1/me", json={"email": "x@evil.cn"}, headers={"Authorization": "Bearer nope"}
        )
        assert response.status_code == 401
        assert response.get_json()["code"] == "unauthorized"
        db.session.refresh(user)
        assert user.email != "x@evil.cn"

    def test_api_write_with_cookie_needs_csrf_header_but_bearer_does_not(self, app, client):
        from lms.accounts.services import create_api_token

        user = UserFactory(roles=[Role.worker])
        _token, secret = create_api_token(user, "test")
        response = client.patch(
            "/api/v1/me", json={"email": "a@b.cn"}, headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 200
        assert response.get_json()["email"] == "a@b.cn"


class TestRateLimitPerAddress:
    @pytest.fixture
    def app_overrides(self):
        return {"LOGIN_RATE_LIMIT_PER_ADDRESS": "3 per minute"}

    def test_one_address_trying_many_accounts_is_slowed_down(self, client):
        statuses = [
            client.post("/login", data={"login": f"X{i}", "password": "x1x1x1x1"}).status_code
            for i in range(4)
        ]
        assert statuses == [422, 422, 422, 429]


def test_a_session_cookie_from_another_key_is_treated_as_signed_out(app, client, auth):
    auth.login(UserFactory())
    assert client.get("/me").status_code == 200
    app.secret_key = "rotated-secret"  # e.g. the key changed, or the cookie was forged
    response = client.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


class TestForgedCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_forged_csrf_token_is_refused(self, client):
        user = UserFactory()
        client.get("/login")
        response = client.post(
            "/login",
            data={
                "login": user.employee_no,
                "password": DEFAULT_PASSWORD,
                "csrf_token": "forged.token.value",
            },
        )
        assert response.status_code == 400
        assert "安全校验失败" in response.get_data(as_text=True)
