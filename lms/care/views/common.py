"""Helpers the care pages share: posted ids, turning a refused action into messages."""

from __future__ import annotations

from flask import flash, redirect, request, url_for

from lms.errors import Conflict, DomainError, Invalid


def posted_id(name: str) -> int:
    """A posted id; anything that is not a positive whole number becomes 0 (found nowhere)."""
    text = str(request.form.get(name) or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def form_errors(form, exc: DomainError) -> None:
    """Put a service's field errors beside the form's fields (others as a message)."""
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
        else:
            for message in messages:
                flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def flash_refusal(exc: DomainError) -> None:
    if exc.errors:
        for messages in exc.errors.values():
            for message in messages:
                flash(str(message), "error")
    else:
        flash(exc.message, "error")


def flash_form(form) -> None:
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "error")


def attempt(action, *args, **kwargs):
    """Run a state change; an invalid or conflicting input becomes a message and None.
    A refusal is not caught: Forbidden is a 403, NotFound a 404."""
    try:
        return action(*args, **kwargs)
    except (Invalid, Conflict) as exc:
        flash_refusal(exc)
        return None


def back(endpoint: str, **values):
    return redirect(url_for(endpoint, **values))


REFUSALS = (Invalid, Conflict)  # input to show beside the form; refusals propagate
