"""Living-conditions surveys: the campaigns, a new campaign, who answered, one answer (read
audited), the answer form on the phone or after a visit, and a flagged need made a case."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.care import services
from lms.care.forms import AnswerForm, SurveyForm
from lms.care.views import bp
from lms.care.views.common import REFUSALS, attempt, flash_refusal, form_errors
from lms.core.pages import paginate


@bp.route("/surveys")
@login_required
def surveys():
    q = (request.args.get("q") or "").strip() or None
    page = paginate(services.surveys_query(current_user, q))
    return render_template("care/surveys.html", page=page, q=q)


@bp.route("/surveys/new", methods=["GET", "POST"])
@login_required
def new_survey():
    organizations = services.care_organizations(current_user)
    form = SurveyForm()
    form.organization_id.choices = [(o.id, o.name) for o in organizations]
    if form.validate_on_submit():
        organization = next(o for o in organizations if o.id == form.organization_id.data)
        try:
            survey = services.create_survey(
                current_user,
                organization,
                name=form.name.data,
                levels=form.levels.data,
                closes_on=form.closes_on.data,
                intro=form.intro.data,
            )
            counts = services.survey_counts(current_user, survey)
            flash(_("调查已发给 %(n)d 人。他们会在手机上收到通知。", n=counts.asked), "success")
            return redirect(url_for("care.survey", survey_id=survey.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("care/survey_form.html", form=form), status


@bp.route("/surveys/<int:survey_id>")
@login_required
def survey(survey_id: int):
    survey = services.get_survey(current_user, survey_id)
    q = (request.args.get("q") or "").strip() or None
    status = request.args.get("status") or None
    return render_template(
        "care/survey.html",
        survey=survey,
        counts=services.survey_counts(current_user, survey),
        page=paginate(services.responses_query(current_user, survey, status, q), per_page=50),
        q=q,
        status=status,
        today=services.local_today(),
    )


@bp.route("/surveys/<int:survey_id>/send", methods=["POST"])
@login_required
def send_survey(survey_id: int):
    survey = services.get_survey(current_user, survey_id)
    count = attempt(services.send_survey, current_user, survey)
    if count is not None:
        flash(_("已补发给新符合条件的 %(n)d 人。", n=count), "success")
    return redirect(url_for("care.survey", survey_id=survey_id))


@bp.route("/responses/<int:response_id>")
@login_required
def survey_response(response_id: int):
    response = services.read_response(current_user, response_id)  # audited
    return render_template(
        "care/response.html",
        response=response,
        own=response.person_id == current_user.id,
    )


@bp.route("/responses/<int:response_id>/answer", methods=["GET", "POST"])
@login_required
def answer_survey(response_id: int):
    response = services.get_response(current_user, response_id)
    own = response.person_id == current_user.id
    if response.status == "answered":
        flash(_("这份调查已经填写过了。"), "info")
        return redirect(url_for("care.survey_response", response_id=response.id))
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.answer(
                current_user,
                response,
                surveyed_on=None if own else form.surveyed_on.data,
                housing=form.housing.data,
                income=form.income.data,
                health=form.health.data,
                family=form.family.data,
                needs=form.needs.data,
                flagged=form.flagged.data,
            )
            flash(_("谢谢！调查已提交。") if own else _("已登记调查结果。"), "success")
            return redirect(url_for("care.survey_response", response_id=response.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return (
        render_template("care/answer.html", form=form, response=response, own=own),
        status,
    )


@bp.route("/survey-needs/<int:need_id>/case", methods=["POST"])
@login_required
def case_from_need(need_id: int):
    need = services.get_need(current_user, need_id)
    try:
        case = services.case_from_need(current_user, need.id)
    except REFUSALS as exc:
        flash_refusal(exc)
        return redirect(url_for("care.survey_response", response_id=need.response_id))
    flash(_("已立案，案由和情况已按调查填好。下一步：添加跟进事项。"), "success")
    return redirect(url_for("care.case", case_id=case.id))
