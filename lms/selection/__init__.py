"""Model-worker selection (选树): campaigns, nominations reviewed level by level up the
organization tree, departmental vetting, the committee, the public notice with objections,
and the approval that confers the honour."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.selection import models, services  # noqa: F401
