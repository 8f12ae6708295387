"""Authoring: creating and editing courses and their lectures, publishing and archiving.

The course's audience is decided here: by default its own organization's subtree (the
chosen organizations, or the owner when none is chosen); only the federation's officers
and admins open a course to the whole city (``access.can_open_citywide``).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from courses import tasks
from courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    Lecture,
    LectureKind,
    Visibility,
)
from courses.services.access import (
    SEATED,
    can_author,
    can_edit,
    can_open_citywide,
    get_course,
    require_manage,
)
from courses.services.enrollment import promote_waitlist
from courses.services.quizzes import replace_questions
from courses.services.uploads import file_duration
from lms.accounts import scope
from lms.accounts.models import Organization, Role, User, UserRole
from lms.audit import services as audit
from lms.core import storage
from lms.core.urls import clean_http_url
from lms.db import after_commit, enqueue_after_commit, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import emit, live_lecture_cancelled, live_lecture_scheduled

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


def _check_audience(actor: User, course: Course, before: Visibility | None) -> None:
    """Only the federation opens a course city-wide; otherwise the chosen organizations,
    and when none is chosen, the owning organization's subtree."""
    if course.visibility == Visibility.everyone:
        if before != Visibility.everyone and not can_open_citywide(actor):
            raise Invalid(
                errors={"visibility": [_("只有市总工会的培训专员可以把课程设为全市开放。")]}
            )
    elif not course.organizations:
        course.organizations = [course.organization]


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
            raise NotFound(_("单位不存在，或不在您管理的范围内。"))
    data.setdefault("visibility", Visibility.organizations)
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
    _check_audience(actor, course, None)
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
    old_capacity, old_visibility = course.capacity, course.visibility
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
    _check_audience(actor, course, old_visibility)
    db.session.flush()
    if course.capacity is None or (old_capacity is not None and course.capacity > old_capacity):
        promote_waitlist(course.id)
    db.session.commit()
    return course


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


def _validate_lecture(kind: LectureKind, data: dict) -> None:  # noqa: C901, PLR0912, PLR0915 - one check per lecture kind and field, each independent
    """Check the lecture's fields; web addresses are cleaned in place (``clean_http_url``)."""
    errors: dict[str, list[str]] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = [_("请填写标题。")]
    for key in ("video_url", "join_url"):
        try:
            data[key] = clean_http_url(data.get(key)) or None
        except ValueError as exc:
            errors[key] = [str(exc)]
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
    if errors:
        raise Invalid(errors=errors)


def get_lecture_for_edit(actor: User, lecture_id: int) -> Lecture:
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        raise NotFound()
    get_course(actor, lecture.course_id, for_edit=True)
    return lecture


def add_lecture(
    actor: User,
    course: Course,
    kind: LectureKind | str,
    *,
    questions: list[dict] | None = None,
    **data,
) -> Lecture:
    """Add a lecture at the end of the course; a quiz may come with its ``questions``."""
    if not can_edit(actor, course):
        raise Forbidden(_("只有本课程的讲师或所属单位的培训专员可以修改它。"))
    kind = LectureKind(kind)
    _validate_lecture(kind, data)
    last = db.session.scalar(
        sa.select(sa.func.max(Lecture.position)).where(Lecture.course_id == course.id)
    )
    lecture = Lecture(
        course_id=course.id,
        kind=kind,
        position=(last or 0) + 1,
        **{k: v for k, v in data.items() if k in LECTURE_FIELDS and v is not None},
    )
    if questions is not None:
        replace_questions(lecture, questions)
    db.session.add(lecture)
    db.session.flush()
    _after_lecture_change(course)
    _announce_live(lecture)
    db.session.commit()
    return lecture


def update_lecture(
    actor: User, lecture: Lecture, *, questions: list[dict] | None = None, **data
) -> Lecture:
    """Edit a lecture; ``questions``, when given, replace a quiz's questions."""
    course = get_course(actor, lecture.course_id, for_edit=True)
    data = {k: v for k, v in data.items() if k in LECTURE_FIELDS}
    if lecture.file_key and "duration_seconds" in data:
        # The length read from the uploaded file wins over any typed in.
        data["duration_seconds"] = file_duration(lecture) or data["duration_seconds"]
    merged = {k: getattr(lecture, k) for k in LECTURE_FIELDS} | data
    _validate_lecture(lecture.kind, merged)
    moved = "starts_at" in data and data["starts_at"] != lecture.starts_at
    for key in data:
        setattr(lecture, key, merged[key])
    if questions is not None:
        replace_questions(lecture, questions)
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
        emit(live_lecture_cancelled, lecture_id=lecture.id)
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
    db.session.expire(course, ["lectures"])
    enqueue_after_commit(db.session, tasks.refresh_course_progress, course.id)


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
    emit(
        live_lecture_scheduled,
        lecture_id=lecture.id,
        course_id=course.id,
        starts_at=lecture.starts_at,
        title=lecture.title,
        user_ids=user_ids,
        url=f"/courses/lectures/{lecture.id}",
    )
