"""Check-in pages: the instructor's QR screen, the page a scanned code opens (it only asks;
the "确认签到" tap POSTs with CSRF), and the typed six-digit code."""

from __future__ import annotations

import segno
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.errors import DomainError, wants_json
from lms.extensions import limiter
from lms.timeutil import to_local
from lms.training import forms, services
from lms.training.models import AttendanceStatus
from lms.training.views.common import bp


def _qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(
        scale=8, border=2, dark="#000", light="#fff", omitsize=True
    )


def _client() -> dict:
    """What the check-in guards read from the request."""
    return {"address": request.remote_addr, "fetch_site": request.headers.get("Sec-Fetch-Site")}


@bp.route("/sessions/<int:session_id>/screen")
@login_required
def screen(session_id: int):
    session = services.get_session(current_user, session_id)
    state = services.screen_state(current_user, session)
    scan_url = url_for("training.scan", token=state["token"], _external=True)
    return render_template(
        "training/screen.html",
        session=session,
        training_class=session.training_class,
        state=state,
        qr=_qr_svg(scan_url),
        scan_url=scan_url,
    )


@bp.route("/sessions/<int:session_id>/screen/state")
@login_required
def screen_state(session_id: int):
    session = services.get_session(current_user, session_id)
    state = services.screen_state(current_user, session)
    state["scan_url"] = url_for("training.scan", token=state["token"], _external=True)
    state["qr"] = _qr_svg(state["scan_url"])
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


def _flash_checked_in(row) -> None:
    at = to_local(row.checked_in_at).strftime("%H:%M")
    if row.status == AttendanceStatus.late:
        flash(_("签到成功（迟到）。签到时间 %(t)s。", t=at), "info")
    else:
        flash(_("签到成功！签到时间 %(t)s。", t=at), "success")


def _refused(exc: DomainError):
    if wants_json():
        raise exc
    page = render_template("training/checkin_refused.html", message=exc.message)
    return page, exc.status


@bp.route("/c/<token>")
@login_required
def scan(token: str):
    """The URL in the QR code: shows the session and asks for one tap; changes nothing."""
    try:
        session, ticket = services.prepare_scan(current_user, token, **_client())
    except DomainError as exc:
        return _refused(exc)
    response = render_template(
        "training/checkin_confirm.html",
        session=session,
        training_class=session.training_class,
        form=forms.ConfirmCheckinForm(ticket=ticket),
        token=token,
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/c/<token>", methods=["POST"])
@login_required
def confirm_scan(token: str):
    form = forms.ConfirmCheckinForm()
    try:
        services.refuse_cross_site(_client()["fetch_site"])
        ticket = form.ticket.data or ""
        session = services.session_for_checkin(services.read_ticket(ticket))
        row = services.check_in(current_user, session, ticket=ticket, **_client())
    except DomainError as exc:
        return _refused(exc)
    _flash_checked_in(row)
    return redirect(url_for("training.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/checkin", methods=["POST"])
@login_required
@limiter.limit("20 per minute", key_func=lambda: f"checkin:{current_user.get_id()}")
def checkin(session_id: int):
    form = forms.CodeForm()
    try:
        services.refuse_cross_site(_client()["fetch_site"])
        session = services.session_for_checkin(session_id)
        if not form.validate_on_submit():
            flash(next(iter(form.errors.values()), [_("请输入签到码。")])[0], "error")
        else:
            _flash_checked_in(
                services.check_in(current_user, session, code=form.code.data.strip(), **_client())
            )
    except DomainError as exc:
        if exc.status in (403, 404, 429):
            return _refused(exc)
        flash(exc.message, "error")
    return redirect(url_for("training.session_detail", session_id=session_id))
