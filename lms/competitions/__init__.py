"""Skill contests (技能竞赛): contests and their trades, quotas, registration, secret
marking codes, judging through lms.scoring, identity reveal, ranking and titles; and
labour competitions (劳动竞赛) inside enterprises."""

from flask import Flask


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from lms.accounts.models import Role
    from lms.competitions import (
        api,
        demo,
        home_cards,
        models,  # noqa: F401  (tables join the metadata)
        views,
    )
    from lms.competitions.rules import connect as connect_rules  # titles, schemes, appeals
    from lms.competitions.theory import connect as connect_theory  # the online theory exam
    from lms.core import nav
    from lms.extensions import api as rest_api

    connect_theory(app)
    connect_rules(app)
    app.register_blueprint(views.bp)
    views.register_helpers(app)
    rest_api.register_blueprint(api.blp)
    rest_api.register_blueprint(api.public)
    demo.register()
    home_cards.register()
    nav.register("competitions.index", _l("竞赛"), roles=[Role.officer, Role.admin], order=55)
    nav.register("competitions.mine", _l("我的比赛"), roles=[Role.worker, Role.mentor], order=56)

    from lms.competitions import contributions

    contributions.register()  # growth record and overview figures
