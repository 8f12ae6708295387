"""A body the API cannot read is the client's error: 400 with the usual error shape, for every
operation that takes a body (found in the OpenAPI document, so new ones are covered too)."""

import re

import pytest

from lms.accounts.models import Role
from lms.accounts.services import create_api_token
from lms.extensions import db
from tests.factories import UserFactory

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def bearer(app):
    _token, secret = create_api_token(UserFactory(roles=[Role.admin, Role.officer]), "bodies")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _operations_with_a_body(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                yield method.upper(), re.sub(r"\{[^}]+\}", "1", path)


def _assert_bad_request(response, where):
    assert response.status_code == 400, (where, response.status_code, response.get_data()[:300])
    body = response.get_json()
    assert body["code"] == "bad_request" and body["errors"] == {}, (where, body)
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), (where, body)


def test_a_body_nested_100000_deep_is_a_400_on_every_operation(client, bearer):
    operations = list(_operations_with_a_body(client))
    assert len(operations) > 20
    for method, path in operations:
        response = client.open(
            path, method=method, data=DEEP, headers={**bearer, "Content-Type": "application/json"}
        )
        _assert_bad_request(response, (method, path))


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{'title': 1", "application/json"),
        (b"\xff\xfe{", "application/json"),
        ('{"title": "焊接"}', "text/plain"),
        ("title=焊接", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_json_or_another_content_type_is_a_400(client, bearer, body, content_type):
    response = client.post(
        "/api/v1/courses", data=body, headers={**bearer, "Content-Type": content_type}
    )
    _assert_bad_request(response, content_type)
