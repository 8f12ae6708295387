"""Training classes: scheduling, rosters, QR check-in, attendance, calendars and reports."""

from datetime import timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role
from lms.core import nav
from lms.extensions import api as rest_api


def init_app(app: Flask) -> None:
    # The package's parts load with the app, so importing ``lms.training.models`` alone (a
    # migration, a factory) does not pull in every page and service.
    from lms.training import api, demo, home_cards, models, views  # noqa: F401

    app.config.setdefault("TRAINING_QR_WINDOW_SECONDS", 10)
    app.config.setdefault("TRAINING_QR_GRACE_WINDOWS", 1)
    # Typing six digits takes longer than pointing a camera: the code lives a little longer.
    app.config.setdefault("TRAINING_CODE_GRACE_WINDOWS", 3)
    app.config.setdefault("TRAINING_CLOSE_EVERY_SECONDS", 300)
    # A scanned QR code opens a page; its "确认签到" button stays valid this long.
    app.config.setdefault("TRAINING_CHECKIN_CONFIRM_SECONDS", 120)
    # Wrong six-digit codes allowed before that path is closed for a while.
    app.config.setdefault("TRAINING_CODE_ATTEMPTS_PER_PERSON", "5 per 10 minutes")
    app.config.setdefault("TRAINING_CODE_ATTEMPTS_PER_SESSION", "100 per 10 minutes")

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    home_cards.register()
    from lms.training import contributions

    contributions.register()  # growth record and overview figures
    demo.register()
    from lms.training import demo_year

    demo_year.register()  # a year of monthly classes for the overview
    views.register_helpers(app)

    nav.register("training.classes", _l("培训班"), order=20)
    nav.register("training.schedule", _l("我的课表"), order=21)
    nav.register("training.warnings", _l("考勤预警"), roles=[Role.officer, Role.admin], order=30)
    nav.register("training.summary", _l("培训统计"), roles=[Role.officer, Role.admin], order=31)

    celery = app.extensions["celery"]
    celery.conf.beat_schedule["training-close-ended-sessions"] = {
        "task": "lms.training.tasks.close_ended_sessions",
        "schedule": timedelta(seconds=app.config["TRAINING_CLOSE_EVERY_SECONDS"]),
    }
