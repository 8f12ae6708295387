"""Audit log of sensitive changes: who, when, what, before and after."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.audit import api, models, subscribers, views  # noqa: F401
    from lms.extensions import api as rest_api

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    subscribers.connect()

    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav

    nav.register("audit.log", _l("审计日志"), roles=[Role.officer, Role.admin], order=90)
