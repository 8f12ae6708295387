"""Innovation (创新): suggestions, the five smalls, technical innovations, their review,
benefit and rewards, and the innovation studios with their funding ledger."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.innovation import labels, models  # noqa: F401

    labels.register(app)
