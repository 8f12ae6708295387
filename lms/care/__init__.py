"""Care for model workers and craftsmen (服务): care files, hardship cases, visits,
check-ups and recuperation trips, read only by the care team of the person's scope."""

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.care import api, api_surveys, demo, home_cards, models, views  # noqa: F401
    from lms.core import nav
    from lms.extensions import api as rest_api

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    views.register_helpers(app)
    home_cards.register()
    from lms.care import contributions

    contributions.register()  # growth record and overview figures
    demo.register()

    nav.register("care.index", _l("关爱服务"), roles=[Role.officer, Role.admin], order=50)

    app.config.setdefault("CARE_REMIND_EVERY_SECONDS", 3600)
    celery = app.extensions["celery"]
    celery.conf.beat_schedule["care-remind-due-followups"] = {
        "task": "lms.care.tasks.remind_due_followups",
        "schedule": timedelta(seconds=app.config["CARE_REMIND_EVERY_SECONDS"]),
    }
