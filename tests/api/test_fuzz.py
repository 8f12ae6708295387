"""API fuzzing from the OpenAPI document (schemathesis): whatever a client sends, every
operation answers as the document says (``response_schema_conformance``) and never with a
server error, for each demo role signed in with a personal API token.

The whole document is walked, so an operation added by any package later is fuzzed too.
The demo data is loaded once; the database and the cache are put back before each
generated request, so one request's writes (a token revoked, a person deactivated) never
blind the next. Generation is bounded: ``FUZZ_EXAMPLES`` examples per operation (default 4),
no shrinking, and the whole walk must end within the test's timeout.
"""

import os
import sqlite3

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from lms import create_app
from lms.accounts.models import User
from lms.accounts.services import create_api_token
from lms.core.demo import load_all
from lms.extensions import cache, db

DEMO_ROLES = {"worker": "W0001", "mentor": "M0001", "officer": "T0001", "admin": "A0001"}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))


class DemoApi:
    def __init__(self, app, tokens: dict[str, str], snapshot: sqlite3.Connection):
        self.app, self.tokens, self._snapshot = app, tokens, snapshot

    def restore(self) -> None:
        """The demo database as it was before any operation was fuzzed, and an empty cache."""
        db.session.remove()
        connection = db.engine.raw_connection()
        try:
            self._snapshot.backup(connection.driver_connection)
        finally:
            connection.close()
        cache.clear()


@pytest.fixture(scope="module")
def demo_api(tmp_path_factory):
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",  # one connection, kept by the engine
            "STORAGE_DIR": str(tmp_path_factory.mktemp("fuzz-storage")),
            "RATELIMIT_ENABLED": False,  # limits are tested elsewhere; here they hide answers
        },
    )
    with app.app_context():
        db.create_all()
        load_all()
        tokens = {}
        for role, login in DEMO_ROLES.items():
            person = db.session.scalar(sa.select(User).where(User.employee_no == login))
            tokens[role] = create_api_token(person, f"fuzz {role}")[1]
        db.session.commit()
        snapshot = sqlite3.connect(":memory:")
        connection = db.engine.raw_connection()
        connection.driver_connection.backup(snapshot)
        connection.close()
        yield DemoApi(app, tokens, snapshot)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def api_schema(demo_api):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo_api.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.timeout(1500)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_none_is_a_server_error(case, demo_api):
    with demo_api.app.app_context():
        demo_api.restore()
        for role, token in demo_api.tokens.items():
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            try:
                case.validate_response(
                    response, checks=[not_a_server_error, response_schema_conformance]
                )
            except Exception as failure:
                failure.add_note(f"as the demo {role}")
                raise
