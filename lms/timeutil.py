"""Times are stored as aware UTC and shown in the installation's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_datetime

from lms.db import utcnow

__all__ = ["utcnow", "local_zone", "to_local", "local_datetime", "register_filters"]


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def to_local(value: datetime) -> datetime:
    return value.astimezone(local_zone())


def local_datetime(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """An aware datetime for a wall-clock time in the installation's zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_zone())


def register_filters(app) -> None:
    @app.template_filter("datetime")
    def _datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
        # Flask-Babel converts to the user's zone (BABEL_DEFAULT_TIMEZONE, Asia/Shanghai).
        return format_datetime(value, fmt) if value else ""

    @app.template_filter("date")
    def _date(value: date | datetime | None, fmt: str = "yyyy-MM-dd") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            return format_datetime(value, fmt)
        return format_date(value, fmt)
