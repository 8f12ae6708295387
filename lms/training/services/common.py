"""Small helpers every part of the training services shares: links, times, counted marks."""

from __future__ import annotations

from datetime import datetime

from lms.core.urls import is_http_url
from lms.timeutil import to_local
from lms.training.models import AttendanceStatus, ClassSession

__all__ = ["ATTENDED", "COUNTED", "location_of", "rate_of", "session_url"]

#: Marks that count as attending, and marks that count towards a rate (excused do not).
ATTENDED = (AttendanceStatus.present, AttendanceStatus.late)
COUNTED = (AttendanceStatus.present, AttendanceStatus.late, AttendanceStatus.absent)


def session_url(session_id: int) -> str:
    return f"/training/sessions/{session_id}"


def fmt_time(value: datetime) -> str:
    """A time as people here read it: local, to the minute."""
    return to_local(value).strftime("%Y-%m-%d %H:%M")


def location_of(session: ClassSession) -> str:
    """Where a session takes place: its room, else the class's place or online link."""
    training_class = session.training_class
    online_url = training_class.online_url if is_http_url(training_class.online_url) else ""
    return session.room or training_class.location or online_url


def rate_of(attended: int, counted: int) -> float | None:
    return attended / counted if counted else None
