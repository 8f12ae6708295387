"""The catalog: which published courses a person finds, its filter menus and its cache.

The catalog body is the same for everyone with the same audience, so the view keeps it in
the shared cache under a key that carries the catalog's generation; any committed change
to a course, a lecture or what course pages show of a lecturer moves the generation and
retires every copy at once. Nothing personal is cached here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from courses.models import Course, CourseStatus, Lecture, LectureKind, course_lecturers
from courses.services.access import ancestor_ids, visible_condition
from lms.accounts import scope
from lms.accounts.models import Honor, Organization, SkillLevel, User
from lms.core import invalidation
from lms.db import utcnow
from lms.errors import Invalid
from lms.extensions import cache, db


@dataclass
class CatalogFilter:
    q: str | None = None
    trade: str | None = None
    skill_level: str | None = None
    lecturer_id: int | None = None
    organization_id: int | None = None
    sort: str = "newest"  # or "popular"


def catalog_query(actor: User, filters: CatalogFilter | None = None) -> sa.Select:
    """Published courses the actor may see, with search, filters and sort."""
    f = filters or CatalogFilter()
    stmt = (
        sa.select(Course)
        .where(Course.status == CourseStatus.published, visible_condition(actor))
        .options(
            selectinload(Course.lecturers).lazyload(User.role_rows), joinedload(Course.organization)
        )
    )
    if f.q and f.q.strip():
        like = f"%{f.q.strip()}%"
        stmt = stmt.where(sa.or_(Course.title.like(like), Course.summary.like(like)))
    if f.trade:
        stmt = stmt.where(Course.trade == f.trade)
    if f.skill_level:
        try:
            stmt = stmt.where(Course.skill_level == SkillLevel(f.skill_level))
        except ValueError:
            raise Invalid(errors={"skill_level": [_("技能等级不正确。")]}) from None
    if f.lecturer_id:
        stmt = stmt.where(
            sa.select(course_lecturers.c.course_id)
            .where(
                course_lecturers.c.course_id == Course.id,
                course_lecturers.c.user_id == f.lecturer_id,
            )
            .exists()
        )
    if f.organization_id:
        org_path = db.session.scalar(
            sa.select(Organization.path).where(Organization.id == f.organization_id)
        )
        if org_path is None:
            raise Invalid(errors={"organization_id": [_("单位不存在。")]})
        stmt = stmt.where(
            Course.organization_id.in_(
                sa.select(Organization.id).where(Organization.path.startswith(org_path))
            )
        )
    if f.sort == "popular":
        stmt = stmt.order_by(Course.seats_taken.desc(), Course.id.desc())
    else:
        stmt = stmt.order_by(Course.published_at.desc(), Course.id.desc())
    return stmt


# --- catalog cache --------------------------------------------------------------------------
#
# The catalog is the most visited page and the same for everyone in one organization, so
# its body is rendered once per audience and filters and kept in the shared cache. Any
# committed change to a course or lecture moves the catalog to a new generation, which
# retires every cached copy at once.

CATALOG_GENERATION = invalidation.register_generation("courses-catalog")


def catalog_generation() -> str:
    return invalidation.generation(CATALOG_GENERATION)


#: What course pages show of a lecturer: a change to it is a change to their courses.
_LECTURER_FIELDS = ("name", "trade", "skill_level")


@sa.event.listens_for(Session, "after_flush")
def _watch_catalog(session: Session, flush_context) -> None:
    if invalidation.changed(session, Course, Lecture, Honor) or any(
        _shown_fields_changed(user) for user in invalidation.changed(session, User)
    ):
        invalidation.renew_after_commit(session, CATALOG_GENERATION)


def _shown_fields_changed(user: User) -> bool:
    state = sa.inspect(user)
    return state.deleted or any(state.attrs[f].history.has_changes() for f in _LECTURER_FIELDS)


def catalog_audience(actor: User) -> str:
    """People with the same audience see the same catalog (see ``visible_condition``)."""
    if scope.is_admin(actor):
        return "all"
    return "/".join(str(i) for i in ancestor_ids(actor.organization))


def catalog_cache_key(actor: User, query_args: list[tuple[str, str]], locale: str) -> str:
    """The cached body depends on the audience, the language and the query string only."""
    parts = [catalog_generation(), catalog_audience(actor), locale, sorted(query_args)]
    digest = hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()
    return f"courses:catalog:{digest}"


def catalog_choices() -> dict:
    """Values for the catalog's filter menus (trades, lecturers, organizations).

    They change rarely and cost a scan that grows with the number of lecturers, so they
    are cached with the catalog (same generation, same lifetime).
    """
    timeout = current_app.config["COURSE_CATALOG_CACHE_SECONDS"]
    if not timeout:
        return _catalog_choices()
    key = f"courses:catalog-menus:{catalog_generation()}"
    value = cache.get(key)
    if value is None:
        value = _catalog_choices()
        cache.set(key, value, timeout=timeout)
    return value


def _catalog_choices() -> dict:
    trades = db.session.scalars(
        sa.select(Course.trade)
        .where(Course.status == CourseStatus.published, Course.trade.is_not(None))
        .distinct()
        .order_by(Course.trade)
        .limit(200)
    ).all()
    # Only people who lecture a published course, and organizations that own one.
    lecturers = db.session.execute(
        sa.select(User.id, User.name)
        .select_from(course_lecturers)
        .join(Course, Course.id == course_lecturers.c.course_id)
        .join(User, User.id == course_lecturers.c.user_id)
        .where(Course.status == CourseStatus.published)
        .group_by(User.id, User.name)
        .order_by(User.name)
        .limit(300)
    ).all()
    organizations = db.session.execute(
        sa.select(Organization.id, Organization.name, Organization.path)
        .where(
            Organization.id.in_(
                sa.select(Course.organization_id).where(Course.status == CourseStatus.published)
            )
        )
        .order_by(Organization.path)
        .limit(300)
    ).all()
    return {
        "trades": list(trades),
        "lecturers": [tuple(row) for row in lecturers],
        "organizations": [tuple(row) for row in organizations],
    }


def upcoming_live(actor: User, limit: int = 5) -> list[Lecture]:
    """Live online lectures (云宣讲) of visible published courses, from two hours ago on."""
    return list(
        db.session.scalars(
            sa.select(Lecture)
            .join(Lecture.course)
            .where(
                Lecture.kind == LectureKind.live,
                Lecture.starts_at >= utcnow() - timedelta(hours=2),
                Course.status == CourseStatus.published,
                visible_condition(actor),
            )
            .options(contains_eager(Lecture.course))
            .order_by(Lecture.starts_at)
            .limit(limit)
        )
    )


def managed_courses_query(actor: User) -> sa.Select:
    """Courses the actor authors (lecturers) or manages (officers), any status."""
    stmt = sa.select(Course).options(
        selectinload(Course.lecturers).lazyload(User.role_rows), joinedload(Course.organization)
    )
    if scope.is_admin(actor):
        pass
    else:
        mine = sa.or_(
            Course.created_by_id == actor.id,
            sa.select(course_lecturers.c.course_id)
            .where(
                course_lecturers.c.course_id == Course.id, course_lecturers.c.user_id == actor.id
            )
            .exists(),
        )
        if scope.is_officer(actor):
            mine = sa.or_(
                mine, Course.organization_id.in_(scope.scoped_org_ids(actor).scalar_subquery())
            )
        stmt = stmt.where(mine)
    return stmt.order_by(Course.updated_at.desc(), Course.id.desc())
