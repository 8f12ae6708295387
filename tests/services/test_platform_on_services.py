"""The platform on PostgreSQL, Redis and a real Celery worker process."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.core.models import WorkerHeartbeat
from lms.core.tasks import record_heartbeat
from lms.extensions import db
from tests.plugins.services import wait_for


def test_migrations_match_the_models_on_postgresql(pg_app):
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
        )
    assert diff == []


def test_migrations_downgrade_to_base_and_upgrade_again(pg_database_url, tmp_path):
    from flask_migrate import downgrade, upgrade

    from lms import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": pg_database_url})
    with app.app_context():
        downgrade(revision="base")
        tables = sa.inspect(db.engine).get_table_names()
        assert set(tables) <= {"alembic_version"}
        upgrade(revision="heads")
        assert "users" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_a_real_worker_runs_tasks_from_redis_and_readyz_sees_it(worker_app, celery_worker):
    record_heartbeat.delay()
    wait_for(
        lambda: db.session.scalar(sa.select(sa.func.count(WorkerHeartbeat.hostname))),
        timeout=30,
        message="the worker never recorded a heartbeat:\n" + celery_worker.log(),
    )
    response = worker_app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 200
    assert body["database"] == "ok" and body["broker"] == "ok"
    assert body["workers_alive"] >= 1


def test_readyz_reports_a_broker_that_is_down(pg_database_url, tmp_path):
    from lms import create_app

    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": pg_database_url,
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "CELERY_TASK_ALWAYS_EAGER": False,
        },
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["broker"] != "ok"


def test_login_rate_limit_is_shared_by_all_web_processes_through_redis(pg_database_url, redis_url):
    """Two app instances (two gunicorn workers) count the same account's attempts together."""
    from lms import create_app
    from tests.plugins.services import services_overrides

    overrides = services_overrides(pg_database_url, redis_url, None, eager=True)
    overrides.pop("STORAGE_DIR")
    overrides["LOGIN_RATE_LIMIT_PER_ACCOUNT"] = "3 per minute"
    overrides["RATELIMIT_KEY_PREFIX"] += "shared-limit:"
    first, second = create_app("testing", overrides), create_app("testing", overrides)
    assert first.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    clients = [first.test_client(), second.test_client()]
    statuses = [
        clients[i % 2]
        .post("/login", data={"login": "NOBODY-X", "password": "x1x1x1x1"})
        .status_code
        for i in range(4)
    ]
    assert statuses == [422, 422, 422, 429]


def test_a_role_change_in_one_web_process_reaches_the_others_cached_copy(
    pg_database_url, redis_url
):
    """Each gunicorn worker reads the signed-in person from Redis; one change retires it."""
    from lms import create_app
    from lms.accounts import services as accounts
    from lms.accounts.models import Role, User
    from tests import factories
    from tests.factories import DEFAULT_PASSWORD, UserFactory
    from tests.plugins.services import services_overrides

    overrides = services_overrides(pg_database_url, redis_url, None, eager=True)
    overrides.pop("STORAGE_DIR")
    overrides["CACHE_KEY_PREFIX"] += "principal:"
    first, second = create_app("testing", overrides), create_app("testing", overrides)
    assert first.config["CACHE_TYPE"] == "RedisCache"
    with second.app_context():
        factories.bind(db.session)
        admin = UserFactory(roles=[Role.admin])
        officer = UserFactory(roles=[Role.officer, Role.worker])
        db.session.commit()
        admin_id, officer_id, login = admin.id, officer.id, officer.employee_no
    browser = first.test_client()
    browser.post("/login", data={"login": login, "password": DEFAULT_PASSWORD})
    assert browser.get("/people").status_code == 200
    assert browser.get("/people").status_code == 200  # now from the copy in Redis
    with second.app_context():
        accounts.set_roles(
            db.session.get(User, admin_id), db.session.get(User, officer_id), {"worker"}
        )
        db.session.commit()
    assert browser.get("/people").status_code == 403
