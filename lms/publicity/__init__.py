"""Publicity (宣传): stories about model workers and craftsmen with the person's consent,
columns, public pages for visitors without an account, media coverage, lecture events."""

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav
    from lms.extensions import api as rest_api
    from lms.publicity import api, contributions, demo, home_cards, models, views  # noqa: F401

    app.register_blueprint(views.bp)
    app.register_blueprint(views.public_bp)
    rest_api.register_blueprint(api.blp)
    views.register_helpers(app)
    home_cards.register()
    demo.register()
    contributions.register()  # growth record and overview figures

    nav.register("publicity.index", _l("宣传"), roles=[Role.officer, Role.admin], order=55)
    nav.register("stories.home", _l("劳模工匠风采"), order=90)

    app.config.setdefault("PUBLICITY_CACHE_SECONDS", 600)
    app.config.setdefault("PUBLICITY_REACH_FLUSH_SECONDS", 300)
    celery = app.extensions["celery"]
    celery.conf.beat_schedule["publicity-flush-reach"] = {
        "task": "lms.publicity.tasks.flush_reach",
        "schedule": timedelta(seconds=app.config["PUBLICITY_REACH_FLUSH_SECONDS"]),
    }
