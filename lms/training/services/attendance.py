"""Marks of a session and what follows from them: the instructor's grid and corrections, the
end-of-session absent marking, each person's rate, low-attendance warnings and completion.

``evaluate_class`` recomputes a class from its closed sessions whenever a mark changes after
a session has closed (a correction, an approved excuse, a late check-in), so rates, warnings
and completions never lag behind the marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit import services as audit
from lms.db import utcnow
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.signals import class_completed, emit, low_attendance
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    AttendanceWarning,
    CheckinMethod,
    ClassCompletion,
    ClassSession,
    ExcuseRequest,
    RosterEntry,
    RosterStatus,
    SessionStatus,
    TrainingClass,
)
from lms.training.services.access import require_teach
from lms.training.services.common import ATTENDED, COUNTED, fmt_time, rate_of

__all__ = [
    "GridRow",
    "attendance_grid",
    "class_rates",
    "close_session",
    "ended_unclosed_ids",
    "evaluate_class",
    "mark_attendance",
    "warnings_query",
]


@dataclass
class GridRow:
    user: User
    attendance: Attendance | None
    excuse: ExcuseRequest | None = None


def attendance_grid(actor: User, session: ClassSession) -> list[GridRow]:
    """Every seated person (and anyone with a record) with their mark: three queries."""
    training_class = session.training_class
    require_teach(actor, training_class, session)
    records = {
        a.user_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    excuses = {
        e.user_id: e
        for e in db.session.scalars(
            sa.select(ExcuseRequest).where(ExcuseRequest.session_id == session.id)
        )
    }
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(RosterEntry, RosterEntry.user_id == User.id)
            .where(
                RosterEntry.class_id == training_class.id,
                sa.or_(
                    RosterEntry.status == RosterStatus.seated,
                    User.id.in_(list(records) or [-1]),
                ),
            )
            .order_by(User.employee_no)
        )
    )
    return [GridRow(u, records.get(u.id), excuses.get(u.id)) for u in users]


def mark_attendance(
    actor: User,
    session: ClassSession,
    marks: dict[int, AttendanceStatus | str | None],
    now: datetime | None = None,
) -> int:
    """Set or correct marks; after the session ends, every change is audited."""
    training_class = session.training_class
    require_teach(actor, training_class, session)
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("课次已取消，不能登记考勤。"))
    now = now or utcnow()
    allowed = set(
        db.session.scalars(
            sa.select(RosterEntry.user_id).where(RosterEntry.class_id == training_class.id)
        )
    )
    if any(uid not in allowed for uid in marks):
        raise Invalid(errors={"marks": [_("有人不在本班名单中。")]})
    records = {
        a.user_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    after_session = now >= session.ends_at
    names = dict(
        db.session.execute(sa.select(User.id, User.name).where(User.id.in_(list(marks)))).all()
    )
    changed = 0
    for user_id, status in marks.items():
        if not status:
            continue
        status = AttendanceStatus(status)
        row = records.get(user_id)
        before = row.status.value if row else None
        if before == status.value:
            continue
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id, method=CheckinMethod.manual)
            db.session.add(row)
        row.status = status
        row.marked_by_id = actor.id
        if row.method == CheckinMethod.auto:
            row.method = CheckinMethod.manual
        changed += 1
        if after_session:
            audit.record(
                actor,
                "training.attendance_change",
                "training_attendance",
                session.id,
                organization_id=training_class.organization_id,
                before={"user_id": user_id, "status": before},
                after={"user_id": user_id, "status": status.value},
                summary=_(
                    "%(cls)s %(t)s %(name)s：%(b)s → %(a)s",
                    cls=training_class.title,
                    t=fmt_time(session.starts_at),
                    name=names.get(user_id, user_id),
                    b=before or "—",
                    a=status.value,
                ),
            )
    db.session.flush()
    if session.closed_at is not None and changed:
        evaluate_class(training_class)
    db.session.commit()
    return changed


# --- end of a session, warnings and completion ---------------------------------------------


def ended_unclosed_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(ClassSession.id)
            .where(
                ClassSession.status == SessionStatus.scheduled,
                ClassSession.closed_at.is_(None),
                ClassSession.ends_at <= (now or utcnow()),
            )
            .order_by(ClassSession.ends_at)
            .limit(limit)
        )
    )


def _seated_ids(class_id: int) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(RosterEntry.user_id).where(
                RosterEntry.class_id == class_id, RosterEntry.status == RosterStatus.seated
            )
        )
    )


def close_session(session_id: int, now: datetime | None = None) -> int:
    """Mark every seated person without a record absent, once; then check rates."""
    now = now or utcnow()
    session = db.session.execute(
        sa.select(ClassSession)
        .where(ClassSession.id == session_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if (
        session is None
        or session.closed_at is not None
        or session.status != SessionStatus.scheduled
        or session.ends_at > now
    ):
        db.session.rollback()
        return 0
    marked = set(
        db.session.scalars(sa.select(Attendance.user_id).where(Attendance.session_id == session.id))
    )
    missing = sorted(_seated_ids(session.class_id) - marked)
    db.session.add_all(
        Attendance(
            session_id=session.id,
            user_id=user_id,
            status=AttendanceStatus.absent,
            method=CheckinMethod.auto,
        )
        for user_id in missing
    )
    session.closed_at = now
    db.session.flush()
    evaluate_class(session.training_class, now)
    db.session.commit()
    return len(missing)


def class_rates(class_id: int) -> dict[int, tuple[int, int]]:
    """Per person: (attended, counted) over the class's closed sessions; excused not counted."""
    rows = db.session.execute(
        sa.select(
            Attendance.user_id,
            sa.func.sum(sa.case((Attendance.status.in_(ATTENDED), 1), else_=0)),
            sa.func.sum(sa.case((Attendance.status.in_(COUNTED), 1), else_=0)),
        )
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(
            ClassSession.class_id == class_id,
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.closed_at.is_not(None),
        )
        .group_by(Attendance.user_id)
    )
    return {user_id: (int(a or 0), int(c or 0)) for user_id, a, c in rows}


def _closed_and_open(class_id: int) -> tuple[int, int]:
    closed = sa.func.sum(sa.case((ClassSession.closed_at.is_not(None), 1), else_=0))
    still_open = sa.func.sum(sa.case((ClassSession.closed_at.is_(None), 1), else_=0))
    held, pending = db.session.execute(
        sa.select(closed, still_open).where(
            ClassSession.class_id == class_id, ClassSession.status == SessionStatus.scheduled
        )
    ).one()
    return int(held or 0), int(pending or 0)


def _review_warnings(
    training_class: TrainingClass, seated: set[int], rates: dict, held: int
) -> None:
    """Warn whoever is below the bar (once, with the figures of that moment), and withdraw a
    warning once its person is back at or above the bar."""
    standing = {
        w.user_id: w
        for w in db.session.scalars(
            sa.select(AttendanceWarning).where(AttendanceWarning.class_id == training_class.id)
        )
    }
    for user_id in sorted(seated | set(standing)):
        rate = rate_of(*rates.get(user_id, (0, 0)))
        below = user_id in seated and rate is not None and rate < training_class.low_attendance_rate
        warning = standing.get(user_id)
        if warning is not None:
            if not below:
                db.session.delete(warning)
            continue
        if not below or held < training_class.low_attendance_min_sessions:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    AttendanceWarning(
                        class_id=training_class.id, user_id=user_id, rate=rate, sessions_held=held
                    )
                )
        except IntegrityError:
            continue
        emit(
            low_attendance,
            class_id=training_class.id,
            user_id=user_id,
            rate=rate,
            threshold=training_class.low_attendance_rate,
            officer_id=training_class.officer_id,
        )


def _record_completions(
    training_class: TrainingClass, seated: set[int], rates: dict, now: datetime
) -> None:
    if training_class.completed_at is None:
        training_class.completed_at = now
    done = set(
        db.session.scalars(
            sa.select(ClassCompletion.user_id).where(ClassCompletion.class_id == training_class.id)
        )
    )
    for user_id in sorted(seated - done):
        rate = rate_of(*rates.get(user_id, (0, 0)))
        if rate is None or rate < training_class.completion_rate:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    ClassCompletion(class_id=training_class.id, user_id=user_id, rate=rate)
                )
        except IntegrityError:
            continue
        emit(
            class_completed,
            class_id=training_class.id,
            user_id=user_id,
            rate=rate,
            title=training_class.title,
            organization_id=training_class.organization_id,
        )


def evaluate_class(training_class: TrainingClass, now: datetime | None = None) -> None:
    """Recompute a class from its closed sessions: warnings, and completions once every
    session is closed (idempotent: each warning and completion is recorded once)."""
    now = now or utcnow()
    held, pending = _closed_and_open(training_class.id)
    rates = class_rates(training_class.id)
    seated = _seated_ids(training_class.id)
    _review_warnings(training_class, seated, rates, held)
    if held and not pending:
        _record_completions(training_class, seated, rates, now)
    db.session.flush()


def warnings_query(actor: User) -> sa.Select:
    scope.require_officer(actor)
    return (
        sa.select(AttendanceWarning)
        .join(TrainingClass, TrainingClass.id == AttendanceWarning.class_id)
        .join(Organization, Organization.id == TrainingClass.organization_id)
        .where(scope.subtree_condition(actor))
        .order_by(AttendanceWarning.created_at.desc())
    )
