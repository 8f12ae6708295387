"""Platform core: home page, health checks, sign-in plumbing, language and time zone."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.core import headers
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
    headers.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
