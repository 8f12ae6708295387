"""Check-up batches for the care team, and the officers' "done / not done" view."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.care import services
from lms.care.forms import BatchForm, BookForm, CheckupDoneForm
from lms.care.views import bp
from lms.care.views.common import REFUSALS, attempt, flash_form, form_errors
from lms.core.pages import int_arg, paginate


@bp.route("/checkups")
@login_required
def checkups():
    page = paginate(services.batches_query(current_user, int_arg("year")))
    return render_template("care/checkups.html", page=page)


@bp.route("/checkups/new", methods=["GET", "POST"])
@login_required
def new_batch():
    organizations = services.care_organizations(current_user)
    form = BatchForm()
    form.organization_id.choices = [(o.id, o.name) for o in organizations]
    if request.method == "GET":
        form.year.data = services.local_today().year
    if form.validate_on_submit():
        organization = next(o for o in organizations if o.id == form.organization_id.data)
        try:
            batch = services.create_batch(
                current_user,
                organization,
                name=form.name.data,
                year=form.year.data,
                levels=form.levels.data,
                place=form.place.data,
            )
            flash(_("已建立体检批次，符合条件的人员已列入。"), "success")
            return redirect(url_for("care.batch", batch_id=batch.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("care/batch_form.html", form=form), status


@bp.route("/checkups/<int:batch_id>")
@login_required
def batch(batch_id: int):
    batch = services.get_batch(current_user, batch_id)
    q = (request.args.get("q") or "").strip() or None
    page = paginate(services.checkups_query(current_user, batch, q), per_page=30)
    return render_template(
        "care/batch.html",
        batch=batch,
        page=page,
        q=q,
        book_form=BookForm(),
        done_form=CheckupDoneForm(),
        levels=batch.levels.split(","),
    )


@bp.route("/checkups/<int:batch_id>/eligible", methods=["POST"])
@login_required
def refresh_eligible(batch_id: int):
    batch = services.get_batch(current_user, batch_id)
    count = services.add_eligible(current_user, batch)
    flash(_("已按荣誉级别核对名单：共 %(n)d 人符合条件。", n=count), "success")
    return redirect(url_for("care.batch", batch_id=batch_id))


@bp.route("/checkup-entries/<int:checkup_id>/book", methods=["POST"])
@login_required
def book_checkup(checkup_id: int):
    checkup = services.get_checkup(current_user, checkup_id)
    form = BookForm()
    if form.validate_on_submit():
        if attempt(services.book, current_user, checkup, form.appointment_on.data):
            flash(_("已预约。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.batch", batch_id=checkup.batch_id))


@bp.route("/checkup-entries/<int:checkup_id>/done", methods=["POST"])
@login_required
def checkup_done(checkup_id: int):
    checkup = services.get_checkup(current_user, checkup_id)
    form = CheckupDoneForm()
    if form.validate_on_submit():
        if attempt(
            services.record_checkup,
            current_user,
            checkup,
            form.attended_on.data,
            form.result_note.data,
        ):
            flash(_("已登记体检。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.batch", batch_id=checkup.batch_id))


@bp.route("/checkup-status")
@login_required
def checkup_overview():
    """Officers: the batches that concern their organization."""
    return render_template(
        "care/checkup_overview.html", batches=services.batches_for_officer(current_user)
    )


@bp.route("/checkup-status/<int:batch_id>")
@login_required
def checkup_status(batch_id: int):
    """Officers: who of their organization has been, nothing more."""
    batch, rows = services.status_view(current_user, batch_id)
    return render_template("care/checkup_status.html", batch=batch, rows=rows)
