"""Services tier: a real PostgreSQL, a real Redis and real Celery worker processes.

Every test session gets its own PostgreSQL database (created, migrated with Alembic,
dropped at the end) and its own Redis key prefix, so several sessions can run on one
machine at once. Tests that use these fixtures are marked ``services`` automatically.

- ``pg_app``: the app on PostgreSQL, tasks eager; tables emptied after each test.
- ``worker_app``: the app on PostgreSQL + Redis, tasks go to the broker.
- ``celery_worker``: one real ``celery worker`` process for the session.
- ``worker_process``: a factory for extra worker processes a test may SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_ID = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _unavailable(what: str, error: Exception):
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if IN_CI:
        pytest.fail(message + " — CI must run the services tier", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    services_fixtures = {
        "pg_app",
        "worker_app",
        "celery_worker",
        "worker_process",
        "pg_database_url",
        "redis_url",
    }
    for item in items:
        if services_fixtures & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.services)


@pytest.fixture(scope="session")
def pg_database_url():
    """A fresh PostgreSQL database for this test session, migrated to the latest revision."""
    try:
        admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        _unavailable("PostgreSQL", exc)
    name = f"lms_test_{RUN_ID}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    _migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
            {"d": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from lms import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")


@pytest.fixture(scope="session")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        _unavailable("Redis", exc)
    return REDIS_URL


def _key_prefix() -> str:
    return f"lms-test-{RUN_ID}:"


def services_overrides(db_url: str, redis: str | None, storage: Path, eager: bool) -> dict:
    prefix = _key_prefix()
    overrides = {
        "SQLALCHEMY_DATABASE_URI": db_url,
        "STORAGE_DIR": str(storage),
        "CELERY_TASK_ALWAYS_EAGER": eager,
        "RATELIMIT_KEY_PREFIX": prefix,
        "CACHE_KEY_PREFIX": f"{prefix}cache:",
    }
    if redis:
        overrides["REDIS_URL"] = redis
        overrides["CACHE_TYPE"] = "RedisCache"
        overrides["CACHE_REDIS_URL"] = redis
        overrides["CELERY"] = {
            "broker_transport_options": {"global_keyprefix": prefix},
            "result_backend_transport_options": {"global_keyprefix": prefix},
        }
    return overrides


def _truncate_all(db) -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    if tables:
        quoted = ", ".join(f'"{t}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        db.session.commit()


def _app_on_services(tmp_path_factory, overrides):
    from lms import create_app
    from lms.extensions import db
    from tests import factories

    app = create_app("testing", overrides)
    app.instance_path = str(tmp_path_factory.mktemp("instance"))

    @app.teardown_request
    def _forget_request_state(exc):
        from flask import g
        from flask_babel import refresh

        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # each client (a browser) has its own
        refresh()
        db.session.expire_all()

    ctx = app.app_context()
    ctx.push()
    factories.bind(db.session)
    return app, ctx, db


@pytest.fixture
def pg_app(pg_database_url, tmp_path_factory):
    storage = tmp_path_factory.mktemp("storage")
    app, ctx, db = _app_on_services(
        tmp_path_factory, services_overrides(pg_database_url, None, storage, eager=True)
    )
    try:
        yield app
    finally:
        db.session.rollback()
        _truncate_all(db)
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


@pytest.fixture(scope="session")
def services_storage(tmp_path_factory):
    return tmp_path_factory.mktemp("services-storage")


@pytest.fixture
def worker_app(pg_database_url, redis_url, services_storage, tmp_path_factory):
    app, ctx, db = _app_on_services(
        tmp_path_factory,
        services_overrides(pg_database_url, redis_url, services_storage, eager=False),
    )
    try:
        yield app
    finally:
        db.session.rollback()
        _truncate_all(db)
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


class WorkerProcess:
    """A real ``celery worker`` process on the session's PostgreSQL and Redis."""

    def __init__(
        self,
        db_url: str,
        redis: str,
        storage: Path,
        name: str,
        concurrency: int = 2,
        queues: str = "default,email,pdf",
        extra_env: dict | None = None,
    ):
        self.name = name
        overrides = services_overrides(db_url, redis, storage, eager=False)
        env = {
            **os.environ,
            "LMS_ENV": "testing",
            "DATABASE_URL": db_url,
            "REDIS_URL": redis,
            "LMS_STORAGE_DIR": str(storage),
            "LMS_CELERY_TASK_ALWAYS_EAGER": "false",
            "LMS_CELERY": json.dumps(overrides["CELERY"]),
            "LMS_RATELIMIT_KEY_PREFIX": overrides["RATELIMIT_KEY_PREFIX"],
            "LMS_CACHE_KEY_PREFIX": overrides["CACHE_KEY_PREFIX"],
            "LMS_CACHE_TYPE": "RedisCache",
            **(extra_env or {}),
        }
        self.log_path = storage / f"worker-{name}.log"
        self.args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "celery_worker",
            "worker",
            "--hostname",
            f"{name}@%h",
            "--queues",
            queues,
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--pool",
            "prefork",
        ]
        self.env = env
        self.proc: subprocess.Popen | None = None

    def start(self, ready_timeout: float = 60) -> WorkerProcess:
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the handle
            self.proc = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited: {self.log_path.read_text()[-3000:]}")
            if b"ready." in self.log_path.read_bytes():
                return self
            time.sleep(0.2)
        raise RuntimeError(
            f"worker not ready in {ready_timeout}s: {self.log_path.read_text()[-3000:]}"
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the whole process group (main process and its pool children) at once."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="session")
def celery_worker(pg_database_url, redis_url, services_storage):
    worker = WorkerProcess(pg_database_url, redis_url, services_storage, name="session").start()
    yield worker
    worker.stop()


@pytest.fixture
def worker_process(pg_database_url, redis_url, services_storage):
    """Start extra workers in a test: ``worker_process("a", concurrency=4)``; stopped after."""
    started: list[WorkerProcess] = []

    def start(name: str, **kwargs) -> WorkerProcess:
        worker = WorkerProcess(
            pg_database_url,
            redis_url,
            services_storage,
            name=f"{name}-{uuid.uuid4().hex[:4]}",
            **kwargs,
        ).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(predicate, timeout: float = 60, interval: float = 0.2, message: str = ""):
    """Poll until ``predicate()`` is truthy; fail with ``message`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(message or f"condition not met within {timeout}s")
