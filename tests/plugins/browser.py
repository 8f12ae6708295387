"""Browser tier: the app served on a real port, driven by Playwright in headless Chromium.

- ``live_server``: the app (SQLite file, eager tasks) served by Werkzeug in a thread;
  ``live_server.url``; data is created in the test with factories and committed.
  ``pg_live_server`` is the same on the services tier's PostgreSQL.
- ``browser``: one Chromium for the session, the system's ``/usr/bin/chromium``.
- ``phone``: a fresh context sized like a small phone (360×740, touch), and ``new_page``
  for further contexts (an instructor's screen beside a worker's phone).
- ``assert_accessible(page)``: axe-core finds no serious or critical violation.

Tests using these fixtures are marked ``browser`` automatically.
"""

from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


def pytest_collection_modifyitems(config, items):
    browser_fixtures = {"browser", "phone", "new_page", "live_server", "pg_live_server"}
    for item in items:
        if browser_fixtures & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=10)


@contextmanager
def _serving(app):
    server = LiveServer(app).start()
    app.config["PUBLIC_BASE_URL"] = server.url  # links in mails and QR codes point here
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def live_server(tmp_path):
    from lms import create_app
    from lms.extensions import db
    from tests import factories

    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite'}",
            "STORAGE_DIR": str(tmp_path / "storage"),
            "WTF_CSRF_ENABLED": True,
            "PUBLIC_BASE_URL": "http://127.0.0.1",
        },
    )
    app.instance_path = str(tmp_path / "instance")
    ctx = app.app_context()
    ctx.push()
    db.create_all()
    factories.bind(db.session)
    try:
        with _serving(app) as server:
            yield server
    finally:
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


@pytest.fixture
def pg_live_server(pg_database_url, tmp_path, tmp_path_factory):
    """The app served as ``live_server`` is, on the session's PostgreSQL database."""
    from tests.plugins.services import _app_on_services, _truncate_all, services_overrides

    overrides = services_overrides(pg_database_url, None, tmp_path / "storage", eager=True)
    overrides.update(WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL="http://127.0.0.1")
    app, ctx, db = _app_on_services(tmp_path_factory, overrides)
    try:
        with _serving(app) as server:
            yield server
    finally:
        db.session.rollback()
        _truncate_all(db)
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(**{**PHONE, **options})
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_page):
    return new_page()


def browser_login(page, server, login: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("工号或手机号").fill(login)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def assert_accessible(page, impacts=("serious", "critical")) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in impacts]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
