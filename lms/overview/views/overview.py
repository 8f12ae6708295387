"""统筹: the five-links figures of a subtree and a year, trends and comparison as charts,
each figure linking to the list behind it; the annual report as Word and Excel."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization
from lms.extensions import db
from lms.overview import report
from lms.overview.services import overview as service
from lms.overview.views import bp


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    return int(value) if value.isdigit() else None


@bp.route("/overview")
@login_required
def overview():
    view = service.build(current_user, _int_arg("org"), _int_arg("year"))
    key = request.args.get("figure")
    chosen = view.figure(key) if key else None
    if chosen is None:
        chosen = view.figure("training.person_times") or (view.figures[0] if view.figures else None)
    trend = service.trend_chart(view, chosen) if chosen else None
    compare = service.children_chart(view, chosen) if chosen else None
    return render_template(
        "overview/overview.html",
        v=view,
        chosen=chosen,
        trend=trend,
        compare=compare,
        organizations=_organizations(),
        years=list(range(service.this_year(), service.this_year() - 6, -1)),
    )


def _organizations() -> list[Organization]:
    """The organizations the officer may choose: their own subtree (enterprises and above
    first; at most 500 in the list, any other one by its id in the URL)."""
    stmt = sa.select(Organization).order_by(sa.func.length(Organization.path), Organization.name)
    if not scope.is_admin(current_user):
        stmt = stmt.where(
            Organization.path.startswith(current_user.organization.path, autoescape=True)
        )
    return list(db.session.scalars(stmt.limit(500)))


@bp.route("/overview/report.docx")
@login_required
def annual_report():
    view = service.build(current_user, _int_arg("org"), _int_arg("year"))
    return _download(
        report.docx_bytes(view),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _("%(org)s-%(year)d年度报告.docx", org=view.organization.name, year=view.year),
    )


@bp.route("/overview/figures.xlsx")
@login_required
def annual_figures():
    view = service.build(current_user, _int_arg("org"), _int_arg("year"))
    return _download(
        report.xlsx_figures(view),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _("%(org)s-%(year)d年度数据.xlsx", org=view.organization.name, year=view.year),
    )


def _download(body: bytes, mimetype: str, name: str):
    response = send_file(
        io.BytesIO(body), mimetype=mimetype, as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
