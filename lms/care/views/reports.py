"""Care figures for a scope and a period, their charts, and the XLSX export (audited, names
masked)."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import HonorLevel
from lms.care import labels, services
from lms.care.models import HelpKind
from lms.care.views import bp
from lms.core import charts
from lms.core.pages import int_arg
from lms.core.tabular import xlsx_bytes


def _report():
    return services.build(
        current_user,
        year=int_arg("year"),
        organization_id=int_arg("org"),
        from_year=int_arg("from_year"),
    )


def _level_label(level) -> str:
    from lms.accounts.labels import HONOR_LEVEL_LABELS

    return str(HONOR_LEVEL_LABELS.get(level, _("无荣誉")))


def report_charts(report: services.CareReport) -> list[charts.Chart]:
    """Amounts by kind and year, people helped by kind and honour level, and what was done."""
    drawn = []
    years = sorted({y for y, _k, _t in report.amounts_by_year})
    if years:
        totals = {(y, k): float(t) for y, k, t in report.amounts_by_year}
        drawn.append(
            charts.bar(
                _("帮扶金额（元，按方式和年度）"),
                years,
                {labels.help_kind(k): [totals.get((y, k), 0) for y in years] for k in HelpKind},
            )
        )
    if report.served_by_kind:
        levels = [lv for lv in HonorLevel if any(key[1] == lv for key in report.served_by_kind)]
        drawn.append(
            charts.bar(
                _("受助人数（按帮扶方式和荣誉级别）"),
                [_level_label(lv) for lv in levels],
                {
                    labels.help_kind(k): [report.served_by_kind.get((k, lv), 0) for lv in levels]
                    for k in HelpKind
                },
            )
        )
    done = [
        (_("体检"), report.checkups[0], report.checkups[1]),
        *[
            (labels.trip_kind(kind), approved, attended)
            for kind, (approved, attended) in report.trips_by_kind.items()
        ],
    ]
    if any(planned for _n, planned, _d in done):
        drawn.append(
            charts.bar(
                _("体检与疗休养、学习考察（%(p)s）", p=report.period),
                [name for name, _p, _d in done],
                {_("应参加"): [p for _n, p, _d in done], _("已完成"): [d for _n, _p, d in done]},
            )
        )
    return drawn


@bp.route("/reports")
@login_required
def reports():
    report = _report()
    this_year = services.local_today().year
    return render_template(
        "care/reports.html",
        report=report,
        charts=report_charts(report),
        organizations=services.care_organizations(current_user),
        years=list(range(this_year, this_year - services.MAX_YEARS, -1)),
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
        headers={
            "Content-Disposition": (
                f"attachment; filename=care-{report.from_year}-{report.year}.xlsx"
            )
        },
    )
