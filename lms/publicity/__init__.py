"""Publicity (宣传): stories about model workers and craftsmen with the person's consent,
columns, public pages for visitors without an account, media coverage, lecture events."""

from datetime import timedelta

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.publicity import models  # noqa: F401

    app.config.setdefault("PUBLICITY_CACHE_SECONDS", 600)
    app.config.setdefault("PUBLICITY_REACH_FLUSH_SECONDS", 300)
    celery = app.extensions["celery"]
    celery.conf.beat_schedule["publicity-flush-reach"] = {
        "task": "lms.publicity.tasks.flush_reach",
        "schedule": timedelta(seconds=app.config["PUBLICITY_REACH_FLUSH_SECONDS"]),
    }
