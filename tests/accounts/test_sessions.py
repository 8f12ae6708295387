"""Signed-in devices: signing out ends that device's session on the server, "stay signed
in" is the person's choice, tokens are minted only from a browser, and an initial
password must be changed before anything else."""

import pytest
import sqlalchemy as sa

from lms.accounts import services
from lms.accounts.models import ApiToken, Role, UserSession
from lms.extensions import db
from tests.conftest import AuthActions
from tests.factories import DEFAULT_PASSWORD, UserFactory


def _copy_cookies(source, target, *names):
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def test_a_copied_cookie_stops_working_after_sign_out_and_other_devices_stay(app, client):
    user = UserFactory()
    phone = app.test_client()
    AuthActions(client).login(user)
    AuthActions(phone).login(user)
    thief = app.test_client()
    _copy_cookies(client, thief, "session")
    assert thief.get("/me").status_code == 200  # the copy works while signed in

    client.post("/logout")

    assert thief.get("/me").status_code == 302  # pages
    assert thief.get("/api/v1/me").status_code == 401  # and the API
    assert phone.get("/me").status_code == 200  # the other device is still signed in


def test_a_copied_remember_me_cookie_stops_working_after_sign_out(app, client):
    user = UserFactory()
    response = client.post(
        "/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    thief = app.test_client()
    _copy_cookies(client, thief, "remember_token")  # no session cookie: the remember-me one
    assert thief.get("/me").status_code == 200
    client.post("/logout")
    thief.delete_cookie("session")
    assert thief.get("/me").status_code == 302


def test_the_remember_me_cookie_is_http_only_and_same_site_lax(client):
    user = UserFactory()
    response = client.post(
        "/login", data={"login": user.employee_no, "password": DEFAULT_PASSWORD, "remember": "y"}
    )
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]


def test_production_sends_the_remember_me_cookie_only_over_https():
    from config import ProductionConfig

    assert ProductionConfig.REMEMBER_COOKIE_SECURE and ProductionConfig.SESSION_COOKIE_SECURE


def test_sign_out_everywhere_ends_every_device(app, client):
    user = UserFactory()
    phone = app.test_client()
    AuthActions(client).login(user)
    AuthActions(phone).login(user)
    assert "已登录的设备" in client.get("/me").get_data(as_text=True)
    response = client.post("/me/sessions/revoke")
    assert response.status_code == 302
    assert phone.get("/me").status_code == 302
    assert client.get("/me").status_code == 302
    live = db.session.scalar(
        sa.select(sa.func.count()).where(
            UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
        )
    )
    assert live == 0


def test_changing_the_password_keeps_the_choice_not_to_stay_signed_in(client, auth):
    auth.login(UserFactory())  # without "stay signed in"
    response = client.post(
        "/me/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "new-pass-22",
            "confirm": "new-pass-22",
        },
    )
    assert response.status_code == 302
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_")]
    assert client.get_cookie("remember_token") is None
    assert client.get("/me").status_code == 200  # still signed in on this device


# --- API tokens ----------------------------------------------------------------------------


def _live_tokens(user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )


def test_a_reset_by_an_officer_revokes_the_persons_tokens(client, auth):
    officer = UserFactory(roles=[Role.officer])
    worker = UserFactory(organization=officer.organization)
    _token, secret = services.create_api_token(worker, "脚本")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    auth.login(officer)
    response = client.post(
        f"/people/{worker.id}", data={"form": "password", "pw-new_password": "reset-pass-9"}
    )
    assert response.status_code == 302
    assert _live_tokens(worker) == 0
    auth.logout()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_self_service_change_revokes_tokens_only_when_asked(client, auth):
    user = UserFactory()
    services.create_api_token(user, "脚本")
    auth.login(user)
    form = {"current_password": DEFAULT_PASSWORD, "new_password": "new-pass-22"}
    client.post("/me/password", data={**form, "confirm": "new-pass-22"})
    assert _live_tokens(user) == 1
    client.post(
        "/me/password",
        data={
            "current_password": "new-pass-22",
            "new_password": "new-pass-33",
            "confirm": "new-pass-33",
            "revoke_tokens": "y",
        },
    )
    assert _live_tokens(user) == 0


def test_a_token_cannot_create_another_token(client, auth):
    user = UserFactory()
    _token, secret = services.create_api_token(user, "脚本")
    response = client.post(
        "/api/v1/me/tokens", json={"name": "更多"}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 403
    assert _live_tokens(user) == 1
    auth.login(user)  # a signed-in browser may
    assert client.post("/api/v1/me/tokens", json={"name": "浏览器"}).status_code == 201


def test_an_invalid_token_is_refused_even_with_a_valid_cookie(client, auth):
    auth.login(UserFactory())
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer ca_not-a-token"})
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_a_revoked_token_is_refused_at_once(client):
    user = UserFactory()
    token, secret = services.create_api_token(user, "手机")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    services.revoke_api_token(user, token.id)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


# --- the first-sign-in password change -------------------------------------------------------


class TestInitialPassword:
    @pytest.fixture
    def newcomer(self):
        return UserFactory(must_change_password=True)

    def test_pages_lead_to_the_change_page_until_it_is_done(self, client, auth, newcomer):
        auth.login(newcomer)
        for path in ("/", "/me", "/me/tokens", "/courses"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response.headers["Location"].endswith("/me/password"), path
        assert client.get("/me/password").status_code == 200
        client.post(
            "/me/password",
            data={
                "current_password": DEFAULT_PASSWORD,
                "new_password": "new-pass-22",
                "confirm": "new-pass-22",
            },
        )
        assert client.get("/me").status_code == 200

    def test_the_api_answers_password_change_required(self, client, auth, newcomer):
        auth.login(newcomer)
        response = client.get("/api/v1/me")
        assert response.status_code == 403
        assert response.get_json()["code"] == "password_change_required"

    def test_a_token_of_a_person_on_an_initial_password_is_held_too(self, client, newcomer):
        _token, secret = services.create_api_token(newcomer, "脚本")
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 403
        assert response.get_json()["code"] == "password_change_required"

    def test_signing_out_is_still_possible(self, client, auth, newcomer):
        auth.login(newcomer)
        response = client.post("/logout")
        assert response.headers["Location"].endswith("/login")


# --- loading the signed-in person ------------------------------------------------------------


def test_the_signed_in_person_is_loaded_with_one_query_and_their_roles(client, auth, query_counter):
    auth.login(UserFactory())
    db.session.expunge_all()  # as a served request starts
    with query_counter() as statements:
        assert client.get("/api/v1/me").status_code == 200
    loading = [s for s in statements if "user_sessions" in s or "user_roles" in s]
    assert len(loading) == 1, loading  # the device session with its person and their roles
    assert "user_roles" in loading[0]


def test_a_role_taken_away_is_refused_on_the_very_next_request(client, auth):
    admin = UserFactory(roles=[Role.admin])
    officer = UserFactory(roles=[Role.officer, Role.worker])
    auth.login(officer)
    assert client.get("/people").status_code == 200
    services.set_roles(admin, officer, {Role.worker})
    assert client.get("/people").status_code == 403


def test_a_deactivated_person_is_signed_out_at_once(client, auth):
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory()
    auth.login(worker)
    assert client.get("/me").status_code == 200
    services.update_user(admin, worker, active=False)
    assert client.get("/me").status_code == 302
