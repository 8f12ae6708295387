"""Care figures for a scope and year, and their XLSX export (audited, names masked)."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.care import services
from lms.care.views import bp
from lms.core.pages import int_arg
from lms.core.tabular import xlsx_bytes


def _report():
    return services.build(current_user, year=int_arg("year"), organization_id=int_arg("org"))


@bp.route("/reports")
@login_required
def reports():
    report = _report()
    return render_template(
        "care/reports.html",
        report=report,
        organizations=services.care_organizations(current_user),
        years=list(range(services.local_today().year, services.local_today().year - 6, -1)),
    )


@bp.route("/reports/export.xlsx")
@login_required
def export_report():
    report = _report()
    headers, rows = services.export_sheets(current_user, report)
    data = xlsx_bytes(_("关爱服务统计"), headers, rows)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=care-{report.year}.xlsx"},
    )
