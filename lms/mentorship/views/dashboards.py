"""The mentor's dashboard and phone form for logging a session; the apprentice's
dashboard and request for a mentor."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import Role
from lms.core.pages import int_arg
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.forms import (
    DisputeForm,
    LogForm,
    RequestForm,
)
from lms.mentorship.models import LogStatus, MentorshipStatus
from lms.mentorship.views.common import (
    bp,
    form_errors,
    posted_id,
)

# --- mentors ---------------------------------------------------------------------------------


def _require_mentor():
    if not current_user.has_role(Role.mentor):
        raise Forbidden(_("此页面供导师使用。"))


@bp.route("/mentoring")
@login_required
def mentor_dashboard():
    _require_mentor()
    idle_days = min(max(int_arg("idle_days", 14) or 14, 1), 365)
    board = services.mentor_dashboard(current_user, idle_days=idle_days)
    return render_template("mentorship/mentor_dashboard.html", board=board)


@bp.route("/mentoring/log", methods=["GET", "POST"])
@login_required
def log_session():
    _require_mentor()
    board_rows = [
        r
        for r in services.mentor_dashboard(current_user)["rows"]
        if r.mentorship.status == MentorshipStatus.active
    ]
    form = LogForm()
    form.mentorship_id.choices = [
        (r.mentorship.id, r.mentorship.apprentice.name) for r in board_rows
    ]
    status = 200
    if request.method == "GET":
        form.session_date.data = services.local_today()
        form.kind.data = services.last_kind(current_user).value
        form.client_token.data = uuid.uuid4().hex
        chosen = int_arg("mentorship")
        if chosen in {c[0] for c in form.mentorship_id.choices}:
            form.mentorship_id.data = chosen
        elif len(form.mentorship_id.choices) == 1:
            form.mentorship_id.data = form.mentorship_id.choices[0][0]
    elif form.validate_on_submit():
        mentorship = services.get_mentorship(current_user, form.mentorship_id.data)
        uploads = [
            services.Upload(f.filename or "file", f.mimetype or "", f.read())
            for f in (form.files.data or [])
            if f and f.filename
        ]
        try:
            entry = services.create_log(
                current_user,
                mentorship,
                session_date=form.session_date.data,
                minutes=form.minutes.data,
                kind=form.kind.data,
                topic=form.topic.data,
                skills=form.skills.data,
                notes=form.notes.data,
                files=uploads,
                client_token=form.client_token.data or None,
            )
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            form_errors(form, exc)
            if "files" in exc.errors:
                form.files.errors = list(exc.errors["files"])
            status = exc.status
        else:
            flash(
                _(
                    "已记录%(name)s的带徒 %(minutes)d 分钟，等待徒弟确认。",
                    name=mentorship.apprentice.name,
                    minutes=entry.minutes,
                ),
                "success",
            )
            return redirect(url_for("mentorship.mentor_dashboard"))
    else:
        status = 422
    return render_template("mentorship/log_form.html", form=form, rows=board_rows), status


# --- apprentices -----------------------------------------------------------------------------


@bp.route("/my-mentor")
@login_required
def apprentice_dashboard():
    board = services.apprentice_dashboard(current_user)
    suggestions = [] if board["current"] else services.suggestions(current_user, current_user, 5)
    return render_template(
        "mentorship/apprentice_dashboard.html",
        board=board,
        suggestions=suggestions,
        dispute_form=DisputeForm(),
        request_form=RequestForm(),
        LogStatus=LogStatus,
    )


@bp.route("/my-mentor/request", methods=["POST"])
@login_required
def request_mentor():
    form = RequestForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    mentor = services.get_mentor_for_request(posted_id(form.mentor_id.data))
    try:
        services.request_mentor(current_user, mentor=mentor, note=form.note.data)
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("已向%(name)s师傅发出拜师申请，请等待回复。", name=mentor.name), "success")
    return redirect(url_for("mentorship.apprentice_dashboard"))
