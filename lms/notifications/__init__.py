"""Notifications: in-app centre, e-mail, preferences, and the reminder outbox on Celery."""

from datetime import timedelta

from celery.schedules import crontab
from flask import Flask
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role
from lms.core import nav
from lms.extensions import api as rest_api


def init_app(app: Flask) -> None:
    from lms.notifications import (  # noqa: F401
        api,
        demo,
        home_cards,
        models,
        subscribers,
        views,
    )

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    subscribers.register()
    demo.register()
    home_cards.register()

    celery = app.extensions["celery"]
    routes = dict(celery.conf.task_routes or {})
    routes["lms.notifications.tasks.send_email"] = {"queue": "email"}
    routes["lms.notifications.tasks.send_emails"] = {"queue": "email"}
    celery.conf.task_routes = routes
    celery.conf.beat_schedule.update(
        {
            "dispatch-reminders": {
                "task": "lms.notifications.tasks.dispatch_reminders",
                "schedule": timedelta(seconds=app.config.get("REMINDER_DISPATCH_SECONDS", 60)),
            },
            "send-digests": {
                "task": "lms.notifications.tasks.send_digests",
                "schedule": crontab(minute=0),
            },
            "requeue-stale-mail": {
                "task": "lms.notifications.tasks.requeue_stale_mail",
                "schedule": timedelta(minutes=10),
            },
        }
    )

    nav.register("notifications.centre", _l("通知"), order=5)
    nav.register("notifications.admin_mail", _l("邮件发送"), roles=[Role.admin], order=96)
