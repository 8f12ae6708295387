"""Reports: a class's attendance matrix, a person's history, and an organization's summary
(classes, sessions, 人次, hours and rate), each answered in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.db import is_postgres, utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.timeutil import local_zone
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    ClassSession,
    RosterEntry,
    RosterStatus,
    SessionStatus,
    TrainingClass,
)
from lms.training.services.access import require_teach
from lms.training.services.common import ATTENDED, COUNTED, rate_of

__all__ = [
    "Matrix",
    "MatrixRow",
    "SummaryRow",
    "class_matrix",
    "organization_summary",
    "worker_history",
]


@dataclass
class MatrixRow:
    user: User
    status: RosterStatus
    cells: list[AttendanceStatus | None]
    attended: int
    counted: int

    @property
    def rate(self) -> float | None:
        return rate_of(self.attended, self.counted)


@dataclass
class Matrix:
    training_class: TrainingClass
    sessions: list[ClassSession]
    rows: list[MatrixRow]


def class_matrix(actor: User, training_class: TrainingClass) -> Matrix:
    """Workers × sessions with each worker's rate: four queries whatever the size."""
    require_teach(actor, training_class)
    sessions = list(
        db.session.scalars(
            sa.select(ClassSession)
            .where(
                ClassSession.class_id == training_class.id,
                ClassSession.status == SessionStatus.scheduled,
            )
            .order_by(ClassSession.starts_at)
        )
    )
    entries = list(
        db.session.execute(
            sa.select(RosterEntry.user_id, RosterEntry.status, User)
            .join(User, User.id == RosterEntry.user_id)
            .where(
                RosterEntry.class_id == training_class.id,
                RosterEntry.status != RosterStatus.waitlisted,
            )
            .order_by(User.employee_no)
        )
    )
    marks: dict[tuple[int, int], AttendanceStatus] = {}
    for session_id, user_id, status in db.session.execute(
        sa.select(Attendance.session_id, Attendance.user_id, Attendance.status)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(
            ClassSession.class_id == training_class.id,
            ClassSession.status == SessionStatus.scheduled,
        )
    ):
        marks[(user_id, session_id)] = status
    rows = []
    for user_id, status, user in entries:
        cells = [marks.get((user_id, s.id)) for s in sessions]
        if status == RosterStatus.withdrawn and not any(cells):
            continue
        attended = sum(1 for c in cells if c in ATTENDED)
        counted = sum(1 for c in cells if c in COUNTED)
        rows.append(MatrixRow(user, status, cells, attended, counted))
    return Matrix(training_class, sessions, rows)


def worker_history(actor: User, user: User) -> list[tuple[Attendance, ClassSession, TrainingClass]]:
    if not scope.can_view_user(actor, user):
        raise NotFound()
    return [
        tuple(r)
        for r in db.session.execute(
            sa.select(Attendance, ClassSession, TrainingClass)
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .where(Attendance.user_id == user.id)
            .order_by(ClassSession.starts_at.desc())
            .limit(500)
        )
    ]


@dataclass
class SummaryRow:
    organization: Organization
    classes: int = 0
    sessions: int = 0
    person_times: int = 0
    counted: int = 0
    hours: float = 0.0
    person_hours: float = 0.0

    @property
    def rate(self) -> float | None:
        return rate_of(self.person_times, self.counted)


def _duration_seconds(start, end):
    """Seconds between two timestamp columns, in the database's own arithmetic."""
    if is_postgres(db.session):
        return sa.func.extract("epoch", end - start)
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400


def organization_summary(
    actor: User, organization: Organization, start: date, end: date, now: datetime | None = None
) -> tuple[list[SummaryRow], SummaryRow]:
    """Classes and sessions held in [start, end] under an organization, with 人次 and hours.

    Three queries whatever the size, each answering a few rows: sessions per organization,
    marks per organization and status, and the organizations themselves.
    """
    scope.require_officer(actor)
    if not scope.org_in_scope(actor, organization):
        raise NotFound()
    if end < start:
        raise Invalid(errors={"end": [_("结束日期不能早于开始日期。")]})
    now = now or utcnow()
    zone = local_zone()
    lower = datetime.combine(start, datetime.min.time(), zone)
    upper = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone)
    seconds = _duration_seconds(ClassSession.starts_at, ClassSession.ends_at)
    held = (
        sa.select(
            ClassSession.id.label("id"),
            ClassSession.class_id.label("class_id"),
            TrainingClass.organization_id.label("org_id"),
            seconds.label("seconds"),
        )
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .join(Organization, Organization.id == TrainingClass.organization_id)
        .where(
            Organization.path.startswith(organization.path),
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.starts_at >= lower,
            ClassSession.starts_at < upper,
            ClassSession.ends_at <= now,
        )
        .subquery("held")
    )
    per_org = sa.select(
        held.c.org_id,
        sa.func.count(),
        sa.func.count(sa.distinct(held.c.class_id)),
        sa.func.sum(held.c.seconds),
    ).group_by(held.c.org_id)
    # Marks counted per (session, status) read only the (session_id, status) index; the
    # few rows that makes are then summed per organization, all inside the database.
    marks = (
        sa.select(Attendance.session_id, Attendance.status, sa.func.count().label("n"))
        .where(Attendance.session_id.in_(sa.select(held.c.id)))
        .group_by(Attendance.session_id, Attendance.status)
        .subquery("marks")
    )
    per_org_marks = (
        sa.select(
            held.c.org_id,
            marks.c.status,
            sa.func.sum(marks.c.n),
            sa.func.sum(marks.c.n * held.c.seconds),
        )
        .join(held, held.c.id == marks.c.session_id)
        .group_by(held.c.org_id, marks.c.status)
    )
    orgs = {
        o.id: o
        for o in db.session.scalars(
            sa.select(Organization).where(Organization.path.startswith(organization.path))
        )
    }
    by_org: dict[int, SummaryRow] = {}
    total = SummaryRow(organization=organization)
    for org_id, sessions, classes, secs in db.session.execute(per_org):
        row = by_org.setdefault(org_id, SummaryRow(organization=orgs[org_id]))
        for target in (row, total):
            target.sessions += sessions
            target.classes += classes  # a class belongs to one organization
            target.hours += float(secs or 0) / 3600
    for org_id, status, n, secs in db.session.execute(per_org_marks):
        row = by_org[org_id]
        status = AttendanceStatus(status)
        for target in (row, total):
            if status in ATTENDED:
                target.person_times += int(n)
                target.person_hours += float(secs or 0) / 3600
            if status in COUNTED:
                target.counted += int(n)
    rows = sorted(by_org.values(), key=lambda r: r.organization.path)
    return rows, total
