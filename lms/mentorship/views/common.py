"""The blueprint and the small helpers the mentorship pages share: posted ids, form errors,
the list filters, and running an action with its flash message."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from lms.core.pages import int_arg
from lms.errors import Conflict, DomainError, Invalid
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import MentorshipStatus

bp = Blueprint("mentorship", "lms.mentorship", template_folder="templates")


def posted_id(value) -> int:
    """A posted id; anything that is not a positive whole number becomes 0 (found nowhere)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def form_errors(form, exc: DomainError) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)


def flash_form_errors(form) -> None:
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "error")


def back(mentorship_id: int):
    return redirect(url_for("mentorship.detail", mentorship_id=mentorship_id))


def list_filters() -> services.MentorshipFilter:
    status = request.args.get("status") or None
    if status not in MentorshipStatus.__members__:
        status = None
    return services.MentorshipFilter(
        status=status,
        programme_id=int_arg("programme"),
        organization_id=int_arg("org"),
        q=(request.args.get("q") or "").strip() or None,
    )


def act(mentorship_id: int, action, success: str):
    try:
        action()
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        messages = [exc.message] + [m for ms in exc.errors.values() for m in ms]
        flash(" ".join(dict.fromkeys(str(m) for m in messages)), "error")
    else:
        flash(success, "success")
    return back(mentorship_id)


def redirect_next(response):
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return response
