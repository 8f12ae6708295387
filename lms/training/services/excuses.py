"""Excuse requests: a worker asks to be excused from a session, an officer decides.

An approved excuse marks the person excused (not counted in their rate) unless they
checked in; after the session has closed the class is recomputed.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit import services as audit
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import emit, excuse_requested
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    CheckinMethod,
    ClassSession,
    ExcuseRequest,
    ExcuseStatus,
    RosterStatus,
    SessionStatus,
    TrainingClass,
)
from lms.training.services.access import can_manage, roster_entry
from lms.training.services.attendance import evaluate_class

__all__ = ["decide_excuse", "excuses_query", "own_record", "request_excuse"]


def own_record(user: User, session: ClassSession) -> tuple[Attendance | None, ExcuseRequest | None]:
    """A person's own mark and excuse request for a session, as their session page shows."""
    record = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.user_id == user.id
        )
    )
    excuse = db.session.scalar(
        sa.select(ExcuseRequest).where(
            ExcuseRequest.session_id == session.id, ExcuseRequest.user_id == user.id
        )
    )
    return record, excuse


def request_excuse(user: User, session: ClassSession, reason: str) -> ExcuseRequest:
    training_class = session.training_class
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(errors={"reason": [_("请写明请假原因。")]})
    if len(reason) > 500:
        raise Invalid(errors={"reason": [_("原因最长 500 字。")]})
    entry = roster_entry(training_class.id, user.id)
    if entry is None or entry.status != RosterStatus.seated:
        raise Forbidden(_("您不在此培训班的学员名单中。"))
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("本课次已取消，无需请假。"))
    existing = db.session.scalar(
        sa.select(ExcuseRequest).where(
            ExcuseRequest.session_id == session.id, ExcuseRequest.user_id == user.id
        )
    )
    if existing is not None and existing.status != ExcuseStatus.rejected:
        raise Conflict(_("您已为本课次提交过请假申请。"))
    if existing is None:
        existing = ExcuseRequest(session_id=session.id, user_id=user.id, reason=reason)
        db.session.add(existing)
    existing.reason = reason
    existing.status = ExcuseStatus.pending
    existing.decided_by_id = None
    existing.decided_at = None
    db.session.flush()
    emit(
        excuse_requested,
        class_id=training_class.id,
        session_id=session.id,
        user_id=user.id,
        request_id=existing.id,
    )
    db.session.commit()
    return existing


def excuses_query(actor: User, status: ExcuseStatus | None = ExcuseStatus.pending) -> sa.Select:
    scope.require_officer(actor)
    stmt = (
        sa.select(ExcuseRequest)
        .join(ExcuseRequest.session)
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .join(Organization, Organization.id == TrainingClass.organization_id)
        .where(scope.subtree_condition(actor))
        .order_by(ExcuseRequest.created_at.desc(), ExcuseRequest.id.desc())
    )
    if status is not None:
        stmt = stmt.where(ExcuseRequest.status == status)
    return stmt


def decide_excuse(actor: User, excuse_id: int, approve: bool) -> ExcuseRequest:
    """Approve or reject; a request outside the actor's classes does not exist for them."""
    excuse = db.session.get(ExcuseRequest, excuse_id)
    if excuse is None or not can_manage(actor, excuse.session.training_class):
        raise NotFound()
    session = excuse.session
    training_class = session.training_class
    if excuse.status != ExcuseStatus.pending:
        raise Conflict(_("此申请已处理过。"))
    excuse.status = ExcuseStatus.approved if approve else ExcuseStatus.rejected
    excuse.decided_by_id = actor.id
    excuse.decided_at = utcnow()
    if approve:
        row = db.session.scalar(
            sa.select(Attendance).where(
                Attendance.session_id == session.id, Attendance.user_id == excuse.user_id
            )
        )
        if row is None:
            db.session.add(
                Attendance(
                    session_id=session.id,
                    user_id=excuse.user_id,
                    status=AttendanceStatus.excused,
                    method=CheckinMethod.manual,
                    marked_by_id=actor.id,
                )
            )
        elif row.checked_in_at is None:
            row.status = AttendanceStatus.excused
            row.marked_by_id = actor.id
    audit.record(
        actor,
        "training.excuse_decide",
        "training_excuse",
        excuse.id,
        organization_id=training_class.organization_id,
        before={"status": "pending"},
        after={"status": excuse.status.value},
        summary=f"{training_class.title}: {excuse.user.name}",
    )
    db.session.flush()
    if session.closed_at is not None:
        evaluate_class(training_class)
    db.session.commit()
    return excuse
