"""Pages of schedules and reports: a person's schedule and calendar feeds, a class's
attendance matrix, a person's history, the summary per organization, and warnings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization
from lms.accounts.services import get_user
from lms.core.pages import paginate
from lms.db import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.timeutil import local_zone, to_local
from lms.training import forms, services
from lms.training.views.common import EXPORT_KINDS, bp, download, form_errors, org_choices


@bp.route("/schedule")
@login_required
def schedule():
    today = to_local(utcnow()).date()
    start = datetime.combine(today - timedelta(days=7), datetime.min.time(), local_zone())
    end = start + timedelta(days=67)
    token = services.calendar_token(current_user)
    return render_template(
        "training/schedule.html",
        sessions=services.schedule_for(current_user, start, end),
        feed_url=url_for("training.person_feed", token=token, _external=True),
        now=utcnow(),
    )


@bp.route("/schedule/feed/reset", methods=["POST"])
@login_required
def reset_feed():
    services.reset_calendar_token(current_user)
    flash(_("已生成新的订阅地址，旧地址立即失效。请在手机日历中重新订阅。"), "success")
    return redirect(url_for("training.schedule"))


def _ics(body: bytes) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": "inline; filename=training.ics",
        },
    )


@bp.route("/feeds/<token>.ics")
def person_feed(token: str):
    return _ics(services.person_feed(token))


@bp.route("/feeds/class/<token>.ics")
def class_feed(token: str):
    return _ics(services.class_feed(token))


@bp.route("/classes/<int:class_id>/matrix")
@login_required
def matrix(class_id: int):
    training_class = services.get_class(current_user, class_id)
    export = request.args.get("format")
    if export in EXPORT_KINDS:
        return download(export, services.export_matrix(current_user, training_class))
    data = services.class_matrix(current_user, training_class)
    # matrix.html still names the class ``klass``; both names until it is edited.
    return render_template(
        "training/matrix.html", training_class=training_class, klass=training_class, data=data
    )


@bp.route("/people/<int:user_id>/history")
@login_required
def history(user_id: int):
    user = get_user(current_user, user_id)
    export = request.args.get("format")
    if export in EXPORT_KINDS:
        return download(export, services.export_history(current_user, user))
    rows = services.worker_history(current_user, user)
    return render_template("training/history.html", person=user, rows=rows)


@bp.route("/me/history")
@login_required
def my_history():
    return redirect(url_for("training.history", user_id=current_user.id))


@bp.route("/reports/summary")
@login_required
def summary():
    scope.require_officer(current_user)
    form = forms.SummaryForm(request.args)
    form.org.choices = org_choices()
    if not request.args:
        form.org.data = current_user.organization_id
        form.start.data = date(to_local(utcnow()).year, 1, 1)
        form.end.data = to_local(utcnow()).date()
    ready = form.org.data and form.start.data and form.end.data
    if not (ready and (not request.args or form.validate())):
        return render_template("training/summary.html", form=form, result=None)
    organization = db.session.get(Organization, form.org.data)
    if organization is None:
        raise NotFound()
    export = request.args.get("format")
    try:
        if export in EXPORT_KINDS:
            table = services.export_summary(
                current_user, organization, form.start.data, form.end.data
            )
            return download(export, table)
        result = services.organization_summary(
            current_user, organization, form.start.data, form.end.data
        )
    except Invalid as exc:
        form_errors(form, exc)
        result = None
    return render_template("training/summary.html", form=form, result=result)


@bp.route("/warnings")
@login_required
def warnings():
    page = paginate(services.warnings_query(current_user))
    return render_template("training/warnings.html", page=page)
