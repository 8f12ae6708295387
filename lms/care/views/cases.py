"""Hardship cases (with steps, payments and closing) and visits."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.care import services
from lms.care.forms import (
    CaseForm,
    CloseForm,
    PaymentForm,
    StepForm,
    VisitPlanForm,
    VisitRecordForm,
)
from lms.care.views import bp
from lms.care.views.common import REFUSALS, attempt, flash_form, form_errors
from lms.core.pages import paginate


@bp.route("/cases")
@login_required
def cases():
    filters = services.CaseFilter(
        status=request.args.get("status") or None,
        need=request.args.get("need") or None,
        overdue=request.args.get("overdue") == "1",
        q=(request.args.get("q") or "").strip() or None,
    )
    page = paginate(services.cases_query(current_user, filters))
    return render_template(
        "care/cases.html", page=page, filters=filters, today=services.local_today()
    )


@bp.route("/people/<int:person_id>/cases/new", methods=["GET", "POST"])
@login_required
def new_case(person_id: int):
    person = services.get_person(current_user, person_id)
    form = CaseForm()
    if form.validate_on_submit():
        try:
            case = services.open_case(
                current_user,
                person,
                need=form.need.data,
                help_kind=form.help_kind.data,
                title=form.title.data,
                description=form.description.data,
                internal=form.internal.data,
            )
            flash(_("已立案。请添加第一步要办的事和期限。"), "success")
            return redirect(url_for("care.case", case_id=case.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("care/case_form.html", form=form, person=person), status


@bp.route("/cases/<int:case_id>")
@login_required
def case(case_id: int):
    case = services.get_case(current_user, case_id)
    return render_template(
        "care/case.html",
        case=case,
        step_form=StepForm(),
        payment_form=PaymentForm(kind=case.help_kind.value),
        close_form=CloseForm(),
        today=services.local_today(),
    )


@bp.route("/cases/<int:case_id>/steps", methods=["POST"])
@login_required
def add_step(case_id: int):
    case = services.get_case(current_user, case_id)
    form = StepForm()
    if form.validate_on_submit():
        if attempt(
            services.add_step,
            current_user,
            case,
            text=form.text.data,
            due_on=form.due_on.data,
            internal=form.internal.data,
        ):
            flash(_("已添加待办。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.case", case_id=case_id))


@bp.route("/steps/<int:step_id>/done", methods=["POST"])
@login_required
def complete_step(step_id: int):
    step = services.get_step(current_user, step_id)
    if attempt(services.complete_step, current_user, step, request.form.get("note")):
        flash(_("已办结这一步。"), "success")
    return redirect(url_for("care.case", case_id=step.case_id))


@bp.route("/cases/<int:case_id>/payments", methods=["POST"])
@login_required
def add_payment(case_id: int):
    case = services.get_case(current_user, case_id)
    form = PaymentForm()
    if form.validate_on_submit():
        if attempt(
            services.record_payment,
            current_user,
            case,
            amount=form.amount.data,
            kind=form.kind.data,
            paid_on=form.paid_on.data,
            note=form.note.data,
        ):
            flash(_("已记入帮扶台账。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.case", case_id=case_id))


@bp.route("/cases/<int:case_id>/close", methods=["POST"])
@login_required
def close_case(case_id: int):
    case = services.get_case(current_user, case_id)
    form = CloseForm()
    if form.validate_on_submit():
        if attempt(services.close_case, current_user, case, form.outcome.data):
            flash(_("已结案。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.case", case_id=case_id))


# --- visits ----------------------------------------------------------------------------------


@bp.route("/visits")
@login_required
def visits():
    filters = services.VisitFilter(
        status=request.args.get("status") or None,
        occasion=request.args.get("occasion") or None,
        q=(request.args.get("q") or "").strip() or None,
    )
    page = paginate(services.visits_query(current_user, filters))
    return render_template("care/visits.html", page=page, filters=filters)


@bp.route("/people/<int:person_id>/visits/new", methods=["POST"])
@login_required
def plan_visit(person_id: int):
    person = services.get_person(current_user, person_id)
    form = VisitPlanForm()
    if form.validate_on_submit():
        if attempt(
            services.plan_visit,
            current_user,
            person,
            occasion=form.occasion.data,
            planned_on=form.planned_on.data,
            visitors=form.visitors.data,
            note=form.note.data,
            internal=form.internal.data,
        ):
            flash(_("已安排走访。走访后请登记走访情况。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.person_file", person_id=person.id))


@bp.route("/visits/<int:visit_id>", methods=["GET", "POST"])
@login_required
def visit(visit_id: int):
    visit = services.get_visit(current_user, visit_id)
    form = VisitRecordForm(visitors=visit.visitors)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.record_visit(
                current_user,
                visit,
                visited_on=form.visited_on.data,
                visitors=form.visitors.data,
                given=form.given.data,
                note=form.note.data,
            )
            flash(_("已登记走访。"), "success")
            return redirect(url_for("care.visits"))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("care/visit.html", visit=visit, form=form), status


@bp.route("/visits/<int:visit_id>/cancel", methods=["POST"])
@login_required
def cancel_visit(visit_id: int):
    visit = services.get_visit(current_user, visit_id)
    if attempt(services.cancel_visit, current_user, visit):
        flash(_("已取消这次走访。"), "success")
    return redirect(url_for("care.visits"))
