"""Uploaded files: a lecture's video or attachment and a course's cover.

Types and size limits come from the configuration; a refused upload stores nothing. The
length of an uploaded video is read on the server (mutagen reads MP4's header), so the
rule "watched at 90%" never rests on a length the learner's browser reports.
"""

from __future__ import annotations

import logging
import math
from typing import BinaryIO

import mutagen
from flask import current_app
from flask_babel import gettext as _

from courses.models import Course, Lecture, LectureKind
from courses.services.access import can_edit, get_course
from lms.accounts.models import User
from lms.core import storage
from lms.errors import Forbidden, Invalid
from lms.extensions import db

log = logging.getLogger(__name__)

_VIDEO_MAGIC = {"mp4": lambda h: h[4:8] == b"ftyp", "webm": lambda h: h[:4] == b"\x1a\x45\xdf\xa3"}


def extension(filename: str | None) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{math.ceil(n / 1024)} KB"


def too_large_message(limit: int) -> str:
    return _("文件超过 %(limit)s 的上限，未保存。请压缩后再上传。", limit=human_size(limit))


def upload_limit(kind: LectureKind) -> int:
    """The largest file a lecture of ``kind`` takes (bytes)."""
    config = current_app.config
    if kind in (LectureKind.video, LectureKind.live):
        return config["COURSE_VIDEO_MAX_BYTES"]
    return config["COURSE_FILE_MAX_BYTES"]


def _store(stream: BinaryIO, size: int | None, limit: int) -> str:
    message = too_large_message(limit)
    if size is not None and size > limit:
        raise storage.TooLarge(message)
    return storage.save(stream, max_bytes=limit, too_large_message=message)


def check_upload(kind: LectureKind, filename: str | None) -> tuple[str, dict, int]:
    """The extension, allowed types and size limit for an upload to a lecture of ``kind``.

    Raises Invalid with a message naming the accepted formats.
    """
    config = current_app.config
    ext = extension(filename)
    if kind in (LectureKind.video, LectureKind.live):
        types = config["COURSE_VIDEO_TYPES"]
        message = _("视频只支持 %(types)s 格式。", types="、".join(t.upper() for t in types))
    elif kind == LectureKind.file:
        types = config["COURSE_FILE_TYPES"]
        message = _("附件只支持 %(types)s 格式。", types="、".join(t.upper() for t in types))
    else:
        raise Invalid(errors={"file": [_("这一讲不能上传文件。")]})
    if ext not in types:
        raise Invalid(errors={"file": [message]})
    return ext, types, upload_limit(kind)


def file_duration(lecture: Lecture) -> int | None:
    """The length in whole seconds of the lecture's uploaded video, read from the file.

    None when there is no file or its length cannot be read (a WebM file, which mutagen
    does not parse, or a damaged one); the length typed in by the author then stands.
    """
    if not lecture.file_key or lecture.kind not in (LectureKind.video, LectureKind.live):
        return None
    try:
        media = mutagen.File(storage.path(lecture.file_key))
    except (mutagen.MutagenError, OSError) as exc:
        log.info("cannot read the length of lecture %s's file: %s", lecture.id, exc)
        return None
    length = getattr(getattr(media, "info", None), "length", None)
    return max(1, round(length)) if length else None


def attach_file(
    actor: User,
    lecture: Lecture,
    stream: BinaryIO,
    filename: str,
    size: int | None = None,
) -> Lecture:
    """Store an uploaded video (video/live lectures) or attachment (file lectures)."""
    get_course(actor, lecture.course_id, for_edit=True)
    ext, types, limit = check_upload(lecture.kind, filename)
    if ext in _VIDEO_MAGIC:
        head = stream.read(16)
        if not _VIDEO_MAGIC[ext](head):
            raise Invalid(
                errors={"file": [_("文件内容不是有效的 %(ext)s 视频。", ext=ext.upper())]}
            )
        stream = _Prepend(head, stream)
    key = _store(stream, size, limit)
    old = lecture.file_key
    lecture.file_key = key
    lecture.file_name = (filename or "").rsplit("/", 1)[-1][:255]
    lecture.file_type = types[ext]
    lecture.file_size = storage.path(key).stat().st_size
    lecture.duration_seconds = file_duration(lecture) or lecture.duration_seconds
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    storage.delete(old)
    return lecture


def set_cover(actor: User, course: Course, stream: BinaryIO, filename: str, size: int | None):
    if not can_edit(actor, course):
        raise Forbidden()
    ext = extension(filename)
    if ext not in current_app.config["COURSE_COVER_TYPES"]:
        raise Invalid(errors={"cover": [_("封面只支持 JPG、PNG、WebP 图片。")]})
    key = _store(stream, size, current_app.config["COURSE_COVER_MAX_BYTES"])
    old = course.cover_key
    course.cover_key = key
    db.session.commit()
    storage.delete(old)


class _Prepend:
    """A stream that yields ``head`` first, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = head, stream

    def read(self, n: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._stream.read(n)
