"""Home, health checks, the admin status page and the API docs' assets."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, send_from_directory
from flask_login import current_user, login_required

from lms.core import home as home_cards
from lms.core import services
from lms.errors import Forbidden

bp = Blueprint(
    "core",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/core/static",
)


@bp.route("/")
def home():
    """What to do today, for each role the person holds; a welcome page when signed out."""
    if not current_user.is_authenticated:
        return render_template("core/welcome.html")
    return render_template("core/home.html", cards=home_cards.cards_for(current_user))


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    state = services.readiness()
    return jsonify(state), 200 if state["ready"] else 503


@bp.route("/admin/status")
@login_required
def admin_status():
    if not current_user.has_role("admin"):
        raise Forbidden()
    return render_template(
        "core/admin_status.html", state=services.readiness(), workers=services.workers()
    )


@bp.route("/api/v1/docs")
def api_docs():
    """Swagger UI on the OpenAPI document, started by a script file (no inline script)."""
    return render_template("core/api_docs.html")


@bp.route("/api/v1/docs/assets/<path:filename>")
def docs_assets(filename: str):
    """Swagger UI's files from the installed package: the docs work with no internet."""
    from swagger_ui_bundle import swagger_ui_path

    return send_from_directory(Path(swagger_ui_path), filename, max_age=86400)


@bp.app_context_processor
def inject_globals():
    from flask_babel import get_locale

    from lms.core import nav

    locale = get_locale()
    is_chinese = locale is not None and locale.language == "zh"

    return {
        "app_name": current_app.config["APP_NAME"],
        "languages": current_app.config["LANGUAGES"],
        "nav_items": lambda: nav.items_for(current_user),
        "html_lang": "zh-CN" if is_chinese else "en",
        "other_locale": "en" if is_chinese else "zh_CN",
    }
