"""Browser tier: the app served on a real port, driven by Playwright in headless Chromium.

- ``live_server``: the app (SQLite file, eager tasks) served by Werkzeug in a thread;
  ``live_server.url``; data is created in the test with factories and committed.
  ``pg_live_server`` is the same on the services tier's PostgreSQL.
- ``browser``: one Chromium for the session, the system's ``/usr/bin/chromium``.
- ``phone``: a fresh context sized like a small phone (360×740, touch), and ``new_page``
  for further contexts (an instructor's screen beside a worker's phone).
- ``DESKTOP``: the options of an officer's or admin's desk screen, for ``new_page(**DESKTOP)``.
- ``assert_accessible(page)``: axe-core finds no serious or critical violation. The axe-core
  used is the one pinned in ``tests/browser/vendor/package.json`` (with its lock file), installed
  from the npm registry with ``npm ci`` the first time it is needed; every context bypasses the
  app's Content-Security-Policy so the script can be injected.

Tests using these fixtures are marked ``browser`` automatically.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

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
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "has_touch": False}
AXE_VENDOR = Path(__file__).resolve().parent.parent / "browser" / "vendor"
AXE_SCRIPT = AXE_VENDOR / "node_modules" / "axe-core" / "axe.min.js"


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
        # Tests inject axe-core as a script tag, which the app's CSP (script-src 'self') forbids.
        context = browser.new_context(**{**PHONE, "bypass_csp": True, **options})
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


def _missing(message: str):
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def axe_version() -> str:
    """The axe-core version pinned for the browser tier."""
    return json.loads((AXE_VENDOR / "package.json").read_text())["dependencies"]["axe-core"]


@functools.cache
def axe_script() -> Path:
    """The pinned axe-core's ``axe.min.js``, installed with ``npm ci`` when missing or stale."""
    installed = AXE_SCRIPT.parent / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == axe_version():
        return AXE_SCRIPT
    npm = shutil.which("npm")
    if not npm:
        _missing("npm not found: it installs the pinned axe-core (apt-get install npm)")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=AXE_VENDOR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0 or not AXE_SCRIPT.exists():
        _missing(f"npm ci in {AXE_VENDOR} failed: {done.stderr.strip()[-2000:]}")
    return AXE_SCRIPT


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Runs the pinned axe-core on the page; the violations of the given impacts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert results["testEngine"]["version"] == axe_version()
    return [v for v in results["violations"] if v.get("impact") in impacts]


def describe_violations(violations: list[dict], where: str = "") -> list[str]:
    """One readable line per violated rule, with up to five offending elements."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        lines.append(
            f"{where}{v['id']} ({v['impact']}): {v['help']} — {targets}{more}\n    {v['helpUrl']}"
        )
    return lines


def assert_accessible(page, impacts=("serious", "critical")) -> None:
    bad = axe_violations(page, impacts)
    assert not bad, f"axe-core {axe_version()} on {page.url}:\n" + "\n".join(
        describe_violations(bad)
    )
