"""Craftsman Academy (工匠学堂): the application factory."""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from lms.core import messages

# Before any schema class is defined: marshmallow copies its messages into each field.
messages.install()

# Each domain package exposes ``init_app(app)`` that registers its blueprints, API,
# CLI commands, signal subscribers and beat entries. Order follows the dependency
# direction of the design: accounts first, reports last.
DOMAIN_PACKAGES = [
    "lms.core",
    "lms.accounts",
    "lms.audit",
    "lms.scoring",
    "lms.assessment",
    "courses",
    "lms.training",
    "lms.mentorship",
    "lms.care",
    "lms.innovation",
    "lms.competitions",
    "lms.selection",
    "lms.publicity",
    "lms.notifications",
    "lms.certificates",
    "lms.overview",
]


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    from config import CONFIGS, ensure_dev_secret

    config_name = config_name or os.environ.get("LMS_ENV", "development")
    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or None,
        instance_relative_config=True,
    )
    app.config.from_mapping(CONFIGS[config_name].load())
    if overrides:
        app.config.from_mapping(overrides)
    _finish_config(app, config_name, ensure_dev_secret)
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops > 0:
        # Behind that many reverse proxies, the client's address, scheme and host are the
        # ones the proxies recorded in X-Forwarded-For/-Proto/-Host; with none, the headers
        # are anyone's to forge and are ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from lms import extensions as ext
    from lms.celery_app import celery_init_app
    from lms.errors import register_error_handlers
    from lms.timeutil import register_filters

    app.json = JSONProvider(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    ext.db.init_app(app)
    ext.migrate.init_app(
        app,
        ext.db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    ext.csrf.init_app(app)
    ext.limiter.init_app(app)
    ext.cache.init_app(app)
    ext.api.init_app(app)
    ext.api.ma_plugin.converter.add_attribute_function(ext.decimal_as_string)
    celery_init_app(app)
    register_error_handlers(app)
    register_filters(app)

    for name in DOMAIN_PACKAGES:
        importlib.import_module(name).init_app(app)
        # Tasks register with Celery on import; a worker must know every package's tasks.
        if importlib.util.find_spec(f"{name}.tasks") is not None:
            importlib.import_module(f"{name}.tasks")
    return app


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a document nested too deeply to parse is invalid JSON (Flask then
    answers 400) instead of a RecursionError (a 500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON document nested too deeply") from exc


class DatabaseIntConverter(IntegerConverter):
    """``<int:id>`` matches only ids a database integer can hold; larger ones are a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _finish_config(app: Flask, config_name: str, ensure_dev_secret) -> None:  # noqa: C901, PLR0912, PLR0915 - one check per setting, independent of each other
    config = app.config
    if not config.get("SECRET_KEY"):
        if config_name == "production":
            raise RuntimeError(
                "SECRET_KEY is not set. Production refuses to start without it: "
                "set the SECRET_KEY environment variable to a long random value."
            )
        config["SECRET_KEY"] = ensure_dev_secret(Path(app.instance_path))
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'lms.sqlite'}"
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = config["SQLALCHEMY_DATABASE_URI"] = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://") :]
    if uri.startswith("sqlite"):
        # Several processes (web, worker, beat) share the file: wait rather than fail on a lock.
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.setdefault("connect_args", {"timeout": 30})
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if config.get("REDIS_URL") and config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    if not config.get("CACHE_TYPE"):
        config["CACHE_TYPE"] = "RedisCache" if config.get("REDIS_URL") else "FileSystemCache"
    if config["CACHE_TYPE"] == "RedisCache" and config.get("REDIS_URL"):
        config.setdefault("CACHE_REDIS_URL", config["REDIS_URL"])
    config.setdefault("CACHE_DIR", str(Path(app.instance_path) / "cache"))
    if not config.get("STORAGE_DIR"):
        config["STORAGE_DIR"] = str(Path(app.instance_path) / "storage")
