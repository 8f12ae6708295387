"""Platform core: home page, health checks, sign-in plumbing, language and time zone."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.extensions import babel, login_manager


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and tasks speak the installation's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("locale")
    if current_user and current_user.is_authenticated and current_user.locale:
        chosen = current_user.locale
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def init_app(app: Flask) -> None:
    from lms.core import cli, models, urls, views  # noqa: F401  (models: metadata for migrations)

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["http_url"] = urls.http_url_filter
    app.register_blueprint(views.bp)
    cli.register(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    if app.config.get("QUERY_COUNT_HEADER"):
        _count_queries(app)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        extra = API_HEADERS if request.path.startswith("/api/") else ()
        for name, value in SECURITY_HEADERS + extra:
            headers.setdefault(name, value)
        return response


#: Headers on every response (a view may set its own instead), and on every API response.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "same-origin"),
)
API_HEADERS = (("Cache-Control", "no-store"),)


def _count_queries(app: Flask) -> None:
    """Benchmarks only: report the number of SQL statements in ``X-Query-Count``."""
    import sqlalchemy as sa
    from flask import g

    from lms.db import statement_run
    from lms.extensions import db

    with app.app_context():
        engine = db.engine

    def _count(*args, **kwargs):
        if has_request_context():
            g.query_count = g.get("query_count", 0) + 1

    sa.event.listen(engine, "before_cursor_execute", _count)
    # Statements run past SQLAlchemy's execution (lms.db.DriverStatement) count too.
    statement_run.connect(_count, sender=engine, weak=False)

    @app.after_request
    def _header(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
