"""Mentorship (传帮带): master–apprentice pairing, goals, mentoring logs and graduation."""

from celery.schedules import crontab
from flask import Flask
from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role
from lms.core import nav
from lms.extensions import api as rest_api


def init_app(app: Flask) -> None:
    from lms.mentorship import (  # noqa: F401
        api,
        demo,
        home_cards,
        models,
        tasks,
        template_helpers,
        views,
    )

    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    template_helpers.register(app)
    home_cards.register()
    from lms.mentorship import contributions

    contributions.register()  # growth record and overview figures
    demo.register()
    app.extensions["celery"].conf.beat_schedule["mentorship-quiet-pairings"] = {
        "task": "lms.mentorship.tasks.announce_quiet_pairings",
        "schedule": crontab(minute=5),
    }

    nav.register("mentorship.mentor_dashboard", _l("我的徒弟"), roles=[Role.mentor], order=30)
    nav.register("mentorship.apprentice_dashboard", _l("我的师傅"), roles=[Role.worker], order=35)
    nav.register(
        "mentorship.officer_list", _l("师徒结对"), roles=[Role.officer, Role.admin], order=40
    )
