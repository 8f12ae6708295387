"""The signed-in person is cached between requests, yet every change to them counts at once.

The tests share one database session with the app; ``expunge_all`` before a request makes
it start empty, as a served request does, so the cached copy is what it sees.
"""

from lms.accounts import services
from lms.accounts.models import Organization, Role, User
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, EnterpriseFactory, UserFactory


def _get(client, path: str):
    db.session.expunge_all()
    return client.get(path)


def test_a_signed_in_request_after_the_first_loads_nobody(client, auth, query_counter):
    officer = UserFactory(roles=[Role.officer])
    db.session.commit()
    auth.login(officer)
    assert _get(client, "/people").status_code == 200
    db.session.expunge_all()
    with query_counter() as statements:
        assert client.get("/api/v1/me").status_code == 200
    assert not any("FROM users" in s for s in statements), statements


def test_a_role_taken_away_is_refused_on_the_very_next_request(client, auth):
    admin = UserFactory(roles=[Role.admin])
    officer = UserFactory(roles=[Role.officer, Role.worker])
    db.session.commit()
    auth.login(officer)
    assert _get(client, "/people").status_code == 200
    assert _get(client, "/people").status_code == 200  # served with the cached copy
    services.set_roles(db.session.merge(admin), db.session.merge(officer), {Role.worker})
    db.session.commit()
    assert _get(client, "/people").status_code == 403


def test_a_password_change_signs_out_a_device_whose_person_was_cached(client, auth):
    user = UserFactory()
    db.session.commit()
    user_id = user.id
    auth.login(user)
    assert _get(client, "/me").status_code == 200  # cached now
    # Changed on another device: the session token rotates.
    services.change_password(db.session.get(User, user_id), DEFAULT_PASSWORD, "new-pass-22")
    assert _get(client, "/me").status_code == 302  # signed out


def test_a_revoked_api_token_is_refused_at_once(client):
    user = UserFactory()
    db.session.commit()
    token, secret = services.create_api_token(user, "手机")
    token_id = token.id
    headers = {"Authorization": f"Bearer {secret}"}
    db.session.expunge_all()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # cached token
    services.revoke_api_token(db.session.merge(user), token_id)
    db.session.expunge_all()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_renamed_organization_shows_its_new_name_on_the_next_request(client, auth):
    plant = EnterpriseFactory(name="江城重型机械厂")
    worker = UserFactory(organization=plant)
    db.session.commit()
    plant_id = plant.id
    auth.login(worker)
    assert "江城重型机械厂" in _get(client, "/me").get_data(as_text=True)
    db.session.get(Organization, plant_id).name = "江城重工集团"
    db.session.commit()
    assert "江城重工集团" in _get(client, "/me").get_data(as_text=True)
