"""Notification centre, preferences, and the admins' mail page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core.pages import paginate
from lms.extensions import db
from lms.notifications import mail, services
from lms.notifications.models import Cadence, Category

bp = Blueprint("notifications", __name__, template_folder="templates")


def _safe_link(link: str | None) -> str:
    """Follow only links inside the platform (a notification never sends people elsewhere)."""
    if not link:
        return url_for("notifications.centre")
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link.startswith("/"):
        return url_for("notifications.centre")
    return link


@bp.route("/notifications")
@login_required
def centre():
    unread_only = request.args.get("unread") == "1"
    page = paginate(services.notifications_query(current_user, unread_only=unread_only))
    return render_template(
        "notifications/centre.html",
        page=page,
        unread_only=unread_only,
        unread=services.unread_count(current_user),
        upcoming=services.reminders_for(current_user, limit=5),
        labels=services.CATEGORY_LABELS,
    )


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    n = services.mark_read(current_user, notification_id)
    db.session.commit()
    return redirect(_safe_link(n.link))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    services.mark_read(current_user, notification_id)
    db.session.commit()
    return redirect(request.referrer or url_for("notifications.centre"))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def mark_all_read():
    count = services.mark_all_read(current_user)
    db.session.commit()
    flash(_("已将 %(count)d 条通知标为已读。", count=count), "success")
    return redirect(url_for("notifications.centre"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    if request.method == "POST":
        for category in Category:
            hour = request.form.get(f"{category}-digest_hour", "18")
            services.set_preference(
                current_user,
                current_user,
                category,
                in_app=f"{category}-in_app" in request.form,
                email=f"{category}-email" in request.form,
                cadence=request.form.get(f"{category}-cadence", Cadence.immediate),
                digest_hour=int(hour) if hour.isdigit() else 18,
            )
        db.session.commit()
        flash(_("通知设置已保存。"), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html",
        prefs=services.preferences_for(current_user),
        has_email=bool(current_user.email),
    )


@bp.route("/admin/mail")
@login_required
def admin_mail():
    status = request.args.get("status") or None
    page = paginate(services.mail_query(current_user, status), per_page=50)
    return render_template(
        "notifications/admin_mail.html",
        page=page,
        status=status,
        counts=services.mail_counts(current_user),
        embedded=not bool(current_app.config.get("MAIL_SERVER")),
        folder=str(mail.mail_dir()),
        locks=services.locked_categories(),
        labels=services.CATEGORY_LABELS,
    )


@bp.route("/admin/mail/<int:message_id>/retry", methods=["POST"])
@login_required
def retry_mail(message_id: int):
    services.retry_mail(current_user, message_id)
    db.session.commit()
    flash(_("已重新排队发送。"), "success")
    return redirect(url_for("notifications.admin_mail", status="failed"))


@bp.route("/admin/mail/<int:message_id>.eml")
@login_required
def mail_file(message_id: int):
    message = services.get_mail_file(current_user, message_id)
    return send_from_directory(mail.mail_dir(), message.file_name, mimetype="message/rfc822")


@bp.route("/admin/notifications/locks", methods=["POST"])
@login_required
def set_locks():
    for category in Category:
        services.lock_category(current_user, category, f"lock-{category}" in request.form)
    db.session.commit()
    flash(_("必收通知设置已保存。"), "success")
    return redirect(url_for("notifications.admin_mail"))


@bp.app_context_processor
def inject_unread():
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"notification_unread_count": unread}
