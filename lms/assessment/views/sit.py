"""A candidate's pages: the exams they may sit, the sitting (on a phone), the result."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.assessment import services
from lms.assessment.views import bp
from lms.assessment.views.common import REFUSALS, answers_from, flash_refusal
from lms.db import utcnow
from lms.extensions import db


@bp.route("/")
@login_required
def my_exams():
    exams = db.session.scalars(services.candidate_exams_query(current_user).limit(50)).all()
    rows = [(e, services.own_sitting(current_user, e)) for e in exams]
    now = utcnow()
    return render_template(
        "assessment/my_exams.html",
        rows=rows,
        states={e.id: services.window_state(e, now) for e in exams},
    )


@bp.route("/exams/<int:exam_id>/start", methods=["POST"])
@login_required
def start(exam_id: int):
    try:
        sitting = services.start(current_user, exam_id)
    except REFUSALS as exc:
        flash_refusal(exc)
        return redirect(url_for("assessment.my_exams"))
    return redirect(url_for("assessment.sitting", sitting_id=sitting.id))


@bp.route("/sittings/<int:sitting_id>")
@login_required
def sitting(sitting_id: int):
    sitting = services.get(current_user, sitting_id)
    return render_template(
        "assessment/sitting.html",
        sitting=sitting,
        items=services.paper(current_user, sitting),
        mine=sitting.user_id == current_user.id,
        revealed=services.reveals(sitting),
        seconds_left=max(0, int((sitting.deadline - utcnow()).total_seconds())),
    )


@bp.route("/sittings/<int:sitting_id>/answers", methods=["POST"])
@login_required
def save(sitting_id: int):
    """The page's one form: save the answers, and hand in when asked to."""
    handing_in = request.form.get("action") == "submit"
    try:
        saved = services.save_answers(current_user, sitting_id, answers_from(request.form))
        if not handing_in:
            flash(_("已保存 %(n)d 题的答案。", n=saved), "success")
    except REFUSALS as exc:
        flash_refusal(exc)
    if handing_in:
        services.submit(current_user, sitting_id)
        flash(_("已交卷。"), "success")
    return redirect(url_for("assessment.sitting", sitting_id=sitting_id))
