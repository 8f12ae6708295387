"""Model-worker selection (选树): campaigns, nominations reviewed level by level up the
organization tree, departmental vetting, the committee, the public notice with objections,
and the approval that confers the honour."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav
    from lms.selection import models, services, views  # noqa: F401

    app.register_blueprint(views.bp)
    views.register_helpers(app)
    app.config.setdefault("SELECTION_NOTICE_CACHE_SECONDS", 300)
    nav.register("selection.index", _l("评选表彰"), roles=[Role.officer, Role.admin], order=55)
