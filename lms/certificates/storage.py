"""Files under ``STORAGE_DIR`` (a tiny helper until ``lms.core.storage`` lands)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app


def root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def path_of(relative: str) -> Path:
    target = (root() / relative).resolve()
    if not target.is_relative_to(root().resolve()):
        raise ValueError("path outside storage")
    return target


def write_bytes(relative: str, data: bytes) -> str:
    """Write atomically (temp file + rename) so a reader never sees half a PDF."""
    target = path_of(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return relative


def exists(relative: str | None) -> bool:
    return bool(relative) and path_of(relative).is_file()
