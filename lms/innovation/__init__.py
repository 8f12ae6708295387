"""Innovation (创新): suggestions, the five smalls, technical innovations, their review,
benefit and rewards, and the innovation studios with their funding ledger."""

from flask import Flask


def init_app(app: Flask) -> None:
    from datetime import timedelta

    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.core import nav
    from lms.extensions import api as rest_api
    from lms.innovation import (  # noqa: F401
        api,
        demo,
        home_cards,
        labels,
        models,
        models_awards,
        views,
    )

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    labels.register(app)
    home_cards.register()
    from lms.innovation import contributions

    contributions.register()  # growth record and overview figures
    demo.register()

    celery = app.extensions["celery"]
    celery.conf.beat_schedule["innovation-escalate-overdue"] = {
        "task": "lms.innovation.tasks.escalate_overdue",
        "schedule": timedelta(hours=1),
    }

    nav.register("innovation.mine", _l("我的建议"), roles=[Role.worker], order=60)
    nav.register("innovation.queue", _l("创新评审"), roles=[Role.officer, Role.admin], order=62)
    nav.register("innovation.studios", _l("创新工作室"), order=64)
