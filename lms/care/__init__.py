"""Care for model workers and craftsmen (服务): care files, hardship cases, visits,
check-ups and recuperation trips, read only by the care team of the person's scope."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.care import models  # noqa: F401
