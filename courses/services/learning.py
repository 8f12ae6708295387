"""My learning: a person's enrollments with the next lecture to study in each."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from courses.models import Course, Enrollment, EnrollmentStatus, Lecture, LectureProgress
from lms.accounts.models import User
from lms.extensions import db


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
