"""Skill contests (技能竞赛): contests and their trades, quotas, registration, secret
marking codes, judging through lms.scoring, identity reveal, ranking and titles."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.competitions import models  # noqa: F401  (tables join the metadata)
    from lms.competitions.rules import connect as connect_rules  # titles, schemes, appeals
    from lms.competitions.theory import connect as connect_theory  # the online theory exam

    connect_theory(app)
    connect_rules(app)

    from lms.competitions import contributions

    contributions.register()  # growth record and overview figures
