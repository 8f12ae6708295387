"""API fuzzing from the OpenAPI document (schemathesis): whatever a client sends, the API
answers with a documented shape and never with a 500.

Runs as an officer with a personal API token against a small organization, so writes stay
inside one enterprise. Generation is bounded to keep the suite quick.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from lms.accounts.models import Role
from lms.accounts.services import create_api_token
from lms.extensions import db
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory


@pytest.fixture
def api_schema(app):
    enterprise = EnterpriseFactory()
    WorkshopFactory(parent=enterprise)
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    UserFactory(organization=enterprise)
    _token, secret = create_api_token(officer, "fuzz")
    db.session.commit()
    app.config["FUZZ_TOKEN"] = secret
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_never_answers_with_a_server_error(case, app):
    response = case.call(headers={"Authorization": f"Bearer {app.config['FUZZ_TOKEN']}"})
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        body = response.json()
        assert {"code", "message", "errors"} <= set(body), body
