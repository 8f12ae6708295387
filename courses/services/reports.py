"""Reports for officers: a course's figures by organization, its learners, and exports.

Exports are written through ``lms.core.tabular`` (which writes every cell as text); an
export that names people is recorded in the audit log with its scope and row count.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from courses.models import Course, Enrollment, EnrollmentStatus, QuizAttempt
from courses.services.access import SEATED, require_manage
from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit import services as audit
from lms.core.tabular import xlsx_bytes
from lms.extensions import db
from lms.timeutil import local_zone


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


def learners_xlsx(actor: User, course: Course) -> bytes:
    """The course's learners in the officer's scope, with progress; the export is audited."""
    enrollments = db.session.scalars(course_learners_query(actor, course)).all()
    headers = [_("姓名"), _("工号"), _("单位"), _("状态"), _("进度"), _("截止日期"), _("结业时间")]
    labels = {
        EnrollmentStatus.enrolled: _("学习中"),
        EnrollmentStatus.waitlisted: _("候补中"),
        EnrollmentStatus.completed: _("已结业"),
    }
    rows = [
        [
            e.user.name,
            e.user.employee_no,
            e.user.organization.name,
            labels[e.status],
            f"{e.progress_percent}%",
            e.due_at.astimezone(local_zone()).date().isoformat() if e.due_at else "",
            e.completed_at.astimezone(local_zone()).date().isoformat() if e.completed_at else "",
        ]
        for e in enrollments
    ]
    audit.record(
        actor,
        "export",
        "course_learners",
        course.id,
        organization_id=course.organization_id,
        after={"rows": len(rows)},
        summary=_("导出课程学员名单：%(title)s（%(n)d 人）", title=course.title, n=len(rows)),
    )
    db.session.commit()
    return xlsx_bytes(_("学员名单"), headers, rows)
