"""What the innovation pages share: form errors from a domain error, posted ids."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash

from lms.errors import Conflict, DomainError, Invalid
from lms.extensions import db


def form_errors(form, exc: DomainError) -> None:
    """Put a domain error's field messages on the form's fields; the rest as a flash."""
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
        else:
            for message in messages:
                flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def flash_errors(form) -> None:
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "error")


def flash_domain(exc: DomainError) -> None:
    for messages in exc.errors.values():
        for message in messages:
            flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def attempt(action: Callable[[], object], done: str) -> bool:
    """Run a posted form's service call: commit and say ``done`` when it succeeds; roll back
    and flash the refusal's messages when it is Invalid or Conflict. Forbidden and NotFound
    are not caught: they are answers (403/404), not messages."""
    try:
        action()
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash_domain(exc)
        return False
    db.session.commit()
    flash(done, "success")
    return True
