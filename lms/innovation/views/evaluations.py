"""Expert evaluation pages: an evaluator's tasks, an evaluation's page (declaration, the
scorecard form, marks, closing), opening one from an item's page, and the scorecard."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.core.pages import paginate
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.innovation import services
from lms.innovation.forms import (
    DeclareForm,
    EmptyForm,
    EvaluationOpenForm,
    EvaluatorForm,
    ScorecardForm,
)
from lms.innovation.views import bp
from lms.innovation.views.common import attempt, flash_domain, flash_errors


@bp.route("/evaluations")
@login_required
def evaluations():
    return render_template(
        "innovation/evaluations.html", page=paginate(services.tasks_query(current_user))
    )


@bp.route("/<int:item_id>/evaluation", methods=["POST"])
@login_required
def open_evaluation(item_id: int):
    item = services.get_reviewable(current_user, item_id)
    form = EvaluationOpenForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return redirect(url_for("innovation.detail", item_id=item.id))
    try:
        ids = services.people_from_numbers(form.evaluators.data, "evaluator_ids")
        lead = services.people_from_numbers(form.lead_no.data, "lead_id")
        evaluation = services.open_evaluation(current_user, item, ids, lead[0] if lead else 0)
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash_domain(exc)
        return redirect(url_for("innovation.detail", item_id=item.id))
    flash(_("已组织专家评分，评审人声明利益冲突后即可评分。"), "success")
    return redirect(url_for("innovation.evaluation", evaluation_id=evaluation.id))


@bp.route("/evaluations/<int:evaluation_id>")
@login_required
def evaluation(evaluation_id: int):
    evaluation = services.get_evaluation(current_user, evaluation_id)
    view = services.evaluation_view(current_user, evaluation)
    return render_template(
        "innovation/evaluation.html",
        v=view,
        item=evaluation.innovation,
        declare_form=DeclareForm(),
        evaluator_form=EvaluatorForm(),
        button=EmptyForm(),
    )


def _back(evaluation_id: int):
    return redirect(url_for("innovation.evaluation", evaluation_id=evaluation_id))


@bp.route("/evaluations/<int:evaluation_id>/declaration", methods=["POST"])
@login_required
def evaluation_declare(evaluation_id: int):
    evaluation = services.get_evaluation(current_user, evaluation_id)
    form = DeclareForm()
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        attempt(
            lambda: services.declare(
                current_user, evaluation, form.conflict.data == "1", form.reason.data
            ),
            _("声明已记录。"),
        )
    return _back(evaluation_id)


@bp.route("/evaluations/<int:evaluation_id>/marks", methods=["POST"])
@login_required
def evaluation_marks(evaluation_id: int):
    evaluation = services.get_evaluation(current_user, evaluation_id)
    if not EmptyForm().validate_on_submit():
        flash(_("页面已过期，请重试。"), "error")
        return _back(evaluation_id)
    marks = {k[5:]: v for k, v in request.form.items() if k.startswith("mark_")}
    try:
        services.score(current_user, evaluation, marks)
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash_domain(exc)
    else:
        flash(_("评分已提交。"), "success")
    return _back(evaluation_id)


@bp.route("/evaluations/<int:evaluation_id>/close", methods=["POST"])
@login_required
def evaluation_close(evaluation_id: int):
    evaluation = services.get_evaluation(current_user, evaluation_id)
    if EmptyForm().validate_on_submit():
        attempt(
            lambda: services.close_evaluation(current_user, evaluation),
            _("专家评分已结束，总分已计算。"),
        )
    return _back(evaluation_id)


@bp.route("/evaluations/<int:evaluation_id>/evaluators", methods=["POST"])
@login_required
def evaluation_add(evaluation_id: int):
    evaluation = services.get_evaluation(current_user, evaluation_id)
    form = EvaluatorForm()
    if not form.validate_on_submit():
        flash_errors(form)
    else:

        def action():
            ids = services.people_from_numbers(form.employee_no.data, "evaluator_ids")
            services.add_evaluator(current_user, evaluation, ids[0], form.lead.data)

        attempt(action, _("已增加评审人。"))
    return _back(evaluation_id)


@bp.route("/scorecard", methods=["GET", "POST"])
@login_required
def scorecard():
    scope.require_officer(current_user)
    form = ScorecardForm()
    admin = scope.is_admin(current_user)
    if request.method == "POST":
        if not admin:
            raise Forbidden(_("评分表由管理员设置。"))
        if form.validate_on_submit():
            rows = []
            for line in form.lines.data.splitlines():
                parts = line.split()
                if len(parts) >= 3:
                    title = " ".join(parts[1:-1])
                    rows.append({"code": parts[0], "title": title, "max_mark": parts[-1]})
                elif parts:
                    rows.append({"code": parts[0], "title": "", "max_mark": parts[-1]})
            try:
                services.set_scorecard(current_user, rows)
            except Invalid as exc:
                db.session.rollback()
                flash_domain(exc)
            else:
                flash(_("评分表已保存，之后组织的评分按新表进行。"), "success")
                return redirect(url_for("innovation.scorecard"))
    elif admin:
        form.lines.data = "\n".join(
            f"{c.code} {c.title} {int(c.max_mark)}" for c in services.scorecard()
        )
    return render_template(
        "innovation/scorecard.html",
        criteria=services.scorecard(),
        form=form if admin else None,
    )
