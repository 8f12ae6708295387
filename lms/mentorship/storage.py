"""Files kept with mentoring logs, under ``STORAGE_DIR/mentorship/`` with opaque names.

A small local helper until the platform's shared storage module lands; callers only
use ``save``, ``path_for`` and ``delete``, so switching later touches this file alone.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

SUBDIR = "mentorship"


def _root() -> Path:
    root = Path(current_app.config["STORAGE_DIR"]) / SUBDIR
    root.mkdir(parents=True, exist_ok=True)
    return root


def save(data: bytes, extension: str) -> str:
    """Write ``data`` under a new random name and return that name."""
    extension = "".join(c for c in extension.lower() if c.isalnum())[:8]
    name = secrets.token_urlsafe(24) + (f".{extension}" if extension else "")
    (_root() / name).write_bytes(data)
    return name


def path_for(stored_name: str) -> Path:
    if "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        raise ValueError("not a stored name")
    return _root() / stored_name


def delete(stored_name: str) -> None:
    path_for(stored_name).unlink(missing_ok=True)
