"""Field messages of the API are in the reader's language: Chinese by default, English for a
person who chose English — marshmallow's own messages included, with their numbers."""

import pytest

from lms.accounts.models import Role
from lms.accounts.services import create_api_token
from lms.extensions import db
from tests.factories import UserFactory

BAD_COURSE = {
    "hours": -1,
    "capacity": "三十",
    "self_enroll": "也许",
    "lecturer_ids": ["x"],
    "colour": "red",
    "visibility": "nobody",
}


def _bearer(locale: str | None) -> dict:
    officer = UserFactory(roles=[Role.officer], locale=locale)
    _token, secret = create_api_token(officer, "messages")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_422_names_each_field_in_chinese(client):
    response = client.post("/api/v1/courses", json=BAD_COURSE, headers=_bearer(None))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["title"] == ["此项必填。"]
    assert errors["hours"] == ["必须大于或等于 0，且小于或等于 1000。"]
    assert errors["capacity"] == ["应为整数。"]
    assert errors["self_enroll"] == ["应为 true 或 false。"]
    assert errors["lecturer_ids.0"] == ["应为整数。"]
    assert errors["colour"] == ["不认识的字段。"]
    assert errors["visibility"][0].startswith("只能是以下之一：")


def test_query_arguments_are_checked_in_chinese(client):
    response = client.get("/api/v1/courses?page=0&per_page=500", headers=_bearer(None))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "page": ["必须大于或等于 1。"],
        "per_page": ["必须大于或等于 1，且小于或等于 100。"],
    }


@pytest.mark.parametrize(
    ("locale", "required", "hours"),
    [
        ("zh_CN", "此项必填。", "必须大于或等于 0，且小于或等于 1000。"),
        (
            "en",
            "This field is required.",
            "Must be greater than or equal to 0 and less than or equal to 1000.",
        ),
    ],
)
def test_the_same_messages_follow_the_persons_language(client, locale, required, hours):
    response = client.post("/api/v1/courses", json={"hours": 5000}, headers=_bearer(locale))
    errors = response.get_json()["errors"]
    assert (errors["title"], errors["hours"]) == ([required], [hours])
