"""Actions on one mentoring log (confirm, dispute, resolve) and its attachments."""

from __future__ import annotations

from flask import send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core import storage
from lms.mentorship import services
from lms.mentorship.forms import (
    DisputeForm,
    ResolveForm,
)
from lms.mentorship.views.common import (
    act,
    bp,
    redirect_next,
)

# --- logs ------------------------------------------------------------------------------------


@bp.route("/logs/<int:log_id>/confirm", methods=["POST"])
@login_required
def confirm_log(log_id: int):
    entry = services.get_log(current_user, log_id)
    response = act(
        entry.mentorship_id,
        lambda: services.confirm_log(current_user, entry),
        _("已确认这条带徒记录。"),
    )
    return redirect_next(response)


@bp.route("/logs/<int:log_id>/dispute", methods=["POST"])
@login_required
def dispute_log(log_id: int):
    entry = services.get_log(current_user, log_id)
    form = DisputeForm()
    reason = form.reason.data if form.validate_on_submit() else None
    response = act(
        entry.mentorship_id,
        lambda: services.dispute_log(current_user, entry, reason),
        _("已提出异议，培训专员会处理。"),
    )
    return redirect_next(response)


@bp.route("/logs/<int:log_id>/resolve", methods=["POST"])
@login_required
def resolve_log(log_id: int):
    entry = services.get_log(current_user, log_id)
    form = ResolveForm()
    resolution = form.resolution.data if form.validate_on_submit() else None
    response = act(
        entry.mentorship_id,
        lambda: services.resolve_log(current_user, entry, resolution or "", form.note.data),
        _("异议已处理。"),
    )
    return redirect_next(response)


@bp.route("/logs/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    item = services.get_attachment(current_user, attachment_id)
    return send_file(
        storage.path(item.stored_name),
        mimetype=item.content_type,
        download_name=item.filename,
        as_attachment=not item.content_type.startswith("image/"),
    )
