"""Assessment engine (测评引擎): question banks, papers drawn per candidate from a
blueprint, sittings timed by the server, marking by one rule (``marking``).

An engine (floor 4): it knows nothing of courses or contests. A domain creates a bank and
an exam, lists its candidates, and hears ``assessment_sitting_closed`` to use the score.
"""

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.assessment import api, demo, labels, models, views  # noqa: F401
    from lms.core import nav
    from lms.extensions import api as rest_api

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    labels.register_helpers(app)
    demo.register()
    nav.register("assessment.my_exams", _l("在线考试"), order=45)
    nav.register("assessment.banks", _l("题库与考试"), roles=[Role.officer, Role.admin], order=46)

    app.config.setdefault("ASSESSMENT_CLOSE_EVERY_SECONDS", 60)
    celery = app.extensions["celery"]
    celery.conf.beat_schedule["assessment-close-expired-sittings"] = {
        "task": "lms.assessment.tasks.close_expired_sittings",
        "schedule": timedelta(seconds=app.config["ASSESSMENT_CLOSE_EVERY_SECONDS"]),
    }
