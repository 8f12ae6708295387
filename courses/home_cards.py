"""What the courses package puts on each role's home page."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from courses import services
from courses.models import Course, CourseStatus, Enrollment, EnrollmentStatus
from lms.accounts.models import Role, User
from lms.core import home
from lms.extensions import db


def continue_learning_card(user: User) -> home.Card:
    enrollments = db.session.scalars(
        services.my_learning_query(user)
        .where(Enrollment.status == EnrollmentStatus.enrolled)
        .limit(3)
    ).all()
    return home.Card(
        title=_("继续学习"),
        template="courses/cards/continue.html",
        context={"learning": services.learning_items(list(enrollments))},
        order=20,
    )


def my_courses_card(user: User) -> home.Card:
    mine = services.managed_courses_query(user).order_by(None).subquery()
    counts = dict(
        db.session.execute(sa.select(mine.c.status, sa.func.count()).group_by(mine.c.status)).all()
    )
    learners = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(mine.c.seats_taken), 0)))
    return home.Card(
        title=_("我的课程"),
        template="courses/cards/my_courses.html",
        context={
            "published": counts.get(CourseStatus.published, 0),
            "drafts": counts.get(CourseStatus.draft, 0),
            "learners": learners,
        },
        order=30,
    )


def review_card(user: User) -> home.Card:
    drafts = db.session.scalars(
        services.managed_courses_query(user).where(Course.status == CourseStatus.draft).limit(5)
    ).all()
    return home.Card(
        title=_("待发布的课程"),
        template="courses/cards/review.html",
        context={"drafts": drafts},
        order=40,
    )


def register() -> None:
    home.register_card(Role.worker, continue_learning_card)
    home.register_card(Role.mentor, my_courses_card)
    home.register_card(Role.officer, review_card)
