"""Columns (kept by reviewers), media coverage (recorded by editors) and reach."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core import storage
from lms.core.pages import int_arg, paginate
from lms.errors import Conflict, Invalid
from lms.publicity import services
from lms.publicity.forms import ColumnForm, ReportForm
from lms.publicity.views import bp
from lms.publicity.views.editing import _put_errors


@bp.route("/columns", methods=["GET", "POST"])
@login_required
def columns():
    services.require_reviewer(current_user)
    form = ColumnForm()
    if form.validate_on_submit():
        try:
            services.save_column(
                current_user,
                name=form.name.data,
                description=form.description.data,
                position=form.position.data or 0,
            )
            flash(_("专栏已建立。"), "success")
            return redirect(url_for("publicity.columns"))
        except (Invalid, Conflict) as exc:
            _put_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("publicity/columns.html", form=form, columns=services.columns()), status


@bp.route("/columns/<int:column_id>", methods=["POST"])
@login_required
def edit_column(column_id: int):
    services.require_reviewer(current_user)
    column = services.get_column(column_id)
    form = ColumnForm()
    if form.validate_on_submit():
        try:
            services.save_column(
                current_user,
                column,
                name=form.name.data,
                description=form.description.data,
                position=form.position.data or 0,
            )
            flash(_("已保存。"), "success")
        except (Invalid, Conflict) as exc:
            _put_errors(None, exc)
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(str(message), "error")
    return redirect(url_for("publicity.columns"))


@bp.route("/reports")
@login_required
def reports():
    filters = services.ReportFilter(
        q=(request.args.get("q") or "").strip() or None, year=int_arg("year")
    )
    page = paginate(services.reports_query(current_user, filters))
    return render_template("publicity/reports.html", page=page, filters=filters)


@bp.route("/reports/new", methods=["GET", "POST"])
@login_required
def new_report():
    services.require_editor(current_user)
    form = ReportForm()
    if form.validate_on_submit():
        scan = form.scan.data or None
        try:
            people = services.people_by_employee_no(current_user, form.people.data or "", "people")
            services.record_report(
                current_user,
                outlet=form.outlet.data,
                published_on=form.published_on.data,
                title=form.title.data,
                link=form.link.data,
                people=people,
                scan=scan.stream if scan else None,
                scan_filename=scan.filename if scan else None,
                scan_content_type=scan.mimetype if scan else None,
            )
            flash(_("报道已登记。"), "success")
            return redirect(url_for("publicity.reports"))
        except (Invalid, Conflict) as exc:
            _put_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("publicity/report_form.html", form=form), status


@bp.route("/reports/<int:report_id>/scan")
@login_required
def report_scan(report_id: int):
    report = services.get_report(current_user, report_id)
    if not report.scan_key or not storage.exists(report.scan_key):
        abort(404)
    response = send_file(
        storage.path(report.scan_key),
        mimetype=report.scan_content_type,
        download_name=report.scan_filename or "scan",
        conditional=True,
    )
    response.cache_control.private = True
    return response


@bp.route("/reports/<int:report_id>/delete", methods=["POST"])
@login_required
def delete_report(report_id: int):
    report = services.get_report(current_user, report_id)
    services.delete_report(current_user, report)
    flash(_("已删除这条报道。"), "success")
    return redirect(url_for("publicity.reports"))


@bp.route("/reach")
@login_required
def reach():
    services.require_editor(current_user)
    today = services.local_today()
    year = int_arg("year") or today.year
    month = int_arg("month") or today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        year, month = today.year, today.month
    return render_template(
        "publicity/reach.html",
        year=year,
        month=month,
        rows=services.most_read(year, month),
        reports=services.report_count(current_user, year),
    )
