"""One pairing's page and the actions on it: sign, decline, pause/resume/cancel, goals,
the mentor's assessment and the officer's graduation approval."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core.pages import paginate
from lms.errors import Invalid
from lms.mentorship import services
from lms.mentorship.forms import (
    AssessmentForm,
    DisputeForm,
    GoalForm,
    GoalStatusForm,
    GraduationForm,
    ResolveForm,
    TransitionForm,
)
from lms.mentorship.views.common import (
    act,
    back,
    bp,
    flash_form_errors,
)

# --- one pairing -----------------------------------------------------------------------------


@bp.route("/mentorships/<int:mentorship_id>")
@login_required
def detail(mentorship_id: int):
    mentorship = services.get_mentorship(current_user, mentorship_id)
    roles = services.roles_in(current_user, mentorship)
    logs = paginate(services.logs_query(current_user, mentorship), per_page=30)
    return render_template(
        "mentorship/detail.html",
        m=mentorship,
        roles=roles,
        logs=logs,
        today=services.local_today(),
        goal_form=GoalForm(),
        goal_status_form=GoalStatusForm(),
        assessment_form=AssessmentForm(obj=mentorship),
        graduation_form=GraduationForm(),
        transition_form=TransitionForm(),
        dispute_form=DisputeForm(),
        resolve_form=ResolveForm(),
    )


@bp.route("/mentorships/<int:mentorship_id>/sign", methods=["POST"])
@login_required
def sign(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    return act(m.id, lambda: services.sign(current_user, m), _("已签署带徒协议。"))


@bp.route("/mentorships/<int:mentorship_id>/decline", methods=["POST"])
@login_required
def decline(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    note = (request.form.get("note") or "").strip()
    return act(m.id, lambda: services.decline_request(current_user, m, note), _("已婉拒拜师申请。"))


@bp.route("/mentorships/<int:mentorship_id>/transition", methods=["POST"])
@login_required
def transition(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    return act(
        m.id,
        lambda: services.transition(current_user, m, form.to.data, form.note.data),
        _("状态已更新。"),
    )


@bp.route("/mentorships/<int:mentorship_id>/goals", methods=["POST"])
@login_required
def add_goal(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = GoalForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back(m.id)
    return act(
        m.id,
        lambda: services.add_goal(
            current_user, m, skill=form.skill.data, target_date=form.target_date.data
        ),
        _("已添加学习目标。"),
    )


@bp.route("/goals/<int:goal_id>", methods=["POST"])
@login_required
def update_goal(goal_id: int):
    goal = services.get_goal(current_user, goal_id)
    form = GoalStatusForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    return act(
        goal.mentorship_id,
        lambda: services.update_goal(current_user, goal, status=form.status.data),
        _("目标状态已更新。"),
    )


@bp.route("/mentorships/<int:mentorship_id>/assessment", methods=["POST"])
@login_required
def assessment(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = AssessmentForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return back(m.id)
    return act(
        m.id,
        lambda: services.record_assessment(
            current_user, m, form.final_assessment.data, early=form.early.data
        ),
        _("出师评价已保存，等待培训专员审批。"),
    )


@bp.route("/mentorships/<int:mentorship_id>/graduate", methods=["POST"])
@login_required
def graduate(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = GraduationForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    return act(
        m.id,
        lambda: services.approve_graduation(current_user, m, early=form.early.data),
        _("已批准出师。"),
    )
