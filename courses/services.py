"""The rules for courses, lectures, enrollment, progress, quizzes and reports.

UI, API, CLI and tasks all come through here; every permission check lives here.

Who may do what:
- everyone signed in sees *published* courses visible to their organization (visibility
  "everyone", or one of the chosen organizations is theirs or above theirs);
- lecturers (and the course's author) edit their own courses and lectures;
- officers edit, publish, archive, assign and read reports of courses owned inside their
  organization subtree; admins everywhere;
- a learner sees their own enrollment and progress only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload, lazyload, selectinload

from courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lecture,
    LectureKind,
    LectureProgress,
    Option,
    Question,
    QuizAnswer,
    QuizAttempt,
    Visibility,
    course_lecturers,
    course_organizations,
)
from lms.accounts import scope
from lms.accounts.models import Honor, Organization, Role, SkillLevel, User, UserRole
from lms.accounts.services import Claim, claimed_user_id
from lms.audit import services as audit
from lms.core import invalidation, pagecache, storage
from lms.db import (
    AutocommitConnections,
    DriverStatement,
    after_commit,
    enqueue_after_commit,
    is_postgres,
    utcnow,
)
from lms.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from lms.extensions import cache, db
from lms.signals import (
    course_assigned,
    course_completed,
    course_seat_granted,
    live_lecture_cancelled,
    live_lecture_scheduled,
)

SEATED = (EnrollmentStatus.enrolled, EnrollmentStatus.completed)


def _send(signal, **kwargs) -> None:
    signal.send(current_app._get_current_object(), **kwargs)


# --- permissions ---------------------------------------------------------------------------


def _ancestor_ids(org: Organization) -> list[int]:
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


def visible_condition(actor: User):
    """WHERE clause: courses whose audience includes the actor's organization."""
    if scope.is_admin(actor):
        return sa.true()
    chosen = (
        sa.select(course_organizations.c.course_id)
        .where(
            course_organizations.c.course_id == Course.id,
            course_organizations.c.organization_id.in_(_ancestor_ids(actor.organization)),
        )
        .exists()
    )
    return sa.or_(Course.visibility == Visibility.everyone, chosen)


def is_visible_to(user: User, course: Course) -> bool:
    if scope.is_admin(user) or course.visibility == Visibility.everyone:
        return True
    ancestors = set(_ancestor_ids(user.organization))
    return any(org.id in ancestors for org in course.organizations)


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
            if _viewable(actor, course):
                raise Forbidden(_("只有本课程的讲师或所属单位的培训专员可以修改它。"))
            raise NotFound()
        return course
    if not _viewable(actor, course):
        raise NotFound()
    return course


def _viewable(actor: User, course: Course) -> bool:
    if course.status == CourseStatus.published and is_visible_to(actor, course):
        return True
    if can_edit(actor, course):
        return True
    return enrollment_for(actor.id, course.id) is not None


def require_manage(actor: User, course: Course) -> None:
    if not can_manage(actor, course):
        raise Forbidden(_("只有课程所属单位的培训专员可以进行此操作。"))


# --- catalog -------------------------------------------------------------------------------


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


# --- kept pages of learners ----------------------------------------------------------------
#
# A learner's course pages and "my learning" are kept per session (``lms.core.pagecache``).
# Any committed change to their enrollments or progress retires their copies; statements
# that change many rows at once retire everyone's by moving this generation.

LEARNING_GENERATION = invalidation.register_generation("courses-learning")


@sa.event.listens_for(Session, "after_flush")
def _watch_learning(session: Session, flush_context) -> None:
    changed = invalidation.changed(session, Enrollment, LectureProgress)
    if not changed:
        return
    learners = {obj.user_id for obj in changed if isinstance(obj, Enrollment)}
    enrollment_ids = {obj.enrollment_id for obj in changed if isinstance(obj, LectureProgress)} - {
        obj.id for obj in changed if isinstance(obj, Enrollment)
    }
    if enrollment_ids:
        learners |= set(
            session.connection().scalars(
                sa.select(Enrollment.user_id).where(Enrollment.id.in_(enrollment_ids))
            )
        )
    pagecache.retire_after_commit(session, learners)


#: A heartbeat's writes change only what no kept page shows (the position, last activity).
HEARTBEAT_WRITE = {"synchronize_session": False, "pages_unchanged": True}


@sa.event.listens_for(Session, "do_orm_execute")
def _watch_bulk_learning(orm_execute_state) -> None:
    """Statements that bypass the objects: seats taken (courses), enrollments, progress."""
    if orm_execute_state.is_select or orm_execute_state.execution_options.get("pages_unchanged"):
        return
    mapper = orm_execute_state.bind_mapper
    if mapper is None:
        return
    if mapper.class_ is Course:
        invalidation.renew_after_commit(orm_execute_state.session, CATALOG_GENERATION)
    elif mapper.class_ in (Enrollment, LectureProgress):
        invalidation.renew_after_commit(orm_execute_state.session, LEARNING_GENERATION)


def catalog_audience(actor: User) -> str:
    """People with the same audience see the same catalog (see ``visible_condition``)."""
    if scope.is_admin(actor):
        return "all"
    return "/".join(str(i) for i in _ancestor_ids(actor.organization))


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
            .options(sa.orm.contains_eager(Lecture.course))
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


# --- authoring -----------------------------------------------------------------------------

COURSE_FIELDS = (
    "title",
    "summary",
    "trade",
    "skill_level",
    "hours",
    "visibility",
    "self_enroll",
    "capacity",
    "linked_class_id",
)


def _validate_course(data: dict) -> None:
    errors: dict[str, list[str]] = {}
    if "title" in data and not (data["title"] or "").strip():
        errors["title"] = [_("请填写课程名称。")]
    if data.get("capacity") is not None and data["capacity"] < 1:
        errors["capacity"] = [_("名额至少为 1；不限名额请留空。")]
    if data.get("hours") is not None and not (0 <= float(data["hours"]) <= 1000):
        errors["hours"] = [_("学时应在 0 到 1000 之间。")]
    if errors:
        raise Invalid(errors=errors)


def _organizations(ids: list[int]) -> list[Organization]:
    if not ids:
        return []
    orgs = list(db.session.scalars(sa.select(Organization).where(Organization.id.in_(ids))))
    if len(orgs) != len(set(ids)):
        raise Invalid(errors={"organization_ids": [_("所选单位不存在。")]})
    return orgs


def _lecturers(ids: list[int]) -> list[User]:
    if not ids:
        return []
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(User.id.in_(ids), UserRole.role == Role.mentor)
        )
    )
    if len(users) != len(set(ids)):
        raise Invalid(errors={"lecturer_ids": [_("讲师必须是平台上的导师。")]})
    return users


def create_course(
    actor: User,
    *,
    organization_ids: list[int] | None = None,
    lecturer_ids: list[int] | None = None,
    organization_id: int | None = None,
    **data,
) -> Course:
    if not can_author(actor):
        raise Forbidden(_("只有导师和培训专员可以创建课程。"))
    _validate_course({"title": data.get("title", ""), **data})
    owner = actor.organization
    if organization_id and organization_id != actor.organization_id:
        owner = db.session.get(Organization, organization_id)
        if owner is None or not scope.org_in_scope(actor, owner):
            raise Invalid(errors={"organization_id": [_("只能选择您所管理的单位。")]})
    course = Course(
        organization=owner,
        created_by_id=actor.id,
        status=CourseStatus.draft,
        **{k: v for k, v in data.items() if k in COURSE_FIELDS},
    )
    lecturers = _lecturers(lecturer_ids or [])
    if actor.has_role(Role.mentor) and actor not in lecturers:
        lecturers.insert(0, actor)
    course.lecturers = lecturers
    course.organizations = _organizations(organization_ids or [])
    if course.visibility == Visibility.organizations and not course.organizations:
        raise Invalid(errors={"organization_ids": [_("请选择可以学习本课程的单位。")]})
    db.session.add(course)
    db.session.flush()
    audit.record(
        actor,
        "course.created",
        "course",
        course.id,
        organization_id=course.organization_id,
        summary=course.title,
    )
    db.session.commit()
    return course


def update_course(
    actor: User,
    course: Course,
    *,
    organization_ids: list[int] | None = None,
    lecturer_ids: list[int] | None = None,
    **data,
) -> Course:
    if not can_edit(actor, course):
        raise Forbidden(_("只有本课程的讲师或所属单位的培训专员可以修改它。"))
    _validate_course(data)
    old_capacity = course.capacity
    for key, value in data.items():
        if key in COURSE_FIELDS:
            setattr(course, key, value)
    if course.capacity is not None and course.capacity < course.seats_taken:
        raise Invalid(
            errors={
                "capacity": [_("已有 %(n)d 人占用名额，名额不能少于此数。", n=course.seats_taken)]
            }
        )
    if organization_ids is not None:
        course.organizations = _organizations(organization_ids)
    if lecturer_ids is not None:
        course.lecturers = _lecturers(lecturer_ids)
    if course.visibility == Visibility.organizations and not course.organizations:
        raise Invalid(errors={"organization_ids": [_("请选择可以学习本课程的单位。")]})
    db.session.flush()
    if course.capacity is None or (old_capacity is not None and course.capacity > old_capacity):
        promote_waitlist(course.id)
    db.session.commit()
    return course


def set_cover(actor: User, course: Course, stream: BinaryIO, filename: str, size: int | None):
    if not can_edit(actor, course):
        raise Forbidden()
    ext = _extension(filename)
    if ext not in current_app.config["COURSE_COVER_TYPES"]:
        raise Invalid(errors={"cover": [_("封面只支持 JPG、PNG、WebP 图片。")]})
    limit = current_app.config["COURSE_COVER_MAX_BYTES"]
    key = _store(stream, size, limit)
    old = course.cover_key
    course.cover_key = key
    db.session.commit()
    storage.delete(old)


def publish(actor: User, course: Course) -> Course:
    require_manage(actor, course)
    if course.status == CourseStatus.published:
        return course
    if not db.session.scalar(
        sa.select(sa.func.count(Lecture.id)).where(Lecture.course_id == course.id)
    ):
        raise Invalid(_("课程还没有任何讲，请先添加内容再发布。"))
    before = course.status.value
    course.status = CourseStatus.published
    course.published_at = course.published_at or utcnow()
    audit.record(
        actor,
        "course.published",
        "course",
        course.id,
        organization_id=course.organization_id,
        before={"status": before},
        after={"status": "published"},
        summary=course.title,
    )
    db.session.flush()
    for lecture in course.lectures:
        _announce_live(lecture)
    db.session.commit()
    return course


def archive(actor: User, course: Course) -> Course:
    require_manage(actor, course)
    if course.status != CourseStatus.published:
        raise Conflict(_("只有已发布的课程可以归档。"))
    course.status = CourseStatus.archived
    audit.record(
        actor,
        "course.archived",
        "course",
        course.id,
        organization_id=course.organization_id,
        before={"status": "published"},
        after={"status": "archived"},
        summary=course.title,
    )
    db.session.commit()
    return course


# --- lectures ------------------------------------------------------------------------------

LECTURE_FIELDS = (
    "title",
    "required",
    "body",
    "video_url",
    "duration_seconds",
    "starts_at",
    "join_url",
    "pass_mark",
    "max_attempts",
)


def _validate_lecture(kind: LectureKind, data: dict, has_file: bool) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = [_("请填写标题。")]
    url = data.get("video_url") or data.get("join_url")
    for key in ("video_url", "join_url"):
        value = data.get(key)
        if value and not value.startswith(("https://", "http://")):
            errors[key] = [_("链接应以 https:// 或 http:// 开头。")]
    if kind == LectureKind.text and not (data.get("body") or "").strip():
        errors["body"] = [_("请填写正文。")]
    if kind == LectureKind.live:
        if not data.get("starts_at"):
            errors["starts_at"] = [_("请填写直播开始时间。")]
        if not data.get("join_url"):
            errors["join_url"] = [_("请填写直播入口链接。")]
    if kind == LectureKind.quiz:
        mark = data.get("pass_mark")
        if mark is not None and not 0 <= mark <= 100:
            errors["pass_mark"] = [_("及格分应在 0 到 100 之间。")]
        attempts = data.get("max_attempts")
        if attempts is not None and attempts < 1:
            errors["max_attempts"] = [_("答题次数至少 1 次；不限次数请留空。")]
    del url, has_file
    if errors:
        raise Invalid(errors=errors)


def get_lecture_for_edit(actor: User, lecture_id: int) -> Lecture:
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        raise NotFound()
    get_course(actor, lecture.course_id, for_edit=True)
    return lecture


def add_lecture(actor: User, course: Course, kind: LectureKind | str, **data) -> Lecture:
    if not can_edit(actor, course):
        raise Forbidden(_("只有本课程的讲师或所属单位的培训专员可以修改它。"))
    kind = LectureKind(kind)
    _validate_lecture(kind, data, False)
    last = db.session.scalar(
        sa.select(sa.func.max(Lecture.position)).where(Lecture.course_id == course.id)
    )
    lecture = Lecture(
        course_id=course.id,
        kind=kind,
        position=(last or 0) + 1,
        **{k: v for k, v in data.items() if k in LECTURE_FIELDS and v is not None},
    )
    db.session.add(lecture)
    db.session.flush()
    _after_lecture_change(course)
    _announce_live(lecture)
    db.session.commit()
    return lecture


def update_lecture(actor: User, lecture: Lecture, **data) -> Lecture:
    course = get_course(actor, lecture.course_id, for_edit=True)
    merged = {k: getattr(lecture, k) for k in LECTURE_FIELDS} | data
    _validate_lecture(lecture.kind, merged, bool(lecture.file_key))
    moved = "starts_at" in data and data["starts_at"] != lecture.starts_at
    for key, value in data.items():
        if key in LECTURE_FIELDS:
            setattr(lecture, key, value)
    db.session.flush()
    _after_lecture_change(course)
    if moved:
        _announce_live(lecture)
    db.session.commit()
    return lecture


def delete_lecture(actor: User, lecture: Lecture) -> None:
    course = get_course(actor, lecture.course_id, for_edit=True)
    key = lecture.file_key
    if lecture.kind == LectureKind.live and course.status == CourseStatus.published:
        _send(live_lecture_cancelled, lecture_id=lecture.id)
    db.session.delete(lecture)
    db.session.flush()
    _after_lecture_change(course)
    after_commit(db.session, storage.delete, key)
    db.session.commit()


def move_lecture(actor: User, lecture: Lecture, direction: int) -> None:
    """Swap a lecture with its neighbour above (-1) or below (+1)."""
    get_course(actor, lecture.course_id, for_edit=True)
    cmp = (
        Lecture.position < lecture.position
        if direction < 0
        else Lecture.position > lecture.position
    )
    order = Lecture.position.desc() if direction < 0 else Lecture.position.asc()
    other = db.session.scalar(
        sa.select(Lecture)
        .where(Lecture.course_id == lecture.course_id, cmp)
        .order_by(order)
        .limit(1)
    )
    if other is None:
        return
    lecture.position, other.position = other.position, lecture.position
    db.session.commit()


def reorder_lectures(actor: User, course: Course, lecture_ids: list[int]) -> None:
    if not can_edit(actor, course):
        raise Forbidden()
    lectures = {lec.id: lec for lec in course.lectures}
    if sorted(lecture_ids) != sorted(lectures):
        raise Invalid(errors={"lecture_ids": [_("请列出本课程的全部讲，每讲一次。")]})
    for position, lecture_id in enumerate(lecture_ids, start=1):
        lectures[lecture_id].position = position
    db.session.commit()


def _after_lecture_change(course: Course) -> None:
    """Progress of every enrollment depends on which lectures are required; keep it true.

    Recomputed in the background once the change is committed (a course may have
    thousands of learners).
    """
    from courses.tasks import refresh_course_progress

    db.session.expire(course, ["lectures"])
    enqueue_after_commit(db.session, refresh_course_progress, course.id)


def refresh_course_progress(course_id: int) -> int:
    """Recompute progress of everyone learning the course; complete those now done."""
    ids = list(
        db.session.scalars(
            sa.select(Enrollment.id).where(
                Enrollment.course_id == course_id, Enrollment.status == EnrollmentStatus.enrolled
            )
        )
    )
    for start in range(0, len(ids), 500):
        for enrollment in db.session.scalars(
            sa.select(Enrollment).where(Enrollment.id.in_(ids[start : start + 500]))
        ):
            refresh_enrollment(enrollment)
        db.session.commit()
    return len(ids)


def _announce_live(lecture: Lecture) -> None:
    if lecture.kind != LectureKind.live or lecture.starts_at is None:
        return
    course = db.session.get(Course, lecture.course_id)
    if course.status != CourseStatus.published:
        return
    user_ids = list(
        db.session.scalars(
            sa.select(Enrollment.user_id).where(
                Enrollment.course_id == course.id, Enrollment.status.in_(SEATED)
            )
        )
    )
    _send(
        live_lecture_scheduled,
        lecture_id=lecture.id,
        course_id=course.id,
        starts_at=lecture.starts_at,
        title=lecture.title,
        user_ids=user_ids,
        url=f"/courses/lectures/{lecture.id}",
    )


# --- uploads -------------------------------------------------------------------------------


def _extension(filename: str | None) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{math.ceil(n / 1024)} KB"


def _store(stream: BinaryIO, size: int | None, limit: int) -> str:
    message = _("文件超过 %(limit)s 的上限，未保存。请压缩后再上传。", limit=_human_size(limit))
    if size is not None and size > limit:
        raise storage.TooLarge(message)
    return storage.save(stream, max_bytes=limit, too_large_message=message)


_VIDEO_MAGIC = {"mp4": lambda h: h[4:8] == b"ftyp", "webm": lambda h: h[:4] == b"\x1a\x45\xdf\xa3"}


def check_upload(kind: LectureKind, filename: str | None) -> tuple[str, dict, int]:
    """The extension, allowed types and size limit for an upload to a lecture of ``kind``.

    Raises Invalid with a message naming the accepted formats.
    """
    config = current_app.config
    ext = _extension(filename)
    if kind in (LectureKind.video, LectureKind.live):
        types, limit = config["COURSE_VIDEO_TYPES"], config["COURSE_VIDEO_MAX_BYTES"]
        message = _("视频只支持 %(types)s 格式。", types="、".join(t.upper() for t in types))
    elif kind == LectureKind.file:
        types, limit = config["COURSE_FILE_TYPES"], config["COURSE_FILE_MAX_BYTES"]
        message = _("附件只支持 %(types)s 格式。", types="、".join(t.upper() for t in types))
    else:
        raise Invalid(errors={"file": [_("这一讲不能上传文件。")]})
    if ext not in types:
        raise Invalid(errors={"file": [message]})
    return ext, types, limit


def attach_file(
    actor: User,
    lecture: Lecture,
    stream: BinaryIO,
    filename: str,
    size: int | None = None,
) -> Lecture:
    """Store an uploaded video (video/live lectures) or attachment (file lectures).

    Type and size limits come from the configuration; a refused upload stores nothing.
    """
    get_course(actor, lecture.course_id, for_edit=True)
    ext, types, limit = check_upload(lecture.kind, filename)
    if ext in _VIDEO_MAGIC:
        head = stream.read(16)
        if not _VIDEO_MAGIC[ext](head):
            raise Invalid(
                errors={"file": [_("文件内容不是有效的 %(ext)s 视频。", ext=ext.upper())]}
            )
        stream = _Prepend(head, stream)
    key = _store(stream, size, limit)
    old = lecture.file_key
    lecture.file_key = key
    lecture.file_name = (filename or "").rsplit("/", 1)[-1][:255]
    lecture.file_type = types[ext]
    lecture.file_size = storage.path(key).stat().st_size
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    storage.delete(old)
    return lecture


class _Prepend:
    """A stream that yields ``head`` first, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = head, stream

    def read(self, n: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._stream.read(n)


# --- quiz authoring ------------------------------------------------------------------------


def add_question(
    actor: User, lecture: Lecture, text: str, options: list[tuple[str, bool]], multiple: bool
) -> Question:
    get_course(actor, lecture.course_id, for_edit=True)
    if lecture.kind != LectureKind.quiz:
        raise Invalid(_("只有测验可以添加题目。"))
    errors = {}
    if not text.strip():
        errors["text"] = [_("请填写题干。")]
    options = [(t.strip(), c) for t, c in options if t.strip()]
    correct = sum(1 for _t, c in options if c)
    if len(options) < 2:
        errors["options"] = [_("至少要有两个选项。")]
    elif correct == 0:
        errors["options"] = [_("请至少标出一个正确答案（在选项前加 *）。")]
    elif not multiple and correct > 1:
        errors["options"] = [_("单选题只能有一个正确答案。")]
    if errors:
        raise Invalid(errors=errors)
    position = (
        db.session.scalar(
            sa.select(sa.func.max(Question.position)).where(Question.lecture_id == lecture.id)
        )
        or 0
    ) + 1
    question = Question(
        lecture_id=lecture.id, text=text.strip(), multiple=multiple, position=position
    )
    question.options = [
        Option(text=t, correct=c, position=i) for i, (t, c) in enumerate(options, start=1)
    ]
    db.session.add(question)
    db.session.commit()
    return question


def delete_question(actor: User, question_id: int) -> Lecture:
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound()
    lecture = question.lecture
    get_course(actor, lecture.course_id, for_edit=True)
    db.session.delete(question)
    db.session.commit()
    return lecture


# --- enrollment ----------------------------------------------------------------------------


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


def enrollment_for(user_id: int, course_id: int) -> Enrollment | None:
    return db.session.scalar(
        sa.select(Enrollment).where(
            Enrollment.user_id == user_id, Enrollment.course_id == course_id
        )
    )


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


def enroll(
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
        _send(
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
        _send(
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


def assign(
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
        if len(people) != len(set(user_ids)):
            raise Invalid(errors={"user_ids": [_("有人员不存在。")]})
    if organization_id:
        org = db.session.get(Organization, organization_id)
        if org is None:
            raise Invalid(errors={"organization_id": [_("单位不存在。")]})
        scope.require_org_in_scope(actor, org)
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
    for user in people.values():
        if not scope.can_manage_user(actor, user):
            raise Forbidden(_("只能给本单位范围内的人员安排课程。"))
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
        _send(
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


# --- learning ------------------------------------------------------------------------------


@dataclass
class LectureAccess:
    lecture: Lecture
    course: Course
    enrollment: Enrollment | None  # None: a lecturer or officer previewing
    progress: LectureProgress | None = None  # loaded only when asked for

    @property
    def preview(self) -> bool:
        return self.enrollment is None


def open_lecture(actor: User, lecture_id: int, *, with_progress: bool = False) -> LectureAccess:
    """A lecture the actor may study (seated learner) or preview (editor / manager).

    One round trip: the lecture, its course, the actor's enrollment in it and, with
    ``with_progress``, the learner's progress row for the lecture.
    """
    columns: list = [Lecture, Enrollment]
    if with_progress:
        columns.append(LectureProgress)
    stmt = (
        sa.select(*columns)
        .join(Lecture.course)
        .outerjoin(
            Enrollment,
            sa.and_(Enrollment.course_id == Lecture.course_id, Enrollment.user_id == actor.id),
        )
        .where(Lecture.id == lecture_id)
        .options(contains_eager(Lecture.course))
    )
    if with_progress:
        stmt = stmt.outerjoin(
            LectureProgress,
            sa.and_(
                LectureProgress.enrollment_id == Enrollment.id,
                LectureProgress.lecture_id == Lecture.id,
            ),
        )
    row = db.session.execute(stmt).first()
    if row is None:
        raise NotFound()
    lecture, enrollment = row[0], row[1]
    course = lecture.course
    if enrollment is not None and enrollment.status in SEATED:
        return LectureAccess(lecture, course, enrollment, row[2] if with_progress else None)
    if can_edit(actor, course):
        return LectureAccess(lecture, course, None)
    if course.status == CourseStatus.published and is_visible_to(actor, course):
        if enrollment is not None:
            raise Forbidden(_("您在候补名单中，有空位后即可开始学习。"))
        raise Forbidden(_("请先报名本课程，再开始学习。"))
    raise NotFound()


def progress_map(enrollment: Enrollment | None) -> dict[int, LectureProgress]:
    if enrollment is None:
        return {}
    rows = db.session.scalars(
        sa.select(LectureProgress).where(LectureProgress.enrollment_id == enrollment.id)
    )
    return {row.lecture_id: row for row in rows}


def _new_progress_row(enrollment: Enrollment, lecture: Lecture) -> LectureProgress:
    row = LectureProgress(enrollment_id=enrollment.id, lecture_id=lecture.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # another device saved first
        row = db.session.scalar(
            sa.select(LectureProgress).where(
                LectureProgress.enrollment_id == enrollment.id,
                LectureProgress.lecture_id == lecture.id,
            )
        )
    return row


def _progress_row(enrollment: Enrollment, lecture: Lecture) -> LectureProgress:
    row = db.session.scalar(
        sa.select(LectureProgress).where(
            LectureProgress.enrollment_id == enrollment.id,
            LectureProgress.lecture_id == lecture.id,
        )
    )
    return row if row is not None else _new_progress_row(enrollment, lecture)


def _due_for_touch(last_lecture_id, last_active_at, lecture_id: int, now: datetime) -> bool:
    """Where the learner is gets written at most once a minute per lecture."""
    return (
        last_lecture_id != lecture_id
        or last_active_at is None
        or now - last_active_at > timedelta(minutes=1)
    )


def _touch(enrollment: Enrollment, lecture: Lecture) -> None:
    now = utcnow()
    if _due_for_touch(enrollment.last_lecture_id, enrollment.last_active_at, lecture.id, now):
        enrollment.last_lecture_id = lecture.id
        enrollment.last_active_at = now


#: Lectures whose position is a point in a recording, and the share of it that means watched.
PLAYED_KINDS = (LectureKind.video, LectureKind.live)
WATCHED_SHARE = 0.9


def _clamp_position(
    kind: LectureKind, length: int | None, position_seconds: int
) -> tuple[int, bool]:
    """The position kept (never past a video's end) and whether it means watched.

    ``_heartbeat_on_postgres`` states the same rule in SQL; tests hold the two together.
    """
    position = max(0, int(position_seconds))
    if kind in PLAYED_KINDS and length:
        position = min(position, int(length))
        return position, position >= WATCHED_SHARE * length
    return position, False


@dataclass(frozen=True)
class SavedProgress:
    lecture_id: int
    position_seconds: int
    completed: bool


def save_progress(
    actor: User,
    lecture_id: int,
    *,
    claim: Claim | None = None,
    position_seconds: int | None = None,
    completed: bool = False,
    duration_seconds: int | None = None,
) -> SavedProgress | None:
    """Record where a learner is in a lecture; ``completed`` marks it read/watched.

    A video counts as watched at 90% of its length. Quizzes complete only by passing.
    Previews by lecturers record nothing and return None.

    The player calls this every few seconds for every learner watching. Given the
    request's ``claim``, the usual case — a new position — is answered without loading
    ``actor`` at all: on PostgreSQL one UPDATE checks the claim and the seat and saves the
    position (``save_position_by_claim``). Anything else takes the full path below, which
    needs ``actor`` signed in. Position-only saves on PostgreSQL commit
    without waiting for the disk flush: a database crash can lose the last fraction of a
    second of positions, never a completion (those commit normally).
    """
    if not completed and claim is not None:
        saved = save_position_by_claim(claim, lecture_id, position_seconds, duration_seconds)
        if saved is not None:
            return saved
    if not actor.is_authenticated:
        raise Unauthorized()
    access = open_lecture(actor, lecture_id, with_progress=True)
    if access.preview:
        return None
    lecture, enrollment = access.lecture, access.enrollment
    if completed and lecture.kind == LectureKind.quiz:
        raise Invalid(errors={"completed": [_("测验需要答题及格才算完成。")]})
    row = access.progress or _new_progress_row(enrollment, lecture)
    length = lecture.duration_seconds or duration_seconds
    if position_seconds is not None:
        row.position_seconds, watched = _clamp_position(lecture.kind, length, position_seconds)
    else:
        _kept, watched = _clamp_position(lecture.kind, length, row.position_seconds or 0)
    if completed and not (watched or row.completed) and lecture.completes_by_watching:
        raise Invalid(errors={"completed": [_("视频看到 90% 才算学完，请继续观看。")]})
    completed = completed or watched
    _touch(enrollment, lecture)
    newly_completed = completed and not row.completed
    if newly_completed:
        row.completed = True
        row.completed_at = utcnow()
        db.session.flush()
        refresh_enrollment(enrollment)
    saved = SavedProgress(lecture.id, row.position_seconds, row.completed)
    db.session.commit()
    return saved


def save_position_by_claim(
    claim: Claim,
    lecture_id: int,
    position_seconds: int | None,
    duration_seconds: int | None,
    connections: AutocommitConnections | None = None,
) -> SavedProgress | None:
    """The heartbeat of a seated learner in plain SQL, committed without BEGIN or COMMIT.

    Returns None whenever anything else has to happen — a claim that does not hold, no
    seat, no progress row yet, a position that completes the lecture — and the full path
    handles it (and answers it properly). The statements are built once and reused:
    building them costs more than running them. ``connections`` are the heartbeat lane's
    own (``courses.heartbeat``), which answers outside any Flask context; without them the
    statements borrow from the app's engine.
    """
    if position_seconds is None:
        return None
    values = {
        "lecture": lecture_id,
        "position": max(0, int(position_seconds)),
        "duration": duration_seconds,
        "now": utcnow(),
        **claim.params(),
    }
    engine = connections.engine if connections is not None else db.engine
    # Asked of the engine, not the session: the fast path opens no ORM session at all.
    if engine.dialect.name != "postgresql":
        return _heartbeat_read_then_write(claim, values)
    row = _heartbeat_on_postgres(claim.kind, engine.dialect).first(engine, values, connections)
    if row is None:
        return None
    position, done, enrollment_id, last_lecture_id, last_active_at, _async = row
    if _due_for_touch(last_lecture_id, last_active_at, lecture_id, values["now"]):
        touch = {"enrollment_id": enrollment_id, "lecture": lecture_id, "now": values["now"]}
        _touch_on_postgres(engine.dialect).first(engine, touch, connections)
    return SavedProgress(lecture_id, position, done)


#: The parameters a heartbeat's statements take on each call (the rest are constants).
_HEARTBEAT_VALUES = {
    "lecture": 0,
    "position": 0,
    "duration": None,
    "now": None,
    "enrollment_id": 0,
    "claim_user_id": None,
    "claim_session_token": "",
    "claim_token_hash": "",
}


@functools.cache
def _heartbeat_on_postgres(claim_kind: str, dialect: sa.Dialect) -> DriverStatement:
    return DriverStatement(_heartbeat_statement(claim_kind), dialect, _HEARTBEAT_VALUES)


@functools.cache
def _touch_on_postgres(dialect: sa.Dialect) -> DriverStatement:
    return DriverStatement(_touch_statement(), dialect, _HEARTBEAT_VALUES)


@functools.cache
def _heartbeat_statement(claim_kind: str) -> sa.Update:
    """One UPDATE that checks the claim and the seat, clamps and saves the position.

    The clamp is ``_clamp_position`` in SQL. It returns what the learner's enrollment
    says about where they are, so the once-a-minute touch needs no read of its own.
    """
    position = sa.bindparam("position", type_=sa.Integer)
    length = sa.func.coalesce(
        sa.func.nullif(Lecture.duration_seconds, 0), sa.bindparam("duration", type_=sa.Integer), 0
    )
    # Equalities rather than IN: an IN list is expanded anew on every execution.
    played = sa.or_(*(Lecture.kind == kind for kind in PLAYED_KINDS)) & (length > 0)
    watched = played & (position >= WATCHED_SHARE * length)
    return (
        sa.update(LectureProgress)
        .where(
            LectureProgress.lecture_id == Lecture.id,
            LectureProgress.enrollment_id == Enrollment.id,
            Lecture.id == sa.bindparam("lecture"),
            Enrollment.course_id == Lecture.course_id,
            Enrollment.user_id == claimed_user_id(claim_kind),
            sa.or_(*(Enrollment.status == status for status in SEATED)),
            # A position that completes the lecture takes the full path, with its signals.
            LectureProgress.completed | ~watched,
        )
        .values(
            position_seconds=sa.case((played & (position > length), length), else_=position),
            updated_at=sa.bindparam("now"),
        )
        .returning(
            LectureProgress.position_seconds,
            LectureProgress.completed,
            Enrollment.id,
            Enrollment.last_lecture_id,
            Enrollment.last_active_at,
            # Asynchronous commit for this statement alone, without a round trip for a
            # SET: a position is not worth waiting for the disk flush.
            sa.func.set_config("synchronous_commit", "off", True),
        )
    )


@functools.cache
def _touch_statement() -> sa.Update:
    return (
        sa.update(Enrollment)
        .where(Enrollment.id == sa.bindparam("enrollment_id"))
        .values(last_lecture_id=sa.bindparam("lecture"), last_active_at=sa.bindparam("now"))
    )


def _heartbeat_read_then_write(claim: Claim, values: dict) -> SavedProgress | None:
    """The same heartbeat on SQLite, whose RETURNING cannot name the joined tables."""
    row = db.session.execute(
        sa.select(
            Lecture.kind,
            Lecture.duration_seconds,
            Enrollment.id,
            Enrollment.last_lecture_id,
            Enrollment.last_active_at,
            LectureProgress.id,
            LectureProgress.completed,
        )
        .select_from(Lecture)
        .join(
            Enrollment,
            sa.and_(
                Enrollment.course_id == Lecture.course_id,
                Enrollment.user_id == claimed_user_id(claim.kind),
                Enrollment.status.in_(SEATED),
            ),
        )
        .join(
            LectureProgress,
            sa.and_(
                LectureProgress.enrollment_id == Enrollment.id,
                LectureProgress.lecture_id == Lecture.id,
            ),
        )
        .where(Lecture.id == values["lecture"]),
        values,
    ).first()
    if row is None:
        return None
    kind, length, enrollment_id, last_lecture_id, last_active_at, progress_id, done = row
    position, watched = _clamp_position(kind, length or values["duration"], values["position"])
    if watched and not done:
        return None  # completes the lecture: the full path, with its signals
    lecture_id, now = values["lecture"], values["now"]
    db.session.execute(
        sa.update(LectureProgress)
        .where(LectureProgress.id == progress_id)
        .values(position_seconds=position, updated_at=now),
        execution_options=HEARTBEAT_WRITE,
    )
    if _due_for_touch(last_lecture_id, last_active_at, lecture_id, now):
        db.session.execute(
            _touch_statement(),
            {**values, "enrollment_id": enrollment_id},
            execution_options=HEARTBEAT_WRITE,
        )
    db.session.commit()
    return SavedProgress(lecture_id, position, done)


def refresh_enrollment(enrollment: Enrollment) -> bool:
    """Recompute progress; complete the course once when every required lecture is done.

    Returns True when this call completed the course (and sent ``course_completed``).
    """
    total, done = db.session.execute(
        sa.select(sa.func.count(Lecture.id), sa.func.count(LectureProgress.id))
        .select_from(Lecture)
        .outerjoin(
            LectureProgress,
            sa.and_(
                LectureProgress.lecture_id == Lecture.id,
                LectureProgress.enrollment_id == enrollment.id,
                LectureProgress.completed.is_(True),
            ),
        )
        .where(Lecture.course_id == enrollment.course_id, Lecture.required.is_(True))
    ).one()
    enrollment.progress_percent = 100 if total == 0 else min(100, done * 100 // total)
    course = db.session.get(Course, enrollment.course_id)
    attendance_ok = course.linked_class_id is None or enrollment.class_attended
    if (
        total == 0
        or done < total
        or not attendance_ok
        or enrollment.status != EnrollmentStatus.enrolled
    ):
        db.session.flush()
        return False
    now = utcnow()
    # Conditional update: two devices finishing the last lectures at once complete it once.
    result = db.session.execute(
        sa.update(Enrollment)
        .where(Enrollment.id == enrollment.id, Enrollment.status == EnrollmentStatus.enrolled)
        .values(status=EnrollmentStatus.completed, completed_at=now, progress_percent=100)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(enrollment, ["status", "completed_at", "progress_percent"])
    if result.rowcount != 1:
        return False
    _send(
        course_completed,
        user_id=enrollment.user_id,
        course_id=enrollment.course_id,
        completed_at=now,
        title=course.title,
        url=f"/courses/{course.id}",
    )
    return True


def on_class_completed(sender, class_id: int, user_id: int, **kwargs) -> None:
    """A worker finished a training class at or above its bar: count it for linked courses."""
    enrollments = db.session.scalars(
        sa.select(Enrollment)
        .join(Course, Course.id == Enrollment.course_id)
        .where(
            Course.linked_class_id == class_id,
            Enrollment.user_id == user_id,
            Enrollment.status == EnrollmentStatus.enrolled,
        )
    ).all()
    for enrollment in enrollments:
        enrollment.class_attended = True
        refresh_enrollment(enrollment)
    db.session.flush()


# --- quizzes -------------------------------------------------------------------------------


def quiz_questions(lecture: Lecture) -> list[Question]:
    return list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.lecture_id == lecture.id)
            .order_by(Question.position, Question.id)
            .options(selectinload(Question.options))
        )
    )


def attempts_of(enrollment: Enrollment | None, lecture: Lecture) -> list[QuizAttempt]:
    if enrollment is None:
        return []
    return list(
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.lecture_id == lecture.id)
            .order_by(QuizAttempt.number)
        )
    )


@dataclass
class QuizResult:
    attempt: QuizAttempt
    correct_question_ids: set[int]
    attempts_left: int | None
    course_completed: bool


def submit_quiz(actor: User, lecture_id: int, answers: dict[int, list[int]]) -> QuizResult:
    """Score a quiz submission: {question_id: [option_id, ...]}.

    Every option must belong to its question and every question to this quiz; the
    attempts limit holds even when two submissions race (unique attempt number).
    """
    access = open_lecture(actor, lecture_id)
    lecture, enrollment = access.lecture, access.enrollment
    if lecture.kind != LectureKind.quiz:
        raise Invalid(_("这一讲不是测验。"))
    if access.preview:
        raise Forbidden(_("预览模式下不能提交答卷。"))
    questions = quiz_questions(lecture)
    if not questions:
        raise Invalid(_("本测验还没有题目。"))
    by_id = {q.id: q for q in questions}
    errors: dict[str, list[str]] = {}
    chosen: dict[int, set[int]] = {}
    for qid, option_ids in answers.items():
        question = by_id.get(int(qid))
        if question is None:
            errors.setdefault("answers", []).append(_("第 %(id)s 题不属于本测验。", id=qid))
            continue
        valid = {o.id for o in question.options}
        picked = {int(o) for o in option_ids}
        if not picked <= valid:
            errors.setdefault("answers", []).append(
                _("所选答案不属于题目“%(q)s”。", q=question.text[:30])
            )
        elif len(picked) > 1 and not question.multiple:
            errors.setdefault("answers", []).append(
                _("题目“%(q)s”是单选题，只能选一个答案。", q=question.text[:30])
            )
        chosen[question.id] = picked
    if errors:
        raise Invalid(errors=errors)
    used = db.session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.enrollment_id == enrollment.id, QuizAttempt.lecture_id == lecture.id
        )
    )
    if lecture.max_attempts is not None and used >= lecture.max_attempts:
        raise Conflict(_("本测验最多可答 %(n)d 次，您已用完全部机会。", n=lecture.max_attempts))
    right = {
        q.id for q in questions if chosen.get(q.id, set()) == {o.id for o in q.options if o.correct}
    }
    score = round(100 * len(right) / len(questions))
    attempt = QuizAttempt(
        enrollment_id=enrollment.id,
        lecture_id=lecture.id,
        number=used + 1,
        score=score,
        passed=score >= lecture.pass_mark,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
            db.session.add_all(
                QuizAnswer(attempt_id=attempt.id, option_id=oid)
                for picked in chosen.values()
                for oid in picked
            )
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("答卷已提交过，请刷新页面查看结果。")) from None
    completed_now = False
    _touch(enrollment, lecture)
    if attempt.passed:
        row = _progress_row(enrollment, lecture)
        if not row.completed:
            row.completed = True
            row.completed_at = utcnow()
            db.session.flush()
            completed_now = refresh_enrollment(enrollment)
    db.session.commit()
    left = None if lecture.max_attempts is None else lecture.max_attempts - attempt.number
    return QuizResult(attempt, right, left, completed_now)


# --- my learning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NextLecture:
    id: int
    title: str


@dataclass
class LearningItem:
    enrollment: Enrollment
    course: Course
    next_lecture: NextLecture | None


def my_learning_query(actor: User) -> sa.Select:
    return (
        sa.select(Enrollment)
        .where(Enrollment.user_id == actor.id)
        .options(joinedload(Enrollment.course))
        .order_by(
            sa.case((Enrollment.status == EnrollmentStatus.completed, 1), else_=0),
            Enrollment.last_active_at.desc().nulls_last(),
            Enrollment.id.desc(),
        )
    )


def learning_items(enrollments: list[Enrollment]) -> list[LearningItem]:
    """Attach each enrollment's next lecture to do, in two queries whatever the count."""
    active = [e for e in enrollments if e.status == EnrollmentStatus.enrolled]
    nexts: dict[int, NextLecture] = {}
    if active:
        done = (
            sa.select(LectureProgress.lecture_id)
            .where(
                LectureProgress.enrollment_id.in_([e.id for e in active]),
                LectureProgress.completed.is_(True),
            )
            .scalar_subquery()
        )
        # Only the first lecture left in each course, and only what the page shows of it.
        rank = (
            sa.func.row_number()
            .over(partition_by=Lecture.course_id, order_by=(Lecture.position, Lecture.id))
            .label("rank")
        )
        left = (
            sa.select(Lecture.id, Lecture.course_id, Lecture.title, rank)
            .where(Lecture.course_id.in_([e.course_id for e in active]), Lecture.id.not_in(done))
            .subquery()
        )
        rows = db.session.execute(
            sa.select(left.c.id, left.c.course_id, left.c.title).where(left.c.rank == 1)
        )
        nexts = {row.course_id: NextLecture(row.id, row.title) for row in rows}
    return [LearningItem(e, e.course, nexts.get(e.course_id)) for e in enrollments]


# --- reports -------------------------------------------------------------------------------


@dataclass
class OrgRow:
    organization: str
    enrolled: int
    completed: int

    @property
    def rate(self) -> float:
        return self.completed / self.enrolled if self.enrolled else 0.0


@dataclass
class CourseReport:
    course: Course
    enrolled: int
    waitlisted: int
    in_progress: int
    completed: int
    average_quiz_score: float | None
    by_organization: list[OrgRow]

    @property
    def completion_rate(self) -> float:
        return self.completed / self.enrolled if self.enrolled else 0.0


def course_report(actor: User, course: Course) -> CourseReport:
    """Seated learners (enrolled + completed), waitlist, progress, quiz average, by org."""
    require_manage(actor, course)
    counts = dict(
        db.session.execute(
            sa.select(Enrollment.status, sa.func.count())
            .where(Enrollment.course_id == course.id)
            .group_by(Enrollment.status)
        ).all()
    )
    in_progress = db.session.scalar(
        sa.select(sa.func.count()).where(
            Enrollment.course_id == course.id,
            Enrollment.status == EnrollmentStatus.enrolled,
            sa.or_(Enrollment.progress_percent > 0, Enrollment.last_lecture_id.is_not(None)),
        )
    )
    best = (
        sa.select(sa.func.max(QuizAttempt.score).label("best"))
        .join(Enrollment, Enrollment.id == QuizAttempt.enrollment_id)
        .where(Enrollment.course_id == course.id)
        .group_by(QuizAttempt.enrollment_id, QuizAttempt.lecture_id)
        .subquery()
    )
    average = db.session.scalar(sa.select(sa.func.avg(best.c.best)))
    rows = db.session.execute(
        sa.select(
            Organization.name,
            sa.func.count(Enrollment.id),
            sa.func.count(Enrollment.completed_at),
        )
        .join(User, User.id == Enrollment.user_id)
        .join(Organization, Organization.id == User.organization_id)
        .where(Enrollment.course_id == course.id, Enrollment.status.in_(SEATED))
        .group_by(Organization.id, Organization.name, Organization.path)
        .order_by(Organization.path)
    ).all()
    completed = counts.get(EnrollmentStatus.completed, 0)
    return CourseReport(
        course=course,
        enrolled=counts.get(EnrollmentStatus.enrolled, 0) + completed,
        waitlisted=counts.get(EnrollmentStatus.waitlisted, 0),
        in_progress=in_progress,
        completed=completed,
        average_quiz_score=round(float(average), 1) if average is not None else None,
        by_organization=[OrgRow(name, n, done) for name, n, done in rows],
    )


def course_learners_query(actor: User, course: Course) -> sa.Select:
    """The course's learners the officer may see (their own subtree), waiting ones last."""
    require_manage(actor, course)
    return (
        sa.select(Enrollment)
        .join(User, User.id == Enrollment.user_id)
        .join(Organization, Organization.id == User.organization_id)
        .where(Enrollment.course_id == course.id, scope.subtree_condition(actor))
        .options(contains_eager(Enrollment.user).contains_eager(User.organization))
        .order_by(
            sa.case((Enrollment.status == EnrollmentStatus.waitlisted, 1), else_=0),
            Organization.path,
            User.name,
        )
    )


def report_xlsx(report: CourseReport) -> bytes:
    """The report as a workbook: one row per organization, a total, then the key figures."""
    from lms.core.tabular import xlsx_bytes

    headers = [_("单位"), _("报名人数"), _("已结业"), _("结业率")]
    rows = [
        [r.organization, r.enrolled, r.completed, f"{r.rate:.0%}"] for r in report.by_organization
    ]
    rows.append([_("合计"), report.enrolled, report.completed, f"{report.completion_rate:.0%}"])
    rows.append([])
    rows.append([_("课程"), report.course.title])
    rows.append([_("学习中"), report.in_progress])
    rows.append([_("候补"), report.waitlisted])
    score = report.average_quiz_score
    rows.append([_("测验平均分（每人每测验取最高分）"), score if score is not None else "—"])
    return xlsx_bytes(_("课程报表"), headers, rows)
