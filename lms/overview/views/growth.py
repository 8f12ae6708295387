"""我的成长档案: the person's own record and PDF; officers' view of people in scope (audited)."""

from __future__ import annotations

import io
from datetime import datetime

from flask import redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.certificates.pdf import FontMissing
from lms.overview import pdf
from lms.overview.services import growth as service
from lms.overview.views import bp
from lms.timeutil import local_zone


@bp.route("/growth/me")
@login_required
def my_growth():
    record = service.record_for(current_user, current_user.id)
    return render_template("overview/growth.html", r=record)


@bp.route("/growth/me.pdf")
@login_required
def my_growth_pdf():
    return _pdf(current_user.id)


@bp.route("/growth/people/<int:user_id>")
@login_required
def person_growth(user_id: int):
    if user_id == current_user.id:
        return redirect(url_for("overview.my_growth"))
    return render_template("overview/growth.html", r=service.record_for(current_user, user_id))


@bp.route("/growth/people/<int:user_id>.pdf")
@login_required
def person_growth_pdf(user_id: int):
    return _pdf(user_id)


def _pdf(user_id: int):
    record = service.record_for(current_user, user_id, export=True)  # audited for officers
    try:
        body = pdf.render(record, datetime.now(local_zone()).date())
    except FontMissing as exc:
        return render_template("certificates/font_missing.html", detail=str(exc)), 503
    response = send_file(
        io.BytesIO(body),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=_("成长档案-%(name)s.pdf", name=record.person.name),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
