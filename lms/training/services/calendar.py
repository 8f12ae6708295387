"""A person's schedule and the calendar feeds (iCalendar) of a person and of a class.

Feed URLs carry a secret token instead of a sign-in, so phone calendars can subscribe;
a person can replace theirs, which ends the old URL at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event

from lms.accounts.models import User
from lms.db import utcnow
from lms.errors import NotFound
from lms.extensions import db
from lms.training.models import (
    CalendarToken,
    ClassSession,
    RosterEntry,
    RosterStatus,
    SessionStatus,
    TrainingClass,
    class_instructors,
)
from lms.training.services.common import location_of, session_url

__all__ = [
    "calendar_token",
    "class_feed",
    "person_feed",
    "person_sessions_query",
    "reset_calendar_token",
    "schedule_for",
]


def person_sessions_query(user: User) -> sa.Select:
    """Sessions of classes the person sits in or teaches."""
    seated_classes = sa.select(RosterEntry.class_id).where(
        RosterEntry.user_id == user.id, RosterEntry.status == RosterStatus.seated
    )
    taught_classes = sa.select(class_instructors.c.class_id).where(
        class_instructors.c.user_id == user.id
    )
    return (
        sa.select(ClassSession)
        .join(ClassSession.training_class)
        .where(
            sa.or_(
                ClassSession.class_id.in_(seated_classes),
                ClassSession.class_id.in_(taught_classes),
                ClassSession.instructor_id == user.id,
            )
        )
        .order_by(ClassSession.starts_at)
    )


def schedule_for(user: User, start: datetime, end: datetime) -> list[ClassSession]:
    return list(
        db.session.scalars(
            person_sessions_query(user).where(
                ClassSession.starts_at >= start, ClassSession.starts_at < end
            )
        )
    )


def calendar_token(user: User) -> str:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.user_id == user.id))
    if row is None:
        row = CalendarToken(user_id=user.id, token=secrets.token_urlsafe(24))
        db.session.add(row)
        db.session.commit()
    return row.token


def reset_calendar_token(user: User) -> str:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.user_id == user.id))
    if row is None:
        return calendar_token(user)
    row.token = secrets.token_urlsafe(24)
    db.session.commit()
    return row.token


def _ical(name: str, sessions: list[ClassSession]) -> bytes:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//Craftsman Academy//Training//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", current_app.config["TIMEZONE"])
    stamp = utcnow()
    for s in sessions:
        event = Event()
        event.add("uid", f"training-session-{s.id}@craftsman-academy")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.starts_at)
        event.add("dtend", s.ends_at)
        event.add("summary", s.training_class.title)
        location = location_of(s)
        if location:
            event.add("location", location)
        event.add("url", base + session_url(s.id))
        event.add("sequence", s.sequence)
        if s.status == SessionStatus.cancelled:
            event.add("status", "CANCELLED")
            if s.cancel_reason:
                event.add("description", _("已取消：%(r)s", r=s.cancel_reason))
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _feed_start() -> datetime:
    return utcnow() - timedelta(days=90)


def person_feed(token: str) -> bytes:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.token == token))
    if row is None:
        raise NotFound()
    user = db.session.get(User, row.user_id)
    sessions = list(
        db.session.scalars(
            person_sessions_query(user).where(ClassSession.starts_at >= _feed_start())
        )
    )
    return _ical(_("%(name)s 的培训课表", name=user.name), sessions)


def class_feed(token: str) -> bytes:
    training_class = db.session.scalar(
        sa.select(TrainingClass).where(TrainingClass.feed_token == token)
    )
    if training_class is None:
        raise NotFound()
    sessions = [s for s in training_class.sessions if s.starts_at >= _feed_start()]
    return _ical(training_class.title, sessions)
