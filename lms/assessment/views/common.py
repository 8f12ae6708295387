"""Helpers the assessment pages share (and the pages of domains built on the engine)."""

from __future__ import annotations

from datetime import datetime

from flask import flash

from lms.errors import Conflict, DomainError, Invalid
from lms.timeutil import local_zone

REFUSALS = (Invalid, Conflict)  # shown beside the form; Forbidden and NotFound propagate


def aware(value: datetime | None) -> datetime | None:
    """A form's local wall-clock time as an aware time."""
    return value.replace(tzinfo=local_zone()) if value else None


def flash_refusal(exc: DomainError) -> None:
    if exc.errors:
        for messages in exc.errors.values():
            for message in messages:
                flash(str(message), "error")
    else:
        flash(exc.message, "error")


def form_errors(form, exc: DomainError) -> None:
    """A service's field errors beside the form's fields (others as messages)."""
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + [str(m) for m in messages]
        else:
            for message in messages:
                flash(str(message), "error")
    if not exc.errors:
        flash(exc.message, "error")


def answers_from(form) -> dict[int, dict]:
    """The sitting page's fields ``q<position>`` (choices, repeated) and ``t<position>``
    (written) as ``{position: {choices, text}}``."""
    answers: dict[int, dict] = {}
    for name in form:
        if name[:1] in ("q", "t") and name[1:].isdigit() and len(name) < 8:
            entry = answers.setdefault(int(name[1:]), {"choices": [], "text": None})
            if name[0] == "q":
                entry["choices"] = [v for v in form.getlist(name) if v.isdigit()]
            else:
                entry["text"] = form.get(name, "")
    return answers
