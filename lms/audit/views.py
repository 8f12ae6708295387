"""The audit log page for officers (their scope) and admins (everything)."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from lms.audit import services
from lms.core.pages import paginate

bp = Blueprint("audit", __name__, template_folder="templates")


@bp.route("/audit")
@login_required
def log():
    action = request.args.get("action") or None
    q = request.args.get("q") or None
    page = paginate(services.entries_query(current_user, action=action, q=q), per_page=50)
    return render_template("audit/log.html", page=page, action=action, q=q)
