"""The five-links overview (统筹) and growth records (成长档案), above every domain: what it
shows comes through lms.core's ``growth`` and ``figures`` registries, never a domain's models."""

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav
    from lms.extensions import api as rest_api
    from lms.overview import api, views

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    views.register_helpers(app)
    nav.register("overview.my_growth", _l("成长档案"), order=70)
    nav.register("overview.overview", _l("统筹"), roles=[Role.officer, Role.admin], order=85)

    # Counted figures are kept this long; the beat task counts the federation's and the
    # enterprises' ahead of the officers. 0 turns both off (every page counts afresh).
    app.config.setdefault("OVERVIEW_CACHE_SECONDS", 1800)
    app.config.setdefault("OVERVIEW_REFRESH_SECONDS", 900)
    if app.config["OVERVIEW_CACHE_SECONDS"]:
        app.extensions["celery"].conf.beat_schedule["overview-refresh-figures"] = {
            "task": "lms.overview.tasks.refresh_figures",
            "schedule": timedelta(seconds=app.config["OVERVIEW_REFRESH_SECONDS"]),
        }
