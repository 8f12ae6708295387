"""Assessment engine (测评引擎): question banks, papers drawn per candidate from a
blueprint, sittings timed by the server, marking by one rule (``marking``).

An engine (floor 4): it knows nothing of courses or contests. A domain creates a bank and
an exam, lists its candidates, and hears ``assessment_sitting_closed`` to use the score.
"""

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.assessment import models  # noqa: F401  (tables join the metadata)

    app.config.setdefault("ASSESSMENT_CLOSE_EVERY_SECONDS", 60)
    celery = app.extensions["celery"]
    celery.conf.beat_schedule["assessment-close-expired-sittings"] = {
        "task": "lms.assessment.tasks.close_expired_sittings",
        "schedule": timedelta(seconds=app.config["ASSESSMENT_CLOSE_EVERY_SECONDS"]),
    }
