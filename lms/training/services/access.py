"""Who may see, manage and teach a class, and the reads that respect it.

A class is seen by the officers of its organization's subtree (and admins), its
instructors, the people on its roster and, when it takes registrations, by the people
of its organization's subtree, or by everyone when the federation opened it city-wide.
Anything else is answered as if it did not exist (404).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.errors import Forbidden, NotFound
from lms.extensions import db
from lms.training.models import (
    ClassSession,
    RegistrationMode,
    RosterEntry,
    RosterStatus,
    TrainingClass,
    class_instructors,
)

__all__ = [
    "can_manage",
    "can_mark_city_wide",
    "can_teach",
    "can_view",
    "classes_query",
    "get_class",
    "get_session",
    "in_home_subtree",
    "is_instructor",
    "my_classes",
    "open_to",
    "require_manage",
    "require_teach",
    "roster_entry",
    "session_for_checkin",
]


def can_manage(actor: User, training_class: TrainingClass) -> bool:
    """Officers of the class's organization subtree, and admins."""
    return scope.org_in_scope(actor, training_class.organization)


def is_instructor(
    actor: User, training_class: TrainingClass, session: ClassSession | None = None
) -> bool:
    if session is not None and session.instructor_id == actor.id:
        return True
    return any(i.id == actor.id for i in training_class.instructors)


def can_teach(
    actor: User, training_class: TrainingClass, session: ClassSession | None = None
) -> bool:
    """Who may open the check-in screen and mark attendance."""
    return can_manage(actor, training_class) or is_instructor(actor, training_class, session)


def require_manage(actor: User, training_class: TrainingClass) -> None:
    if not can_manage(actor, training_class):
        raise Forbidden(_("只有本单位的培训专员可以管理此培训班。"))


def require_teach(
    actor: User, training_class: TrainingClass, session: ClassSession | None = None
) -> None:
    if not can_teach(actor, training_class, session):
        raise Forbidden(_("只有本班讲师或培训专员可以进行此操作。"))


def can_mark_city_wide(actor: User) -> bool:
    """Only the federation itself (an officer of the root organization) opens a class to the
    whole city; admins may too."""
    if scope.is_admin(actor):
        return True
    return scope.is_officer(actor) and actor.organization.parent_id is None


def in_home_subtree(user: User, training_class: TrainingClass) -> bool:
    """Whether the person belongs to the class's organization or one below it."""
    return user.organization.path.startswith(training_class.organization.path)


def open_to(user: User, training_class: TrainingClass) -> bool:
    """Whether the person may see and join the class by registering themself."""
    return training_class.registration_mode == RegistrationMode.open and (
        training_class.city_wide or in_home_subtree(user, training_class)
    )


def roster_entry(class_id: int, user_id: int) -> RosterEntry | None:
    return db.session.scalar(
        sa.select(RosterEntry).where(
            RosterEntry.class_id == class_id, RosterEntry.user_id == user_id
        )
    )


def can_view(actor: User, training_class: TrainingClass) -> bool:
    if can_teach(actor, training_class) or open_to(actor, training_class):
        return True
    return roster_entry(training_class.id, actor.id) is not None


def get_class(actor: User, class_id: int) -> TrainingClass:
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None or not can_view(actor, training_class):
        raise NotFound()
    return training_class


def session_for_checkin(session_id: int) -> ClassSession:
    """A session and its class in one query; check_in itself decides who may check in."""
    session = db.session.get(
        ClassSession,
        session_id,
        options=[joinedload(ClassSession.training_class)],
        populate_existing=True,
    )
    if session is None:
        raise NotFound()
    return session


def get_session(actor: User, session_id: int) -> ClassSession:
    # The class comes in the same statement: every caller checks it.
    session = db.session.get(
        ClassSession, session_id, options=[joinedload(ClassSession.training_class)]
    )
    if session is None or not can_view(actor, session.training_class):
        raise NotFound()
    return session


def classes_query(actor: User, *, q: str | None = None) -> sa.Select:
    """Classes the actor may see: managed, taught, own, and open to them."""
    stmt = (
        sa.select(TrainingClass)
        .join(TrainingClass.organization)
        .options(selectinload(TrainingClass.instructors))
    )
    if not scope.is_admin(actor):
        conditions = [
            sa.and_(
                TrainingClass.registration_mode == RegistrationMode.open,
                sa.or_(
                    TrainingClass.city_wide.is_(True),
                    # the person's organization lies in the class's organization subtree
                    sa.literal(actor.organization.path).startswith(Organization.path),
                ),
            ),
            TrainingClass.id.in_(
                sa.select(RosterEntry.class_id).where(RosterEntry.user_id == actor.id)
            ),
            TrainingClass.id.in_(
                sa.select(class_instructors.c.class_id).where(
                    class_instructors.c.user_id == actor.id
                )
            ),
            TrainingClass.id.in_(
                sa.select(ClassSession.class_id).where(ClassSession.instructor_id == actor.id)
            ),
        ]
        if scope.is_officer(actor):
            conditions.append(Organization.path.startswith(actor.organization.path))
        stmt = stmt.where(sa.or_(*conditions))
    if q:
        stmt = stmt.where(TrainingClass.title.contains(q.strip()))
    return stmt.order_by(TrainingClass.id.desc())


def my_classes(user: User) -> list[tuple[TrainingClass, RosterEntry]]:
    rows = db.session.execute(
        sa.select(TrainingClass, RosterEntry)
        .join(RosterEntry, RosterEntry.class_id == TrainingClass.id)
        .where(RosterEntry.user_id == user.id, RosterEntry.status != RosterStatus.withdrawn)
        .order_by(TrainingClass.id.desc())
    )
    return [tuple(r) for r in rows]
