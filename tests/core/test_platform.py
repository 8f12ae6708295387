"""Platform behaviour a person or an integrator notices: health, errors, API, language, time."""

import re
from datetime import UTC, datetime

import pytest

from lms import create_app
from lms.accounts.models import Role
from tests.factories import UserFactory


def test_healthz_answers_and_readyz_checks_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    body = client.get("/readyz").get_json()
    assert body["database"] == "ok" and body["ready"] is True


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app("production", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_development_generates_a_secret_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) > 40
    assert (tmp_path / "secret_key").exists()


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LMS_LOGIN_MAX_FAILURES", "9")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    app = create_app("testing")
    assert app.config["LOGIN_MAX_FAILURES"] == 9
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_unknown_page_is_a_chinese_404_with_a_way_home(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "找不到页面" in response.get_data(as_text=True)


def test_api_without_credentials_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["code"] == "unauthorized"


def test_api_rejects_bad_input_with_field_messages_not_a_500(client, auth):
    officer = UserFactory(roles=[Role.officer])
    auth.login(officer)
    malformed = client.post("/api/v1/users", data="{not json", content_type="application/json")
    assert malformed.status_code in (400, 422)
    wrong = client.post(
        "/api/v1/users",
        json={"employee_no": 5, "name": "x" * 65, "organization_id": "abc", "password": "short"},
    )
    assert wrong.status_code == 422
    errors = wrong.get_json()["errors"]
    assert {"employee_no", "name", "organization_id", "password"} <= set(errors)
    foreign = client.post(
        "/api/v1/users",
        json={
            "employee_no": "F1",
            "name": "外单位",
            "organization_id": 99999,
            "password": "start-pass-1",
        },
    )
    assert foreign.status_code == 404


def test_personal_api_token_lifecycle(client, auth):
    user = UserFactory()
    auth.login(user)
    created = client.post("/api/v1/me/tokens", json={"name": "考勤机"}).get_json()
    secret = created["token"]
    auth.logout()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=bearer).get_json()["id"] == user.id
    listed = client.get("/api/v1/me/tokens", headers=bearer).get_json()
    assert listed[0]["name"] == "考勤机" and "token" not in listed[0]
    assert client.delete(f"/api/v1/me/tokens/{created['id']}", headers=bearer).status_code == 204
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


def test_another_persons_mobile_is_masked_in_the_api_but_not_ones_own(client, auth):
    officer = UserFactory(roles=[Role.officer], mobile="13900001111")
    worker = UserFactory(
        organization=officer.organization, mobile="13812345678", id_number="110101199001011234"
    )
    auth.login(officer)
    other = client.get(f"/api/v1/users/{worker.id}").get_json()
    assert other["mobile"] == "138****5678"
    assert other["id_number"] == "110***********1234"
    assert client.get("/api/v1/me").get_json()["mobile"] == "13900001111"


def test_openapi_document_describes_the_api_and_docs_need_no_internet(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/users" in spec["paths"] and "/api/v1/me/tokens" in spec["paths"]
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200


def test_no_page_loads_anything_from_the_internet(client, auth):
    auth.login(UserFactory(roles=[Role.admin, Role.officer]))
    for path in ("/", "/people", "/me", "/audit", "/admin/status", "/mentors"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page), path


def test_switching_to_english_is_remembered_for_the_person(app, client, auth):
    user = UserFactory(name="王小虎")
    auth.login(user)
    client.post("/locale/en", data={"next": "/"})
    auth.logout()
    auth.login(user)
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Hello" in page or "What to do today" in page


def test_times_are_shown_in_beijing_time(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        text = render_template_string(
            "{{ t|datetime }}", t=datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
        )
    assert text == "2026-01-02 00:30"


def test_worker_status_page_is_for_admins_only(client, auth):
    auth.login(UserFactory())
    assert client.get("/admin/status").status_code == 403
