"""Studying: opening a lecture, the one progress rule, completing lectures and courses.

The progress rule is written once, here, on the ORM: a save moves the learner's bookmark
and adds to the time they have watched. The watched total grows by at most the wall time
since the previous save times the fastest speed the player offers, plus a little slack
(never more slack than wall time, so saving often gains nothing); a video is watched when
that total reaches 90% of its length — a position alone never completes it. The length is
the server's (read from the uploaded file, or set by the author); a length the browser
reports counts only for a video the server cannot measure, which may be marked done by
hand anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lecture,
    LectureKind,
    LectureProgress,
)
from courses.services.access import SEATED, can_edit, is_visible_to
from lms.accounts.models import User
from lms.db import utcnow
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import course_completed, emit

#: Lectures whose position is a point in a recording, and the share of it that means watched.
PLAYED_KINDS = (LectureKind.video, LectureKind.live)
WATCHED_SHARE = 0.9
#: The fastest playback rate the player allows (player.js holds the video to it).
MAX_PLAYBACK_RATE = 2.0
#: Network and timer jitter forgiven per save, in seconds (at most the wall time itself).
SLACK_SECONDS = 5
SLACK_SHARE = 0.1


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
    row = LectureProgress(
        enrollment_id=enrollment.id, lecture_id=lecture.id, position_seconds=0, watched_seconds=0
    )
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


def progress_row(enrollment: Enrollment, lecture: Lecture) -> LectureProgress:
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


def touch(enrollment: Enrollment, lecture: Lecture) -> None:
    """Remember which lecture the learner was last on."""
    now = utcnow()
    if _due_for_touch(enrollment.last_lecture_id, enrollment.last_active_at, lecture.id, now):
        enrollment.last_lecture_id = lecture.id
        enrollment.last_active_at = now


def watched_credit(before: int, after: int, previous_save: datetime | None, now: datetime) -> int:
    """Seconds a save from position ``before`` to ``after`` adds to the watched total."""
    advanced = after - before
    if advanced <= 0 or previous_save is None:
        return 0
    wall = max(0.0, (now - previous_save).total_seconds())
    # The slack (for timers that fire a little late) grows with the wall time but stays a
    # small share of it, so saving very often cannot raise the rate above the fastest speed.
    return int(min(advanced, wall * MAX_PLAYBACK_RATE + min(SLACK_SECONDS, wall * SLACK_SHARE)))


@dataclass(frozen=True)
class SavedProgress:
    lecture_id: int
    position_seconds: int
    completed: bool


def save_progress(
    actor: User,
    lecture_id: int,
    *,
    position_seconds: int | None = None,
    completed: bool = False,
    duration_seconds: int | None = None,
) -> SavedProgress | None:
    """Record where a learner is in a lecture; ``completed`` marks it read/watched.

    A video of known length completes by watching only; quizzes only by passing.
    ``duration_seconds`` is the browser's measure, used only when the server has none.
    Previews by lecturers record nothing and return None.
    """
    access = open_lecture(actor, lecture_id, with_progress=True)
    if access.preview:
        return None
    lecture, enrollment = access.lecture, access.enrollment
    if completed and lecture.kind == LectureKind.quiz:
        raise Invalid(errors={"completed": [_("测验需要答题及格才算完成。")]})
    now = utcnow()
    row = access.progress
    previous_save = row.updated_at if row is not None else None
    if row is None:
        row = _new_progress_row(enrollment, lecture)
    played = lecture.kind in PLAYED_KINDS
    length = (lecture.duration_seconds or duration_seconds) if played else None
    if position_seconds is not None:
        position = max(0, int(position_seconds))
        if length:
            position = min(position, int(length))
        if played:
            row.watched_seconds += watched_credit(
                row.position_seconds, position, previous_save, now
            )
        row.position_seconds = position
        row.updated_at = now
    watched = bool(length) and row.watched_seconds >= WATCHED_SHARE * length
    if completed and not (watched or row.completed) and lecture.completes_by_watching:
        raise Invalid(errors={"completed": [_("视频看到 90% 才算学完，请继续观看。")]})
    touch(enrollment, lecture)
    if (completed or watched) and not row.completed:
        row.completed = True
        row.completed_at = now
        db.session.flush()
        refresh_enrollment(enrollment)
    saved = SavedProgress(lecture.id, row.position_seconds, row.completed)
    db.session.commit()
    return saved


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
    emit(
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
