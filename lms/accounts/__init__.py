"""People, organizations, honours, sign-in and API tokens."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.accounts import api, cli, demo, home_cards, models, template_helpers, views  # noqa: F401
    from lms.extensions import api as rest_api

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    cli.register(app)
    template_helpers.register(app)
    home_cards.register()
    demo.register()

    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav

    nav.register("core.home", _l("首页"), order=0)
    nav.register("accounts.people", _l("学员管理"), roles=[Role.officer, Role.admin], order=80)
    nav.register("core.admin_status", _l("系统状态"), roles=[Role.admin], order=95)
