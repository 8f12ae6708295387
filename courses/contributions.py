"""What courses contribute to a person's growth record (courses completed, with their hours)
and to the five-links overview (completions and their hours, by the learner's organization).
Fixed number of queries, whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from courses.models import Course, Enrollment, EnrollmentStatus
from lms.accounts.models import Organization, User
from lms.core import events, figures, growth
from lms.core.tally import tally
from lms.extensions import db
from lms.timeutil import to_local


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    rows = db.session.execute(
        sa.select(Course.id, Course.title, Course.hours, Enrollment.completed_at)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .where(
            Enrollment.user_id == user_id,
            Enrollment.status == EnrollmentStatus.completed,
            Enrollment.completed_at.is_not(None),
        )
    ).all()
    return [
        growth.Entry(
            link="cultivation",
            kind="course_completed",
            title=_("完成课程：%(title)s", title=title),
            on=to_local(done).date(),
            detail=_("%(hours)s 学时", hours=hours or 0),
            url=url_for("courses.course", course_id=course_id),
            hours=float(hours or 0),
        )
        for course_id, title, hours, done in rows
    ]


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    joined = (
        sa.join(Enrollment, Course, Course.id == Enrollment.course_id)
        .join(User, User.id == Enrollment.user_id)
        .join(Organization, Organization.id == User.organization_id)
    )
    done = [Enrollment.status == EnrollmentStatus.completed]
    completions = tally(
        q,
        sa.func.count(Enrollment.id),
        day=Enrollment.completed_at,
        path=Organization.path,
        select_from=joined,
        where=done,
    )
    hours = tally(
        q,
        sa.func.sum(Course.hours),
        day=Enrollment.completed_at,
        path=Organization.path,
        select_from=joined,
        where=done,
    )
    learners = tally(
        q,
        sa.func.count(sa.distinct(Enrollment.user_id)),
        day=Enrollment.completed_at,
        path=Organization.path,
        select_from=joined,
        where=done,
        distinct=True,
    )
    return [
        figures.Figure(
            "cultivation",
            "courses.completions",
            _("完成课程"),
            completions.total,
            _("人次"),
            None,
            completions.by_month,
            completions.by_child,
            order=20,
        ),
        figures.Figure(
            "cultivation",
            "courses.learners",
            _("完成课程的学员"),
            learners.total,
            _("人"),
            None,
            learners.by_month,
            learners.by_child,
            order=21,
        ),
        figures.Figure(
            "cultivation",
            "courses.hours",
            _("课程学时"),
            round(float(hours.total), 1),
            _("学时"),
            None,
            hours.by_month,
            hours.by_child,
            order=22,
        ),
    ]


def public_events(start, end, limit: int) -> list[events.Event]:
    """Live lectures (云宣讲) of published city-wide courses starting in ``[start, end)``:
    the course's lecturers speak; the lecture's video, once there is one, is the replay."""
    from sqlalchemy.orm import selectinload

    from courses.models import CourseStatus, Lecture, LectureKind, Visibility

    lectures = db.session.scalars(
        sa.select(Lecture)
        .join(Course, Course.id == Lecture.course_id)
        .where(
            Lecture.kind == LectureKind.live,
            Lecture.starts_at >= start,
            Lecture.starts_at < end,
            Course.status == CourseStatus.published,
            Course.visibility == Visibility.everyone,
        )
        .options(selectinload(Lecture.course).selectinload(Course.lecturers))
        .order_by(Lecture.starts_at)
        .limit(limit)
    )
    return [
        events.Event(
            source="courses",
            title=f"{lecture.course.title} · {lecture.title}",
            starts_at=lecture.starts_at,
            ends_at=None,
            place="",
            online=True,
            speakers=tuple(person.name for person in lecture.course.lecturers),
            url=url_for("courses.course", course_id=lecture.course_id),
            replay_url=lecture.video_url or None,
        )
        for lecture in lectures
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
    events.register(public_events)
