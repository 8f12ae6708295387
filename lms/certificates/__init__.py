"""Certificates: issued from completions, PDFs with a QR code, public verification."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from lms.core import nav
from lms.extensions import api as rest_api


def init_app(app: Flask) -> None:
    from lms.certificates import (  # noqa: F401
        api,
        demo,
        home_cards,
        models,
        subscribers,
        views,
    )

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    rest_api.register_blueprint(api.public)
    subscribers.register()
    demo.register()
    home_cards.register()
    from lms.certificates import contributions

    contributions.register()  # growth record and overview figures

    celery = app.extensions["celery"]
    routes = dict(celery.conf.task_routes or {})
    routes["lms.certificates.tasks.*"] = {"queue": "pdf"}
    celery.conf.task_routes = routes

    nav.register("certificates.index", _l("证书"), order=40)
