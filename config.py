"""Configuration classes.

Every setting can be overridden from the environment: either with the usual name
(``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``) or with the ``LMS_`` prefix
(``LMS_MAIL_SERVER``, ``LMS_LOGIN_MAX_FAILURES`` …). Values are parsed as JSON when
they look like JSON, so ``LMS_MAIL_PORT=587`` is an int and ``LMS_MAIL_USE_TLS=true`` a bool.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

# Packages that carry their own translations; listed once so Babel, the Makefile
# and the i18n test agree on where catalogues live.
TRANSLATED_PACKAGES = ["lms", "courses"]


def _from_env(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


class Config:
    APP_NAME = "工匠学堂"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    REDIS_URL: str | None = None

    # People-facing settings
    TIMEZONE = "Asia/Shanghai"
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
    BABEL_TRANSLATION_DIRECTORIES = ";".join(
        str(BASE_DIR / pkg / "translations") for pkg in TRANSLATED_PACKAGES
    )

    # Sign-in (lms/accounts). Each signed-in device has a session row that the signed cookie
    # names; signing out revokes it on the server. A device unused for SESSION_IDLE_DAYS is
    # signed out. The remember-me cookie is guarded like the session cookie (HttpOnly,
    # SameSite=Lax, Secure in production).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_IDLE_DAYS = 30
    # People imports: refused before any work when the file is larger than this.
    IMPORT_MAX_BYTES = 16 * 1024 * 1024
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    LOGIN_RATE_LIMIT_PER_ADDRESS = "30 per minute"
    LOGIN_RATE_LIMIT_PER_ACCOUNT = "10 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # While Redis does not answer, limits are counted in each process's memory (and Redis is
    # tried again now and then) rather than failing every limited request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536

    # Shared cache (signed-in person, unread badge, course catalog): Redis when REDIS_URL is
    # set, else files under instance/cache, so that the web, worker and beat processes of
    # the embedded mode retire each other's copies. CACHE_KEY_PREFIX keeps several
    # deployments on one Redis apart.
    CACHE_TYPE: str | None = None
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_KEY_PREFIX = "lms:cache:"
    # The unread badge in the header, per person; dropped when their notifications change.
    NOTIFICATION_BADGE_CACHE_SECONDS = 300

    # Reverse proxies in front of the app (nginx, a load balancer): how many of them add to
    # X-Forwarded-For/-Proto/-Host. 0 (the default) trusts none of those headers; set it to
    # the number of proxies, so that rate limits see the client's address and the HTTPS
    # checks see the client's scheme.
    TRUSTED_PROXY_HOPS = 0

    # Forms
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    IMPORT_MAX_ROWS = 20000

    # Files (uploads, certificates, exports) live here unless configured otherwise
    STORAGE_DIR: str | None = None

    # Mail: with no MAIL_SERVER, mails are written to a folder and listed on an admin page
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "工匠学堂 <noreply@craftsman-academy.local>"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"

    # JSON API (flask-smorest)
    API_TITLE = "Craftsman Academy API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    # The docs UI (/api/v1/docs) is lms.core's page, on Swagger UI's files served by the app.
    API_SPEC_OPTIONS = {
        "info": {
            "description": "工匠学堂 JSON API. Authenticate with the session cookie or "
            "`Authorization: Bearer <personal API token>`."
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
            }
        },
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    }
    API_PAGE_SIZE = 20
    API_MAX_PAGE_SIZE = 100

    # A mentor is reminded when an apprentice has had no mentoring log for this many days.
    MENTOR_QUIET_DAYS = 14

    # Celery: broker and result store. With no REDIS_URL the embedded transport over
    # SQLite is used, so nothing needs a server.
    CELERY_TASK_ALWAYS_EAGER = False
    WORKER_HEARTBEAT_SECONDS = 30

    @classmethod
    def load(cls) -> dict:
        """The settings of this class, with the environment applied on top."""
        settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key in list(settings):
            if f"LMS_{key}" in os.environ:
                settings[key] = _from_env(os.environ[f"LMS_{key}"])
        for env_name, key in (
            ("SECRET_KEY", "SECRET_KEY"),
            ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
            ("REDIS_URL", "REDIS_URL"),
        ):
            if os.environ.get(env_name):
                settings[key] = os.environ[env_name]
        for key, value in os.environ.items():
            if key.startswith("LMS_") and key[4:] not in settings:
                settings[key[4:]] = _from_env(value)
        return settings


class DevelopmentConfig(Config):
    DEBUG = False
    ENV_NAME = "development"


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret"
    WTF_CSRF_ENABLED = False
    CELERY_TASK_ALWAYS_EAGER = True
    CACHE_TYPE = "SimpleCache"  # one process, a fresh cache per app
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    RATELIMIT_ENABLED = True


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def ensure_dev_secret(instance_path: Path) -> str:
    """Development generates a secret once and keeps it in instance/, never in the repo."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
