"""Who may see, study, edit and manage a course; how a course is fetched for a person.

- everyone signed in sees *published* courses whose audience includes their organization:
  the organizations chosen for the course and everything below them (by default the
  owning organization's subtree), or the whole city when a federation officer opened it;
- lecturers (and the course's author) edit their own courses and lectures;
- officers edit, publish, archive, assign and read reports of courses owned inside their
  organization subtree; admins everywhere;
- a learner sees their own enrollment and progress only.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, lazyload, selectinload

from courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Visibility,
    course_organizations,
)
from lms.accounts import scope
from lms.accounts.models import Organization, Role, User
from lms.errors import Forbidden, NotFound
from lms.extensions import db

SEATED = (EnrollmentStatus.enrolled, EnrollmentStatus.completed)


def ancestor_ids(org: Organization) -> list[int]:
    """The organization's id and those above it, root first."""
    return [int(part) for part in org.path.strip("/").split("/") if part]


def is_lecturer(actor: User, course: Course) -> bool:
    return course.created_by_id == actor.id or any(u.id == actor.id for u in course.lecturers)


def can_manage(actor: User, course: Course) -> bool:
    """Publish, archive, assign, read reports: officers in scope of the owning organization."""
    return scope.org_in_scope(actor, course.organization)


def can_edit(actor: User, course: Course) -> bool:
    return scope.is_admin(actor) or is_lecturer(actor, course) or can_manage(actor, course)


def can_author(actor: User) -> bool:
    return actor.has_role(Role.mentor, Role.officer, Role.admin)


def can_open_citywide(actor: User) -> bool:
    """Only the federation itself opens a course to the whole city: its officers, admins."""
    if scope.is_admin(actor):
        return True
    return scope.is_officer(actor) and actor.organization.parent_id is None


def visible_condition(actor: User):
    """WHERE clause: courses whose audience includes the actor's organization."""
    if scope.is_admin(actor):
        return sa.true()
    chosen = (
        sa.select(course_organizations.c.course_id)
        .where(
            course_organizations.c.course_id == Course.id,
            course_organizations.c.organization_id.in_(ancestor_ids(actor.organization)),
        )
        .exists()
    )
    return sa.or_(Course.visibility == Visibility.everyone, chosen)


def is_visible_to(user: User, course: Course) -> bool:
    if scope.is_admin(user) or course.visibility == Visibility.everyone:
        return True
    ancestors = set(ancestor_ids(user.organization))
    return any(org.id in ancestors for org in course.organizations)


def enrollment_for(user_id: int, course_id: int) -> Enrollment | None:
    return db.session.scalar(
        sa.select(Enrollment).where(
            Enrollment.user_id == user_id, Enrollment.course_id == course_id
        )
    )


def get_course(
    actor: User, course_id: int, *, for_edit: bool = False, with_lectures: bool = False
) -> Course:
    """A course the actor may see. Drafts and courses for other organizations are 404.

    Its lecturers come with their honours in one more query; ``with_lectures`` loads the
    syllabus in the course's own query.
    """
    options = [
        joinedload(Course.organization),
        selectinload(Course.lecturers).options(lazyload(User.role_rows), joinedload(User.honors)),
    ]
    if with_lectures:
        options.append(joinedload(Course.lectures))
    course = db.session.scalar(sa.select(Course).where(Course.id == course_id).options(*options))
    if course is None:
        raise NotFound()
    if for_edit:
        if not can_edit(actor, course):
            if viewable(actor, course):
                raise Forbidden(_("只有本课程的讲师或所属单位的培训专员可以修改它。"))
            raise NotFound()
        return course
    if not viewable(actor, course):
        raise NotFound()
    return course


def viewable(actor: User, course: Course) -> bool:
    if course.status == CourseStatus.published and is_visible_to(actor, course):
        return True
    if can_edit(actor, course):
        return True
    return enrollment_for(actor.id, course.id) is not None


def require_manage(actor: User, course: Course) -> None:
    if not can_manage(actor, course):
        raise Forbidden(_("只有课程所属单位的培训专员可以进行此操作。"))
