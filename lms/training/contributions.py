"""What training contributes to a person's growth record and to the five-links overview:
classes attended with their hours, and classes, sessions, person-times and hours counted
per organization subtree and month. Fixed number of queries (GROUP BY), whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from lms.accounts.models import Organization, User
from lms.core import events, figures, growth
from lms.core.tally import seconds_between, tally
from lms.extensions import db
from lms.timeutil import to_local
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    SessionStatus,
    TrainingClass,
)

ATTENDED = (AttendanceStatus.present, AttendanceStatus.late)


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    """One entry per class the person attended: sessions attended and their hours."""
    rows = db.session.execute(
        sa.select(
            TrainingClass.id,
            TrainingClass.title,
            sa.func.count(Attendance.id),
            sa.func.sum(seconds_between(ClassSession.starts_at, ClassSession.ends_at)),
            sa.func.max(ClassSession.starts_at),
        )
        .select_from(Attendance)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .where(Attendance.user_id == user_id, Attendance.status.in_(ATTENDED))
        .group_by(TrainingClass.id, TrainingClass.title)
    ).all()
    entries = []
    for class_id, title, sessions, seconds, last in rows:
        hours = round((seconds or 0) / 3600, 1)
        entries.append(
            growth.Entry(
                link="cultivation",
                kind="class_attended",
                title=_("参加培训班：%(title)s", title=title),
                on=to_local(last).date(),
                detail=_("出勤 %(n)d 次 · %(hours)s 学时", n=sessions, hours=hours),
                url=url_for("training.class_detail", class_id=class_id),
                hours=hours,
            )
        )
    return entries


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    held = [ClassSession.status != SessionStatus.cancelled]
    class_org = aliased(Organization)
    classes = tally(
        q,
        sa.func.count(sa.distinct(ClassSession.class_id)),
        day=ClassSession.starts_at,
        path=class_org.path,
        select_from=sa.join(ClassSession, TrainingClass).join(
            class_org, class_org.id == TrainingClass.organization_id
        ),
        where=held,
        distinct=True,
    )
    sessions = tally(
        q,
        sa.func.count(ClassSession.id),
        day=ClassSession.starts_at,
        path=class_org.path,
        select_from=sa.join(ClassSession, TrainingClass).join(
            class_org, class_org.id == TrainingClass.organization_id
        ),
        where=held,
    )
    person_org = aliased(Organization)
    attended = (
        sa.join(Attendance, ClassSession, ClassSession.id == Attendance.session_id)
        .join(User, User.id == Attendance.user_id)
        .join(person_org, person_org.id == User.organization_id)
    )
    person_times = tally(
        q,
        sa.func.count(Attendance.id),
        day=ClassSession.starts_at,
        path=person_org.path,
        select_from=attended,
        where=[Attendance.status.in_(ATTENDED)],
    )
    hours = tally(
        q,
        sa.func.sum(seconds_between(ClassSession.starts_at, ClassSession.ends_at)) / 3600.0,
        day=ClassSession.starts_at,
        path=person_org.path,
        select_from=attended,
        where=[Attendance.status.in_(ATTENDED)],
    )
    drill = url_for("training.classes")
    return [
        figures.Figure(
            "cultivation",
            "training.classes",
            _("培训班"),
            classes.total,
            "",
            drill,
            classes.by_month,
            classes.by_child,
            order=10,
        ),
        figures.Figure(
            "cultivation",
            "training.sessions",
            _("培训课次"),
            sessions.total,
            _("次"),
            drill,
            sessions.by_month,
            sessions.by_child,
            order=11,
        ),
        figures.Figure(
            "cultivation",
            "training.person_times",
            _("培训人次"),
            person_times.total,
            _("人次"),
            None,
            person_times.by_month,
            person_times.by_child,
            order=12,
        ),
        figures.Figure(
            "cultivation",
            "training.hours",
            _("培训学时"),
            round(float(hours.total), 1),
            _("学时"),
            None,
            hours.by_month,
            hours.by_child,
            order=13,
        ),
    ]


def public_events(start, end, limit: int) -> list[events.Event]:
    """Sessions of city-wide classes (open to every worker of the city: lecture tours and
    forums by model workers) starting in ``[start, end)``; the instructor speaks."""
    from sqlalchemy.orm import selectinload

    sessions = db.session.scalars(
        sa.select(ClassSession)
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .where(
            TrainingClass.city_wide.is_(True),
            ClassSession.status != SessionStatus.cancelled,
            ClassSession.starts_at >= start,
            ClassSession.starts_at < end,
        )
        .options(selectinload(ClassSession.training_class), selectinload(ClassSession.instructor))
        .order_by(ClassSession.starts_at)
        .limit(limit)
    )
    found = []
    for session in sessions:
        klass = session.training_class
        place = session.room or klass.location
        found.append(
            events.Event(
                source="training",
                title=klass.title,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=place,
                online=bool(klass.online_url) and not place,
                speakers=(session.instructor.name,) if session.instructor else (),
                url=url_for("training.class_detail", class_id=klass.id),
            )
        )
    return found


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
    events.register(public_events)
