"""Helpers the selection pages share: posted ids and refusals turned into messages."""

from __future__ import annotations

from flask import flash, request

from lms.errors import Conflict, DomainError, Invalid


def posted_id(name: str) -> int:
    text = str(request.form.get(name) or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def flash_refusal(exc: DomainError) -> None:
    if exc.errors:
        for messages in exc.errors.values():
            for message in messages:
                flash(str(message), "error")
    else:
        flash(exc.message, "error")


def form_errors(form, exc: DomainError) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
        else:
            for message in messages:
                flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def attempt(action, *args, **kwargs):
    """Run a state change; invalid or conflicting input becomes a message and None."""
    try:
        return action(*args, **kwargs)
    except (Invalid, Conflict) as exc:
        flash_refusal(exc)
        return None


REFUSALS = (Invalid, Conflict)
