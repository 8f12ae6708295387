"""Who sees which pairing (``roles_in``, ``get_mentorship``), the filtered lists officers
read, their totals, and the helpers every part of the rules shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, lazyload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.db import is_postgres, utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.mentorship.models import Mentorship, MentorshipStatus
from lms.timeutil import to_local

S = MentorshipStatus


def local_today() -> date:
    return to_local(utcnow()).date()


# --- visibility ------------------------------------------------------------------------------


def roles_in(actor: User, mentorship: Mentorship) -> set[str]:
    """The parts the actor plays in this pairing: officer, mentor, apprentice."""
    roles = set()
    if scope.org_in_scope(actor, mentorship.organization):
        roles.add("officer")
    if actor.id == mentorship.mentor_id:
        roles.add("mentor")
    if actor.id == mentorship.apprentice_id:
        roles.add("apprentice")
    return roles


def load_row(model, row_id: int, lock: bool):
    """One row by id; with ``lock``, fresh from the database and locked until commit
    (PostgreSQL — SQLite serialises writers anyway)."""
    stmt = sa.select(model).where(model.id == row_id)
    if lock:
        stmt = stmt.execution_options(populate_existing=True)
        if is_postgres(db.session):
            stmt = stmt.with_for_update(of=model)
    return db.session.scalar(stmt)


def get_mentorship(actor: User, mentorship_id: int, *, lock: bool = False) -> Mentorship:
    """A pairing the actor may see; with ``lock``, its row is locked until commit (PostgreSQL)."""
    mentorship = load_row(Mentorship, mentorship_id, lock)
    if mentorship is None or not roles_in(actor, mentorship):
        raise NotFound()
    return mentorship


def relock(actor: User, mentorship: Mentorship) -> Mentorship:
    return get_mentorship(actor, mentorship.id, lock=True)


@dataclass
class MentorshipFilter:
    status: str | None = None
    programme_id: int | None = None
    organization_id: int | None = None
    mentor_id: int | None = None
    q: str | None = None


def mentorships_query(actor: User, filters: MentorshipFilter | None = None) -> sa.Select:
    """Pairings the actor may see (officers: their subtree; others: their own), newest first."""
    filters = filters or MentorshipFilter()
    stmt = sa.select(Mentorship).options(
        joinedload(Mentorship.mentor).options(
            lazyload(User.role_rows), lazyload(User.organization)
        ),
        joinedload(Mentorship.apprentice).options(
            lazyload(User.role_rows), lazyload(User.organization)
        ),
        joinedload(Mentorship.programme),
    )
    if scope.is_admin(actor):
        pass
    elif scope.is_officer(actor):
        stmt = stmt.where(Mentorship.organization_id.in_(scope.scoped_org_ids(actor)))
    else:
        stmt = stmt.where(
            sa.or_(Mentorship.mentor_id == actor.id, Mentorship.apprentice_id == actor.id)
        )
    if filters.status:
        try:
            stmt = stmt.where(Mentorship.status == MentorshipStatus(filters.status))
        except ValueError:
            raise Invalid(errors={"status": [_("状态不正确。")]}) from None
    if filters.programme_id:
        stmt = stmt.where(Mentorship.programme_id == filters.programme_id)
    if filters.mentor_id:
        stmt = stmt.where(Mentorship.mentor_id == filters.mentor_id)
    if filters.organization_id:
        org = db.session.get(Organization, filters.organization_id)
        if org is None:
            raise Invalid(errors={"organization_id": [_("单位不存在。")]})
        stmt = stmt.where(Mentorship.organization_id.in_(scope.subtree_org_ids(org)))
    if filters.q:
        text = filters.q.strip()
        matching = sa.select(User.id).where(
            sa.or_(User.name.like(f"%{text}%"), User.employee_no == text)
        )
        stmt = stmt.where(
            sa.or_(Mentorship.mentor_id.in_(matching), Mentorship.apprentice_id.in_(matching))
        )
    return stmt.order_by(Mentorship.id.desc())


def totals(actor: User, filters: MentorshipFilter | None = None) -> dict:
    """Pairs, active, graduated and confirmed hours over the same filtered pairings: one query."""
    base = mentorships_query(actor, filters).order_by(None).subquery()
    row = db.session.execute(
        sa.select(
            sa.func.count(base.c.id),
            sa.func.coalesce(
                sa.func.sum(sa.case((base.c.status == S.active.value, 1), else_=0)), 0
            ),
            sa.func.coalesce(
                sa.func.sum(sa.case((base.c.status == S.completed.value, 1), else_=0)), 0
            ),
            sa.func.coalesce(sa.func.sum(base.c.confirmed_minutes), 0),
        )
    ).one()
    return {
        "pairs": row[0],
        "active": row[1],
        "graduated": row[2],
        "confirmed_hours": round(row[3] / 60, 1),
    }


def page_path(endpoint: str, fallback: str, **values) -> str:

    try:
        return url_for(endpoint, **values)
    except RuntimeError:  # outside a request (CLI, tasks)
        return fallback
