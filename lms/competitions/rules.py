"""Wiring of the contest rules (titles after notice, marking schemes, changes after lock,
appeals): their tables, their API and the beat schedule of the titles' task."""

from __future__ import annotations

from datetime import timedelta


def connect(app) -> None:
    from lms.competitions import rules_api, rules_models  # noqa: F401  (tables join the metadata)
    from lms.extensions import api as rest_api

    rest_api.register_blueprint(rules_api.blp)

    app.config.setdefault("COMPETITIONS_CONFER_EVERY_SECONDS", 3600)
    celery = app.extensions["celery"]
    celery.conf.beat_schedule["competitions-confer-due-titles"] = {
        "task": "lms.competitions.tasks.confer_due_titles",
        "schedule": timedelta(seconds=app.config["COMPETITIONS_CONFER_EVERY_SECONDS"]),
    }
