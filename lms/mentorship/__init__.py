"""Mentorship (传帮带): master–apprentice pairing, goals, mentoring logs and graduation."""

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.mentorship import models  # noqa: F401
