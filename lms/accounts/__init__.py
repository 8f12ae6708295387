"""People, organizations, honours, sign-in and API tokens."""

from flask import Flask, redirect, request, url_for
from flask_login import current_user

#: What a person still on an initial password may reach (besides static files).
OPEN_BEFORE_PASSWORD_CHANGE = frozenset({"accounts.change_password", "accounts.logout"})


def init_app(app: Flask) -> None:
    from lms.accounts import (  # noqa: F401
        api,
        cli,
        demo,
        home_cards,
        models,
        services,
        skill_views,  # noqa: F401  (routes)
        template_helpers,
        views,
    )
    from lms.extensions import api as rest_api
    from lms.extensions import login_manager

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    cli.register(app)
    template_helpers.register(app)
    home_cards.register()
    from lms.accounts import contributions

    contributions.register()  # growth record and overview figures
    demo.register()
    demo.register_skill_changes()

    # Every request: the Bearer token if the request has one, else the device session
    # its signed cookie (or remember-me cookie) names.
    login_manager.user_loader(services.user_for_request)
    login_manager.request_loader(lambda _request: services.user_for_request(None))

    @app.before_request
    def password_change_first():
        """An initial password must be changed before anything else, on pages and the API."""
        endpoint = request.endpoint or ""
        if endpoint in OPEN_BEFORE_PASSWORD_CHANGE or endpoint.rpartition(".")[2] == "static":
            return None
        try:
            services.require_password_changed(current_user)
        except services.PasswordChangeRequired:
            if request.path.startswith("/api/"):
                raise
            return redirect(url_for("accounts.change_password"))
        return None

    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav

    nav.register("core.home", _l("首页"), order=0)
    nav.register("accounts.people", _l("学员管理"), roles=[Role.officer, Role.admin], order=80)
    nav.register("core.admin_status", _l("系统状态"), roles=[Role.admin], order=95)
