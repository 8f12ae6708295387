"""File storage: bytes kept under ``app.config["STORAGE_DIR"]`` behind opaque keys.

The whole API::

    key = storage.save(data_or_stream, max_bytes=None)  # -> str, a random opaque key
    storage.path(key)     # -> pathlib.Path of the stored file (for send_file)
    storage.open(key)     # -> a binary file object for reading
    storage.exists(key)   # -> bool
    storage.delete(key)   # removes the file; a missing key is not an error

Keys are random (32 hex characters) and reveal nothing about the owner, the original name
or the folder layout; callers keep the original name and type in their own tables.
A save that exceeds ``max_bytes`` raises ``TooLarge`` and leaves nothing behind.
Every web and worker process must see the same folder (a shared volume when scaled).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from lms.errors import DomainError

_KEY = re.compile(r"^[0-9a-f]{32}$")
_CHUNK = 1024 * 1024


class TooLarge(DomainError):
    """A file larger than the configured limit; answered with HTTP 413."""

    status = 413
    code = "too_large"
    default_message = _l("上传的文件太大。请压缩或拆分后再上传。")


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def path(key: str) -> Path:
    """Where the file of ``key`` lives. Raises ValueError for anything but a valid key."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError("not a storage key")
    return _root() / key[:2] / key


def save(data: bytes | BinaryIO, max_bytes: int | None = None, too_large_message=None) -> str:
    """Store bytes or a readable binary stream; return the new key."""
    key = secrets.token_hex(16)
    target = path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    written = 0
    try:
        with partial.open("wb") as out:
            if isinstance(data, bytes | bytearray | memoryview):
                chunks = [bytes(data)]
            else:
                chunks = iter(lambda: data.read(_CHUNK), b"")
            for chunk in chunks:
                written += len(chunk)
                if max_bytes is not None and written > max_bytes:
                    raise TooLarge(too_large_message)
                out.write(chunk)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return key


def open(key: str) -> BinaryIO:  # noqa: A001 - the module's API reads storage.open(key)
    return path(key).open("rb")


def exists(key: str) -> bool:
    try:
        return path(key).is_file()
    except ValueError:
        return False


def delete(key: str | None) -> None:
    if not key:
        return
    try:
        path(key).unlink(missing_ok=True)
    except ValueError:
        return


def copy_in(source: Path) -> str:
    """Store a copy of a file already on disk (e.g. a generated PDF); return its key."""
    with source.open("rb") as handle:
        key = secrets.token_hex(16)
        target = path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            shutil.copyfileobj(handle, out)
    return key
