"""Officers' pages: assigning a course, its report and the report's exports."""

from __future__ import annotations

import re

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from courses import services
from courses.forms import AssignForm
from courses.views import bp, form_errors
from courses.views.authoring import org_choices
from lms.accounts.models import User
from lms.core.pages import paginate
from lms.errors import DomainError
from lms.extensions import db
from lms.timeutil import local_datetime

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/<int:course_id>/assign", methods=["GET", "POST"])
@login_required
def assign(course_id: int):
    course = services.get_course(current_user, course_id)
    services.require_manage(current_user, course)
    form = AssignForm()
    form.organization_id.choices = [(0, _("（不按单位）"))] + org_choices()
    status = 200
    if form.validate_on_submit():
        numbers = [n for n in re.split(r"[\s,，、]+", form.employee_nos.data or "") if n]
        user_ids = []
        if numbers:
            found = dict(
                db.session.execute(
                    db.select(User.employee_no, User.id).where(User.employee_no.in_(numbers))
                ).all()
            )
            missing = [n for n in numbers if n not in found]
            if missing:
                form.employee_nos.errors = [_("找不到这些工号：%(nos)s", nos="、".join(missing))]
            user_ids = list(found.values())
        due = form.due_date.data
        if not form.employee_nos.errors:
            try:
                result = services.assign(
                    current_user,
                    course,
                    user_ids=user_ids,
                    organization_id=form.organization_id.data or None,
                    due_at=local_datetime(due, 23, 59) if due else None,
                )
            except DomainError as exc:
                db.session.rollback()
                form_errors(form, exc)
                status = exc.status
            else:
                flash(
                    _(
                        "已安排 %(added)d 人（其中候补 %(wait)d 人），更新 %(updated)d 人的截止日期。",
                        added=result.added,
                        wait=result.waitlisted,
                        updated=result.updated,
                    ),
                    "success",
                )
                return redirect(url_for("courses.report", course_id=course.id))
        else:
            status = 422
    elif form.errors:
        status = 422
    return render_template("courses/assign.html", form=form, course=course), status


@bp.route("/<int:course_id>/report")
@login_required
def report(course_id: int):
    course = services.get_course(current_user, course_id)
    report = services.course_report(current_user, course)
    learners = paginate(services.course_learners_query(current_user, course), per_page=50)
    return render_template("courses/report.html", report=report, course=course, learners=learners)


@bp.route("/<int:course_id>/report.xlsx")
@login_required
def report_xlsx(course_id: int):
    course = services.get_course(current_user, course_id)
    data = services.report_xlsx(services.course_report(current_user, course))
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename=course-{course.id}-report.xlsx"},
    )


@bp.route("/<int:course_id>/learners.xlsx")
@login_required
def learners_xlsx(course_id: int):
    """The learners in the officer's scope, with their progress (audited export)."""
    course = services.get_course(current_user, course_id)
    data = services.learners_xlsx(current_user, course)
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename=course-{course.id}-learners.xlsx"},
    )
