"""Programmes (named mentoring schemes of an organization) and mentors' capacity: how
many apprentices each may take at once, enforced under a row lock."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User, UserRole
from lms.audit import services as audit
from lms.db import insert_ignoring_duplicates, is_postgres, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.mentorship.models import OPEN_STATUSES, MentorProfile, Mentorship, Programme

# --- programmes ------------------------------------------------------------------------------


def create_programme(
    actor: User, organization: Organization, name: str, description: str | None = None
) -> Programme:
    scope.require_org_in_scope(actor, organization)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid(errors={"name": [_("请填写项目名称（120 字以内）。")]})
    exists = db.session.scalar(
        sa.select(Programme.id).where(
            Programme.organization_id == organization.id, Programme.name == name
        )
    )
    if exists:
        raise Conflict(errors={"name": [_("本单位已有同名的带徒项目。")]})
    programme = Programme(organization=organization, name=name, description=description)
    db.session.add(programme)
    db.session.flush()
    audit.record(
        actor,
        "mentorship.programme_create",
        "mentorship_programme",
        programme.id,
        organization_id=organization.id,
        after={"name": name},
        summary=name,
    )
    db.session.commit()
    return programme


def programmes_query(actor: User) -> sa.Select:
    """Programmes an officer may use: those of organizations in scope."""
    return (
        sa.select(Programme)
        .where(Programme.organization_id.in_(scope.scoped_org_ids(actor)), Programme.active)
        .order_by(Programme.name)
    )


def get_programme(actor: User, programme_id: int) -> Programme:
    """A programme the actor may use: an officer's in scope, or one open to the actor's own
    organization (an apprentice asking a mentor); any other is not found (404)."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or not (
        scope.org_in_scope(actor, programme.organization)
        or actor.organization.path.startswith(programme.organization.path)
    ):
        raise NotFound()
    return programme


# --- capacity --------------------------------------------------------------------------------


def default_capacity() -> int:
    return int(current_app.config.get("MENTOR_DEFAULT_CAPACITY", 3))


def capacities(mentor_ids) -> dict[int, int]:
    ids = list(mentor_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(MentorProfile.user_id, MentorProfile.capacity).where(
            MentorProfile.user_id.in_(ids)
        )
    ).all()
    found = dict(rows)
    return {i: found.get(i, default_capacity()) for i in ids}


def loads(mentor_ids) -> dict[int, int]:
    """How many open pairings (proposed, active, paused) each mentor has."""
    ids = list(mentor_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Mentorship.mentor_id, sa.func.count())
        .where(Mentorship.mentor_id.in_(ids), Mentorship.status.in_(OPEN_STATUSES))
        .group_by(Mentorship.mentor_id)
    ).all()
    found = dict(rows)
    return {i: found.get(i, 0) for i in ids}


def lock_mentor(mentor_id: int) -> MentorProfile:
    """The mentor's capacity row, created if missing, locked until commit on PostgreSQL.

    Every pairing that takes one of the mentor's places goes through here, so two made at
    the same moment are serialised and the second sees the first.
    """
    db.session.execute(
        insert_ignoring_duplicates(db.session, MentorProfile, ["user_id"]).values(
            user_id=mentor_id, capacity=default_capacity(), updated_at=utcnow()
        )
    )
    stmt = (
        sa.select(MentorProfile)
        .where(MentorProfile.user_id == mentor_id)
        .execution_options(populate_existing=True)
    )
    if is_postgres(db.session):
        stmt = stmt.with_for_update()
    return db.session.scalar(stmt)


def check_capacity(mentor: User, profile: MentorProfile, exclude_id: int | None = None) -> None:
    stmt = sa.select(sa.func.count()).where(
        Mentorship.mentor_id == mentor.id, Mentorship.status.in_(OPEN_STATUSES)
    )
    if exclude_id:
        stmt = stmt.where(Mentorship.id != exclude_id)
    load = db.session.scalar(stmt)
    if load >= profile.capacity:
        raise Conflict(
            _(
                "%(name)s师傅已带 %(load)d 名徒弟，达到上限 %(capacity)d 名。"
                "请选择其他师傅，或先调整其带徒名额。",
                name=mentor.name,
                load=load,
                capacity=profile.capacity,
            ),
            errors={"mentor_id": [_("该师傅名额已满。")]},
        )


def mentors_in_scope(actor: User) -> sa.Select:
    """Mentors an officer manages, by name: for the page where places are set."""
    scope.require_officer(actor)
    return (
        sa.select(User)
        .join(User.organization)
        .where(
            User.role_rows.any(UserRole.role == Role.mentor),
            User.active,
            scope.subtree_condition(actor),
        )
        .order_by(User.name, User.id)
    )


def set_capacity(actor: User, mentor: User, capacity: int) -> MentorProfile:
    if not scope.can_manage_user(actor, mentor):
        raise Forbidden()
    if not isinstance(capacity, int) or not 0 <= capacity <= 20:
        raise Invalid(errors={"capacity": [_("带徒名额应在 0 到 20 之间。")]})
    profile = lock_mentor(mentor.id)
    before = profile.capacity
    profile.capacity = capacity
    audit.record(
        actor,
        "mentorship.capacity",
        "user",
        mentor.id,
        organization_id=mentor.organization_id,
        before={"capacity": before},
        after={"capacity": capacity},
        summary=f"{mentor.name} {before}→{capacity}",
    )
    db.session.commit()
    return profile
