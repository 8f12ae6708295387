"""Celery integrated the way the Flask docs describe: tasks run inside the app context."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from celery import Celery, Task
from flask import Flask
from kombu import Exchange, Queue

QUEUES = ("default", "email", "pdf")


def broker_settings(app: Flask) -> dict:
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return {"broker_url": redis_url, "result_backend": redis_url}
    # Embedded default: a kombu transport and a result store over SQLite files in instance/.
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}",
        "result_backend": f"db+sqlite:///{instance / 'celery-results.sqlite'}",
    }


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    settings = {
        "task_default_queue": "default",
        # Each queue on its own exchange and key: a bare Queue(name) would bind all three to
        # the default key, and a message would be delivered to every queue.
        "task_queues": [
            Queue(name, Exchange(name, type="direct"), routing_key=name) for name in QUEUES
        ],
        "task_default_exchange": "default",
        "task_default_routing_key": "default",
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "task_always_eager": app.config.get("CELERY_TASK_ALWAYS_EAGER", False),
        "task_eager_propagates": True,
        "timezone": "UTC",
        "enable_utc": True,
        "broker_connection_retry_on_startup": True,
        "beat_schedule": {
            "worker-heartbeat": {
                "task": "lms.core.tasks.record_heartbeat",
                "schedule": timedelta(seconds=app.config["WORKER_HEARTBEAT_SECONDS"]),
            },
        },
        **broker_settings(app),
    }
    settings.update(app.config.get("CELERY", {}))
    celery_app.config_from_object(settings)
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
