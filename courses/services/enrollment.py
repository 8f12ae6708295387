"""Enrollment: seats, the waitlist, self-enrollment, leaving, and officers' assignments.

A seat is taken by one conditional UPDATE of the course's counter, so the last seat goes
to exactly one person; the database's CHECK constraint stands behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus, LectureProgress
from courses.services.access import (
    can_manage,
    enrollment_for,
    is_visible_to,
    require_manage,
)
from lms.accounts import scope
from lms.accounts.models import Organization, Role, User, UserRole
from lms.audit import services as audit
from lms.db import is_postgres, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import course_assigned, course_seat_granted, emit


def enrollment_with_progress(
    user_id: int, course_id: int
) -> tuple[Enrollment | None, dict[int, LectureProgress]]:
    """The person's enrollment in a course and their progress per lecture, in one query."""
    rows = db.session.execute(
        sa.select(Enrollment, LectureProgress)
        .outerjoin(LectureProgress, LectureProgress.enrollment_id == Enrollment.id)
        .where(Enrollment.user_id == user_id, Enrollment.course_id == course_id)
    ).all()
    if not rows:
        return None, {}
    return rows[0][0], {p.lecture_id: p for _e, p in rows if p is not None}


def _take_seat(course_id: int) -> bool:
    """Take one seat if any is left, atomically.

    One conditional UPDATE: on PostgreSQL the row lock makes a second transaction wait
    and re-check ``seats_taken < capacity`` after the first commits, so exactly one gets
    the last seat; the CHECK constraint on the table is the last line of defence.
    """
    result = db.session.execute(
        sa.update(Course)
        .where(
            Course.id == course_id,
            sa.or_(Course.capacity.is_(None), Course.seats_taken < Course.capacity),
        )
        .values(seats_taken=Course.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _bump(course_id: int, **deltas: int) -> None:
    db.session.execute(
        sa.update(Course)
        .where(Course.id == course_id)
        .values({getattr(Course, k): getattr(Course, k) + v for k, v in deltas.items()})
        .execution_options(synchronize_session=False)
    )


def enroll(  # noqa: C901, PLR0912, PLR0915 - the enrollment rules in the order a person meets them
    actor: User,
    course: Course,
    user: User | None = None,
    *,
    due_at: datetime | None = None,
    assigned: bool = False,
) -> Enrollment:
    """Enroll ``user`` (default: the actor) — seated if a seat is free, else waitlisted.

    Self-enrollment needs a published course visible to the person that allows it;
    officers assign (``assigned=True``) within their scope, with an optional due date.
    Assigning someone already enrolled updates the due date.
    """
    user = user or actor
    if assigned:
        require_manage(actor, course)
        if not scope.can_manage_user(actor, user):
            raise Forbidden(_("只能给本单位范围内的人员安排课程。"))
        if course.status != CourseStatus.published:
            raise Invalid(_("请先发布课程，再安排学员学习。"))
    else:
        if user.id != actor.id:
            raise Forbidden()
        if course.status != CourseStatus.published or not is_visible_to(user, course):
            raise NotFound()
        if not course.self_enroll:
            raise Forbidden(_("本课程不开放自主报名，请联系培训专员为您安排。"))
    existing = enrollment_for(user.id, course.id)
    if existing is not None:
        if assigned:
            existing.due_at = due_at or existing.due_at
            existing.assigned_by_id = actor.id
            db.session.flush()
            return existing
        raise Conflict(_("您已报名本课程，无需重复报名。"))
    now = utcnow()
    enrollment = Enrollment(
        user_id=user.id,
        course_id=course.id,
        created_at=now,
        due_at=due_at,
        assigned_by_id=actor.id if assigned else None,
        status=EnrollmentStatus.waitlisted,
    )
    try:
        with db.session.begin_nested():
            if _take_seat(course.id):
                enrollment.status = EnrollmentStatus.enrolled
                enrollment.seated_at = now
            else:
                _bump(course.id, waitlisted=1)
            db.session.add(enrollment)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("您已报名本课程，无需重复报名。")) from None
    db.session.expire(course, ["seats_taken", "waitlisted"])
    if assigned:
        emit(
            course_assigned,
            user_id=user.id,
            course_id=course.id,
            due_at=due_at,
            assigned_by_id=actor.id,
            title=course.title,
            url=f"/courses/{course.id}",
        )
    return enrollment


def self_enroll(actor: User, course: Course) -> Enrollment:
    enrollment = enroll(actor, course)
    db.session.commit()
    return enrollment


def withdraw(actor: User, enrollment: Enrollment) -> None:
    """Leave a course (or an officer removes someone); a freed seat goes to the waitlist."""
    course = db.session.get(Course, enrollment.course_id)
    own = enrollment.user_id == actor.id
    if not (can_manage(actor, course) or (own and enrollment.assigned_by_id is None)):
        if own:
            raise Forbidden(_("这门课是培训专员安排的，如需退出请联系培训专员。"))
        raise Forbidden()
    if enrollment.status == EnrollmentStatus.completed:
        raise Conflict(_("已结业的课程不能退出。"))
    seated = enrollment.status == EnrollmentStatus.enrolled
    db.session.delete(enrollment)
    db.session.flush()
    if seated:
        _bump(course.id, seats_taken=-1)
        promote_waitlist(course.id)
    else:
        _bump(course.id, waitlisted=-1)
    db.session.commit()


def promote_waitlist(course_id: int) -> list[int]:
    """Seat waitlisted people in order while seats are free; tell each of them."""
    promoted = []
    while True:
        stmt = (
            sa.select(Enrollment)
            .where(
                Enrollment.course_id == course_id,
                Enrollment.status == EnrollmentStatus.waitlisted,
            )
            .order_by(Enrollment.created_at, Enrollment.id)
            .limit(1)
        )
        if is_postgres(db.session):
            stmt = stmt.with_for_update(skip_locked=True)
        waiting = db.session.scalar(stmt)
        if waiting is None or not _take_seat(course_id):
            break
        waiting.status = EnrollmentStatus.enrolled
        waiting.seated_at = utcnow()
        _bump(course_id, waitlisted=-1)
        db.session.flush()
        promoted.append(waiting.user_id)
        title = db.session.scalar(sa.select(Course.title).where(Course.id == course_id))
        emit(
            course_seat_granted,
            user_id=waiting.user_id,
            course_id=course_id,
            title=title,
            url=f"/courses/{course_id}",
        )
    return promoted


@dataclass
class AssignResult:
    added: int = 0
    updated: int = 0
    waitlisted: int = 0
    user_ids: list[int] = field(default_factory=list)


def assign(  # noqa: C901, PLR0912, PLR0915 - each assignment target kind is a flat, independent branch
    actor: User,
    course: Course,
    *,
    user_ids: list[int] | None = None,
    organization_id: int | None = None,
    due_at: datetime | None = None,
) -> AssignResult:
    """Assign a course to people and/or everyone active in an organization subtree."""
    require_manage(actor, course)
    if course.status != CourseStatus.published:
        raise Invalid(_("请先发布课程，再安排学员学习。"))
    if due_at is not None and due_at < utcnow():
        raise Invalid(errors={"due_at": [_("截止日期不能早于今天。")]})
    people: dict[int, User] = {}
    if user_ids:
        for user in db.session.scalars(sa.select(User).where(User.id.in_(user_ids))):
            people[user.id] = user
        # Someone who does not exist and someone outside the officer's scope look the same.
        if len(people) != len(set(user_ids)) or not all(
            scope.can_manage_user(actor, user) for user in people.values()
        ):
            raise NotFound(_("有人员不存在，或不在您管理的单位范围内。"))
    if organization_id:
        org = db.session.get(Organization, organization_id)
        if org is None or not scope.org_in_scope(actor, org):
            raise NotFound(_("单位不存在，或不在您管理的范围内。"))
        for user in db.session.scalars(
            sa.select(User)
            .join(User.organization)
            .where(
                Organization.path.startswith(org.path),
                User.active.is_(True),
                User.role_rows.any(UserRole.role == Role.worker),
            )
        ):
            people[user.id] = user
    if not people:
        raise Invalid(errors={"user_ids": [_("请选择人员或单位。")]})
    result = AssignResult(user_ids=list(people))
    # Whole organizations at once: a handful of statements, whatever their size.
    existing_ids = set(
        db.session.scalars(
            sa.select(Enrollment.id).where(
                Enrollment.course_id == course.id, Enrollment.user_id.in_(list(people))
            )
        )
    )
    if existing_ids:
        values = {"assigned_by_id": actor.id}
        if due_at is not None:
            values["due_at"] = due_at
        db.session.execute(
            sa.update(Enrollment)
            .where(Enrollment.id.in_(existing_ids))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    existing_users = (
        set(
            db.session.scalars(sa.select(Enrollment.user_id).where(Enrollment.id.in_(existing_ids)))
        )
        if existing_ids
        else set()
    )
    newcomers = [uid for uid in people if uid not in existing_users]
    result.updated = len(existing_users)
    result.added = len(newcomers)
    if newcomers:
        # Lock the course row so self-enrollment cannot take the same seats meanwhile.
        seats_taken, capacity = db.session.execute(
            sa.select(Course.seats_taken, Course.capacity)
            .where(Course.id == course.id)
            .with_for_update()
        ).one()
        free = len(newcomers) if capacity is None else max(0, capacity - seats_taken)
        seated = min(len(newcomers), free)
        result.waitlisted = len(newcomers) - seated
        _bump(course.id, seats_taken=seated, waitlisted=result.waitlisted)
        now = utcnow()
        rows = [
            {
                "user_id": uid,
                "course_id": course.id,
                "status": EnrollmentStatus.enrolled if i < seated else EnrollmentStatus.waitlisted,
                "created_at": now,
                "seated_at": now if i < seated else None,
                "due_at": due_at,
                "assigned_by_id": actor.id,
                "progress_percent": 0,
                "class_attended": False,
            }
            for i, uid in enumerate(newcomers)
        ]
        try:
            with db.session.begin_nested():
                for chunk in range(0, len(rows), 1000):
                    db.session.execute(sa.insert(Enrollment), rows[chunk : chunk + 1000])
        except IntegrityError:  # someone enrolled themselves at this very moment
            db.session.rollback()
            raise Conflict(_("有人刚刚自行报名了本课程，请重新安排一次。")) from None
        db.session.expire(course, ["seats_taken", "waitlisted"])
    for uid in people:
        emit(
            course_assigned,
            user_id=uid,
            course_id=course.id,
            due_at=due_at,
            assigned_by_id=actor.id,
            title=course.title,
            url=f"/courses/{course.id}",
        )
    audit.record(
        actor,
        "course.assigned",
        "course",
        course.id,
        organization_id=course.organization_id,
        after={
            "user_ids": sorted(result.user_ids)[:200],
            "organization_id": organization_id,
            "due_at": due_at.isoformat() if due_at else None,
        },
        summary=_("%(title)s：安排 %(n)d 人", title=course.title, n=len(result.user_ids)),
    )
    db.session.commit()
    return result
