"""Helpers the competitions' pages share: refusals as messages, aware form times."""

from __future__ import annotations

from datetime import datetime

from flask import flash, request

from lms.errors import Conflict, DomainError, Invalid
from lms.extensions import db
from lms.timeutil import local_zone

REFUSALS = (Invalid, Conflict)  # input to show beside the form; refusals propagate


def aware(value: datetime | None) -> datetime | None:
    """A form's local wall-clock time as an aware time."""
    return value.replace(tzinfo=local_zone()) if value else None


def form_errors(form, exc: DomainError) -> None:
    """Put a service's field errors beside the form's fields (others as a message)."""
    for name, messages in exc.errors.items():
        target = getattr(form, name, None) if form is not None else None
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
        else:
            for message in messages:
                flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def flash_form(form) -> None:
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "error")


def attempt(form, action, *args, **kwargs):
    """Run a state change and commit it; an invalid or conflicting input is rolled back and
    becomes messages (beside the form's fields), and the result is None. Forbidden and
    NotFound are not caught: they are a 403 and a 404."""
    try:
        result = action(*args, **kwargs)
    except REFUSALS as exc:
        db.session.rollback()
        form_errors(form, exc)
        return None
    db.session.commit()
    return result if result is not None else True


def q_arg() -> str | None:
    return (request.args.get("q") or "").strip()[:100] or None
