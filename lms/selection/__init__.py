"""Model-worker selection (选树): campaigns, nominations reviewed level by level up the
organization tree, departmental vetting, the committee, the public notice with objections,
and the approval that confers the honour."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav
    from lms.extensions import api as rest_api
    from lms.selection import api, demo, models, services, views  # noqa: F401

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    rest_api.register_blueprint(api.public_blp)
    demo.register()
    views.register_helpers(app)
    app.config.setdefault("SELECTION_NOTICE_CACHE_SECONDS", 300)
    nav.register("selection.index", _l("评选表彰"), roles=[Role.officer, Role.admin], order=55)
