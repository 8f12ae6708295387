"""Mentoring logs: the mentor records a session (with photos or PDFs), the apprentice
confirms or disputes it, an officer resolves disputes; confirmed minutes count."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from lms import signals
from lms.accounts import scope
from lms.accounts.models import User
from lms.audit import services as audit
from lms.core import storage
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.mentorship import models
from lms.mentorship.labels import STATUS_LABELS, label
from lms.mentorship.models import (
    LogAttachment,
    LogKind,
    LogStatus,
    MentorLog,
    Mentorship,
    Resolution,
)
from lms.mentorship.services.access import load_row, local_today, page_path, roles_in

S = models.MentorshipStatus


MAX_LOG_MINUTES = 720
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "application/pdf",
}

# (from, to) → who may make the move. Activation happens when both have signed (``sign``)

# --- mentoring logs --------------------------------------------------------------------------


@dataclass
class Upload:
    filename: str
    content_type: str
    data: bytes


def _check_uploads(files: list[Upload]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise Invalid(errors={"files": [_("每条记录最多 %(n)d 个附件。", n=MAX_ATTACHMENTS)]})
    for f in files:
        content_type = f.content_type or mimetypes.guess_type(f.filename)[0] or ""
        if content_type not in ALLOWED_ATTACHMENT_TYPES:
            raise Invalid(
                errors={"files": [_("%(name)s：只能上传照片或 PDF 文件。", name=f.filename)]}
            )
        if len(f.data) > MAX_ATTACHMENT_BYTES:
            raise Invalid(errors={"files": [_("%(name)s：文件不能超过 10 MB。", name=f.filename)]})
        if not f.data:
            raise Invalid(errors={"files": [_("%(name)s：文件是空的。", name=f.filename)]})


def _date_error(mentorship: Mentorship, session_date: date | None) -> str | None:
    if session_date is None:
        return _("请填写带徒日期。")
    if session_date > local_today():
        return _("带徒日期不能晚于今天。")
    if session_date < mentorship.start_date:
        return _("带徒日期不能早于师徒关系开始日期 %(d)s。", d=mentorship.start_date.isoformat())
    return None


def _log_fields(mentorship: Mentorship, session_date, minutes, kind, topic, skills, notes) -> dict:
    """The log's fields, checked and cleaned; every problem at once, per field."""
    errors: dict[str, list[str]] = {}
    date_error = _date_error(mentorship, session_date)
    if date_error:
        errors["session_date"] = [date_error]
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        errors["minutes"] = [_("请填写带徒时长（分钟，整数）。")]
    elif not 1 <= minutes <= MAX_LOG_MINUTES:
        errors["minutes"] = [_("带徒时长应在 1 到 720 分钟（12 小时）之间。")]
    try:
        kind = LogKind(kind)
    except ValueError:
        errors["kind"] = [_("请选择带徒方式。")]
    topic = (topic or "").strip()
    if not topic or len(topic) > 120:
        errors["topic"] = [_("请填写带徒内容（120 字以内）。")]
    skills = (skills or "").strip() or None
    if skills and len(skills) > 255:
        errors["skills"] = [_("练习技能不能超过 255 字。")]
    notes = (notes or "").strip() or None
    if notes and len(notes) > 4000:
        errors["notes"] = [_("备注不能超过 4000 字。")]
    if errors:
        raise Invalid(errors=errors)
    return {
        "session_date": session_date,
        "minutes": minutes,
        "kind": kind,
        "topic": topic,
        "skills": skills,
        "notes": notes,
    }


def _log_by_token(mentorship: Mentorship, client_token: str | None) -> MentorLog | None:
    if not client_token:
        return None
    return db.session.scalar(
        sa.select(MentorLog).where(
            MentorLog.mentorship_id == mentorship.id, MentorLog.client_token == client_token
        )
    )


def _attach(log: MentorLog, files: list[Upload], written: list[str]) -> None:
    """Store the files and link them to the log; ``written`` collects the keys saved."""
    for f in files:
        key = storage.save(f.data)
        written.append(key)
        db.session.add(
            LogAttachment(
                log=log,
                filename=f.filename[-255:],
                stored_name=key,
                content_type=f.content_type or "application/octet-stream",
                size=len(f.data),
            )
        )


def create_log(
    actor: User,
    mentorship: Mentorship,
    *,
    session_date: date | None,
    minutes,
    kind: LogKind | str | None,
    topic: str | None,
    skills: str | None = None,
    notes: str | None = None,
    files: list[Upload] | None = None,
    client_token: str | None = None,
) -> MentorLog:
    """The mentor records one session; it waits for the apprentice's confirmation.

    Sent twice with the same ``client_token`` (a double tap, a retry), the first log is
    returned and nothing new is written.
    """
    if actor.id != mentorship.mentor_id:
        if roles_in(actor, mentorship):
            raise Forbidden(_("只有本人的师傅可以记录带徒情况。"))
        raise NotFound()
    if mentorship.status != S.active:
        raise Conflict(
            _(
                "只有带徒中的师徒关系可以记录，当前状态：%(s)s。",
                s=label(STATUS_LABELS, mentorship.status),
            )
        )
    if client_token and len(client_token) > 64:
        raise Invalid(errors={"client_token": [_("格式不正确。")]})
    existing = _log_by_token(mentorship, client_token)
    if existing is not None:
        return existing  # the same form sent twice
    fields = _log_fields(mentorship, session_date, minutes, kind, topic, skills, notes)
    files = files or []
    _check_uploads(files)
    log = MentorLog(
        mentorship_id=mentorship.id,
        mentor_id=mentorship.mentor_id,
        status=LogStatus.submitted,
        client_token=client_token or None,
        **fields,
    )
    try:
        with db.session.begin_nested():
            db.session.add(log)
            db.session.flush()
    except IntegrityError:
        existing = _log_by_token(mentorship, client_token)
        if existing is not None:
            return existing
        raise
    written: list[str] = []
    try:
        _attach(log, files, written)
        db.session.flush()
        signals.emit(
            signals.mentor_log_submitted,
            log_id=log.id,
            mentorship_id=mentorship.id,
            mentor_id=mentorship.mentor_id,
            apprentice_id=mentorship.apprentice_id,
            url=page_path("mentorship.apprentice_dashboard", "/my-mentor") + f"#log-{log.id}",
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        for key in written:
            storage.delete(key)
        raise
    return log


def get_log(actor: User, log_id: int, *, lock: bool = False) -> MentorLog:
    log = load_row(MentorLog, log_id, lock)
    if log is None or not roles_in(actor, log.mentorship):
        raise NotFound()
    return log


def get_attachment(actor: User, attachment_id: int) -> LogAttachment:
    attachment = db.session.get(LogAttachment, attachment_id)
    if attachment is None or not roles_in(actor, attachment.log.mentorship):
        raise NotFound()
    return attachment


def logs_query(actor: User, mentorship: Mentorship) -> sa.Select:
    if not roles_in(actor, mentorship):
        raise NotFound()
    return (
        sa.select(MentorLog)
        .where(MentorLog.mentorship_id == mentorship.id)
        .options(selectinload(MentorLog.attachments))
        .order_by(MentorLog.session_date.desc(), MentorLog.id.desc())
    )


def _add_counted_minutes(log: MentorLog) -> None:
    db.session.execute(
        sa.update(Mentorship)
        .where(Mentorship.id == log.mentorship_id)
        .values(confirmed_minutes=Mentorship.confirmed_minutes + log.minutes)
    )


def _require_apprentice(actor: User, log: MentorLog) -> None:
    if actor.id != log.mentorship.apprentice_id:
        raise Forbidden(_("只有记录中的徒弟本人可以确认或提出异议。"))
    if log.status != LogStatus.submitted:
        raise Conflict(
            _("这条记录已处理过，不能再确认或提出异议。"), errors={"status": [log.status.value]}
        )


def confirm_log(actor: User, log: MentorLog) -> MentorLog:
    """The apprentice confirms the session took place: its minutes now count."""
    log = get_log(actor, log.id, lock=True)
    _require_apprentice(actor, log)
    log.status = LogStatus.confirmed
    log.confirmed_at = utcnow()
    _add_counted_minutes(log)
    db.session.commit()
    return log


def dispute_log(actor: User, log: MentorLog, reason: str | None) -> MentorLog:
    """The apprentice disagrees with a log; it goes to the officer and does not count."""
    log = get_log(actor, log.id, lock=True)
    _require_apprentice(actor, log)
    reason = (reason or "").strip()
    if len(reason) < 2 or len(reason) > 500:
        raise Invalid(errors={"reason": [_("请写明异议原因（2 到 500 字）。")]})
    log.status = LogStatus.disputed
    log.dispute_reason = reason
    log.disputed_at = utcnow()
    audit.record(
        actor,
        "mentorship.log_dispute",
        "mentor_log",
        log.id,
        organization_id=log.mentorship.organization_id,
        after={"reason": reason},
        summary=reason[:100],
    )
    db.session.flush()
    signals.emit(
        signals.mentor_log_disputed,
        log_id=log.id,
        mentorship_id=log.mentorship_id,
        mentor_id=log.mentor_id,
        apprentice_id=log.mentorship.apprentice_id,
        organization_id=log.mentorship.organization_id,
        reason=reason,
        url=page_path("mentorship.disputes", "/mentorships/disputes"),
    )
    db.session.commit()
    return log


def resolve_log(
    actor: User, log: MentorLog, resolution: Resolution | str, note: str | None = None
) -> MentorLog:
    """The officer settles a disputed log: upheld (counts) or rejected (does not)."""
    log = get_log(actor, log.id, lock=True)
    if "officer" not in roles_in(actor, log.mentorship):
        raise Forbidden(_("异议由培训专员处理。"))
    if log.status != LogStatus.disputed:
        raise Conflict(_("只有有异议的记录需要处理。"))
    try:
        resolution = Resolution(resolution)
    except ValueError:
        raise Invalid(errors={"resolution": [_("请选择处理结果。")]}) from None
    note = (note or "").strip()
    if len(note) > 500:
        raise Invalid(errors={"note": [_("说明不能超过 500 字。")]})
    log.status = LogStatus.resolved
    log.resolution = resolution
    log.resolution_note = note or None
    log.resolved_by_id = actor.id
    log.resolved_at = utcnow()
    if resolution == Resolution.upheld:
        _add_counted_minutes(log)
    audit.record(
        actor,
        "mentorship.log_resolve",
        "mentor_log",
        log.id,
        organization_id=log.mentorship.organization_id,
        before={"status": LogStatus.disputed.value},
        after={"status": LogStatus.resolved.value, "resolution": resolution.value},
        summary=note[:100],
    )
    db.session.commit()
    return log


def disputes_query(actor: User) -> sa.Select:
    """Disputed logs in the officer's scope, oldest first."""
    scope.require_officer(actor)
    return (
        sa.select(MentorLog)
        .join(Mentorship, MentorLog.mentorship_id == Mentorship.id)
        .where(
            MentorLog.status == LogStatus.disputed,
            Mentorship.organization_id.in_(scope.scoped_org_ids(actor)),
        )
        .options(
            joinedload(MentorLog.mentorship).joinedload(Mentorship.mentor).lazyload(User.role_rows),
            joinedload(MentorLog.mentorship)
            .joinedload(Mentorship.apprentice)
            .lazyload(User.role_rows),
        )
        .order_by(MentorLog.disputed_at, MentorLog.id)
    )


def last_kind(mentor: User) -> LogKind:
    kind = db.session.scalar(
        sa.select(MentorLog.kind)
        .where(MentorLog.mentor_id == mentor.id)
        .order_by(MentorLog.id.desc())
        .limit(1)
    )
    return kind or LogKind.on_the_job
