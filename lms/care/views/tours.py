"""Study tours' reports: what participants learned, listed for the tour's participants and
care team, attached by a participant after the tour, and their files."""

from __future__ import annotations

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.care import services
from lms.care.forms import TourReportForm
from lms.care.views import bp
from lms.care.views.common import REFUSALS, form_errors
from lms.core import storage
from lms.core.pages import paginate
from lms.errors import NotFound


def _page(trip, form, status: int = 200):
    return (
        render_template(
            "care/tour_reports.html",
            trip=trip,
            page=paginate(services.reports_query(current_user, trip)),
            form=form,
            may_report=services.may_report(current_user, trip),
            today=services.local_today(),
        ),
        status,
    )


@bp.route("/trips/<int:trip_id>/reports")
@login_required
def tour_reports(trip_id: int):
    trip, _mine = services.get_tour(current_user, trip_id)
    return _page(trip, TourReportForm())


@bp.route("/trips/<int:trip_id>/reports", methods=["POST"])
@login_required
def add_tour_report(trip_id: int):
    trip, _mine = services.get_tour(current_user, trip_id)
    form = TourReportForm()
    if form.validate_on_submit():
        upload = None
        if form.file.data and form.file.data.filename:
            upload = services.Upload(
                form.file.data.filename, form.file.data.mimetype, form.file.data.read()
            )
        try:
            services.add_report(
                current_user, trip, title=form.title.data, summary=form.summary.data, upload=upload
            )
            flash(_("考察报告已提交，谢谢分享！"), "success")
            return redirect(url_for("care.tour_reports", trip_id=trip.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    return _page(trip, form, 422)


@bp.route("/trip-reports/<int:tour_report_id>/file")
@login_required
def tour_report_file(tour_report_id: int):
    report = services.get_report(current_user, tour_report_id)
    if not report.file_key or not storage.exists(report.file_key):
        raise NotFound()
    return send_file(
        storage.path(report.file_key),
        mimetype=report.file_type,
        download_name=report.file_name,
        as_attachment=not (report.file_type or "").startswith("image/"),
    )
