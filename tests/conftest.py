"""Shared fixtures: the app, a client, a CLI runner, factories and a login helper.

Tiers (see README): tests marked ``services`` run against a real PostgreSQL, Redis and
Celery worker process; tests marked ``browser`` drive headless Chromium. Both are
skipped with a reason when their servers are missing, and fail instead when CI=true.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from lms import create_app
from lms.extensions import db
from tests import factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

pytest_plugins = ["tests.plugins.services", "tests.plugins.browser"]


def pytest_collection_modifyitems(config, items):
    # Slow tiers last, so a broken rule shows up within seconds.
    order = {"browser": 2, "services": 1}
    items.sort(key=lambda item: max((order.get(m.name, 0) for m in item.iter_markers()), default=0))


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change settings for its tests."""
    return {}


@pytest.fixture
def app(tmp_path, app_overrides):
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "STORAGE_DIR": str(tmp_path / "storage"),
            **app_overrides,
        },
    )
    app.instance_path = str(tmp_path / "instance")

    # The fixture keeps one app context open so tests can use factories and services
    # directly; Flask then reuses it for requests. Forget per-request state after each
    # request, as a real server would, so one request's sign-in never leaks into the next.
    @app.teardown_request
    def _forget_request_state(exc):
        from flask import g
        from flask_babel import refresh

        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # each client (a browser) has its own
        refresh()
        db.session.expire_all()

    with app.app_context():
        db.create_all()
        factories.bind(db.session)
        yield app
        db.session.remove()
        db.engine.dispose()  # the in-memory database goes with its engine


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign in through the real login form, as a person would."""

    def __init__(self, client):
        self._client = client

    def login(self, user_or_login, password: str = factories.DEFAULT_PASSWORD):
        login = getattr(user_or_login, "employee_no", user_or_login)
        response = self._client.post("/login", data={"login": login, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def query_counter():
    """Counts SQL statements run inside ``with query_counter() as counted:``, on the
    database of the app in use (``app`` or ``pg_app``)."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counter
