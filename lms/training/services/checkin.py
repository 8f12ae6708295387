"""Checking in: the screen's rotating QR token and six-digit code, the one-tap confirmation of a
scanned code, and the guards every path shares (page, API, any later one).

Guards, all here so no path goes around them: a request sent from another site
(``Sec-Fetch-Site: cross-site``) is refused; a class may accept check-in only from given
networks and may give its QR codes a shorter life than the site's, against forwarded links;
wrong six-digit codes are counted per person and per session (in the rate limiter's storage,
shared by every process) and, past the limit, refused for a while with a 429.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import RateLimiter

from lms.accounts.models import User
from lms.db import insert_ignoring_duplicates, utcnow
from lms.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from lms.extensions import db, limiter
from lms.timeutil import to_local
from lms.training.labels import label
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    CheckinMethod,
    ClassSession,
    RosterEntry,
    RosterStatus,
    SessionStatus,
    TrainingClass,
)
from lms.training.services.access import can_view, in_home_subtree, require_teach
from lms.training.services.attendance import evaluate_class
from lms.training.services.common import fmt_time
from lms.training.services.roster import seated_count

__all__ = [
    "CheckinResult",
    "TooManyAttempts",
    "check_in",
    "checkin_code",
    "checkin_token",
    "checkin_window",
    "checked_in",
    "prepare_scan",
    "read_ticket",
    "read_token",
    "refuse_cross_site",
    "screen_state",
    "token_max_age",
    "window_index",
    "window_seconds",
]


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_requests"


# --- tokens, tickets and codes -------------------------------------------------------------


def window_seconds() -> int:
    return int(current_app.config["TRAINING_QR_WINDOW_SECONDS"])


def window_index(now: datetime | None = None) -> int:
    return int((now or utcnow()).timestamp() // window_seconds())


def token_max_age(training_class: TrainingClass | None = None) -> int:
    """How many seconds a QR token is accepted: the site's window and its grace, or the
    class's own shorter life."""
    site = window_seconds() * (1 + int(current_app.config["TRAINING_QR_GRACE_WINDOWS"]))
    if training_class is not None and training_class.qr_window_seconds:
        return min(site, training_class.qr_window_seconds)
    return site


def _serializer(salt: str = "training-checkin") -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def checkin_token(session_id: int, now: datetime | None = None) -> str:
    return _serializer().dumps({"s": session_id, "t": int((now or utcnow()).timestamp())})


def checkin_code(session_id: int, window: int) -> str:
    """A six-digit code for the same window, for phones without a camera."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"checkin-code:{session_id}:{window}".encode(), hashlib.sha256)
    return f"{int(digest.hexdigest()[:12], 16) % 1_000_000:06d}"


def read_token(
    token: str, now: datetime | None = None, training_class: TrainingClass | None = None
) -> int:
    """The session id in a scanned token, if it is genuine and fresh."""
    session_id, issued = _token_payload(token)
    if (now or utcnow()).timestamp() - issued > token_max_age(training_class):
        raise Invalid(_("二维码已过期（它每几秒更换一次）。请扫描屏幕上最新的二维码。"))
    return session_id


def _token_payload(token: str) -> tuple[int, int]:
    """The session id and issue time of a genuine token, fresh or not: who may check in is
    decided before whether the code is still current, so a stranger learns nothing from it."""
    try:
        payload = _serializer().loads(token)
        return int(payload["s"]), int(payload["t"])
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Invalid(
            _("二维码无效，可能被改动或不是本系统的签到码。请扫描讲师屏幕上的二维码。")
        ) from exc


def _ticket(user: User, session: ClassSession, now: datetime) -> str:
    payload = {"s": session.id, "u": user.id, "t": int(now.timestamp())}
    return _serializer("training-checkin-confirm").dumps(payload)


def _ticket_payload(ticket: str) -> dict:
    try:
        payload = _serializer("training-checkin-confirm").loads(ticket)
        return {"s": int(payload["s"]), "u": int(payload["u"]), "t": int(payload["t"])}
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Invalid(_("确认页面无效。请重新扫描讲师屏幕上的二维码。")) from exc


def read_ticket(ticket: str) -> int:
    """The session id a confirmation page was made for (its holder is checked by check_in)."""
    return _ticket_payload(ticket)["s"]


def _ticket_valid(ticket: str, user: User, session: ClassSession, now: datetime) -> None:
    payload = _ticket_payload(ticket)
    age = now.timestamp() - payload["t"]
    limit = int(current_app.config["TRAINING_CHECKIN_CONFIRM_SECONDS"])
    if payload["s"] != session.id or payload["u"] != user.id or age > limit:
        raise Invalid(_("确认页面已过期。请重新扫描讲师屏幕上最新的二维码。"))


def _code_matches(session_id: int, code: str, now: datetime) -> bool:
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 6):
        return False
    current = window_index(now)
    grace = int(current_app.config["TRAINING_CODE_GRACE_WINDOWS"])
    return any(
        hmac.compare_digest(checkin_code(session_id, w), code)
        for w in range(current - grace, current + 1)
    )


# --- guards --------------------------------------------------------------------------------


def refuse_cross_site(fetch_site: str | None) -> None:
    """A browser marks a request another site made it send: never a check-in."""
    if (fetch_site or "").strip().lower() == "cross-site":
        raise Forbidden(
            _("这个签到请求来自其他网站，已拒绝。请用手机直接扫描讲师屏幕上的二维码签到。")
        )


def _require_network(training_class: TrainingClass, address: str | None) -> None:
    if not training_class.checkin_networks:
        return
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        ip = None
    if ip is not None and getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    networks = [ipaddress.ip_network(n) for n in training_class.checkin_networks.split()]
    if ip is None or not any(ip in network for network in networks):
        raise Forbidden(
            _("本班只接受培训现场网络内的签到。请连上教室的无线网络后重试，或请讲师为您补登。")
        )


def _code_limits(user_id: int, session_id: int):
    config = current_app.config
    return (
        (parse(config["TRAINING_CODE_ATTEMPTS_PER_PERSON"]), ("person", str(user_id))),
        (parse(config["TRAINING_CODE_ATTEMPTS_PER_SESSION"]), ("session", str(session_id))),
    )


_memory_limiter: RateLimiter | None = None


def _code_limiter(method: str, item, keys: tuple[str, ...]):
    """Call the rate limiter's ``method`` on the shared storage, or, while that storage does not
    answer, on this process's memory: wrong codes stay limited through a Redis outage."""
    global _memory_limiter  # noqa: PLW0603 - one fallback counter per process
    try:
        return getattr(limiter.limiter, method)(item, "training-code", *keys)
    except limiter.storage.base_exceptions:
        current_app.logger.warning("rate-limit storage unreachable; counting codes in memory")
        if _memory_limiter is None:
            _memory_limiter = type(limiter.limiter)(MemoryStorage())
        return getattr(_memory_limiter, method)(item, "training-code", *keys)


def _require_code_attempts_left(user_id: int, session_id: int) -> None:
    """Every attempt of a person counts before the code is compared, in one atomic hit, so
    attempts sent at once cannot slip past the limit; the session's limit counts only wrong
    codes (``_count_wrong_code``), so a large class typing right codes is never held up."""
    if not limiter.enabled:
        return
    (person_item, person_keys), (session_item, session_keys) = _code_limits(user_id, session_id)
    for item, keys, allowed in (
        (person_item, person_keys, "hit"),
        (session_item, session_keys, "test"),
    ):
        if not _code_limiter(allowed, item, keys):
            reset_at = _code_limiter("get_window_stats", item, keys).reset_time
            minutes = max(1, math.ceil((reset_at - time.time()) / 60))
            raise TooManyAttempts(
                _(
                    "签到码输错次数太多，请 %(n)d 分钟后再试；也可以扫描二维码签到，或请讲师补登。",
                    n=minutes,
                )
            )


def _count_wrong_code(user_id: int, session_id: int) -> None:
    if limiter.enabled:
        _person, (item, keys) = _code_limits(user_id, session_id)
        _code_limiter("hit", item, keys)


def _require_seat(user: User, session: ClassSession) -> None:
    """Seated people check in; others of the class's world are told why, the rest get 404."""
    training_class = session.training_class
    seated = db.session.scalar(
        sa.select(RosterEntry.status).where(
            RosterEntry.class_id == training_class.id, RosterEntry.user_id == user.id
        )
    )
    if seated == RosterStatus.seated:
        return
    if not (can_view(user, training_class) or in_home_subtree(user, training_class)):
        raise NotFound()
    raise Forbidden(
        _(
            "您不在「%(title)s」的学员名单中，不能签到。如有疑问请联系培训专员。",
            title=training_class.title,
        )
    )


def checkin_window(session: ClassSession) -> tuple[datetime, datetime]:
    minutes = timedelta(minutes=session.training_class.checkin_window_minutes)
    return session.starts_at - minutes, session.starts_at + minutes


def _require_open(session: ClassSession, now: datetime) -> None:
    opens, closes = checkin_window(session)
    if now < opens:
        raise Conflict(_("签到尚未开始，请在 %(t)s 之后签到。", t=fmt_time(opens)))
    if now > closes:
        raise Conflict(_("签到已于 %(t)s 结束。如您确实到场，请找讲师补登。", t=fmt_time(closes)))


def _existing(user: User, session: ClassSession) -> Attendance | None:
    return db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.user_id == user.id
        )
    )


def _already(row: Attendance) -> str:
    return _("您已于 %(t)s 签到，无需重复签到。", t=fmt_time(row.checked_in_at))


def _require_may_check_in(
    user: User, session: ClassSession, address: str | None, fetch_site: str | None
) -> None:
    refuse_cross_site(fetch_site)
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("本课次已取消，无需签到。"))
    _require_seat(user, session)
    _require_network(session.training_class, address)


# --- checking in ---------------------------------------------------------------------------


def prepare_scan(
    user: User,
    token: str,
    *,
    address: str | None = None,
    fetch_site: str | None = None,
    now: datetime | None = None,
) -> tuple[ClassSession, str]:
    """What the scanned URL shows (it changes nothing): the session and a ticket for the
    one-tap confirmation, after every check a check-in makes."""
    now = now or utcnow()
    refuse_cross_site(fetch_site)
    session = db.session.get(ClassSession, _token_payload(token)[0])
    if session is None:
        raise NotFound()
    _require_may_check_in(user, session, address, fetch_site)
    read_token(token, now, session.training_class)
    row = _existing(user, session)
    if row is not None and row.checked_in_at is not None:
        raise Conflict(_already(row))
    _require_open(session, now)
    return session, _ticket(user, session, now)


@dataclass
class CheckinResult:
    id: int
    session_id: int
    user_id: int
    status: AttendanceStatus
    checked_in_at: datetime
    method: CheckinMethod
    note: str
    updated_at: datetime


def _scanned(
    user: User, session: ClassSession, now: datetime, token: str | None, ticket: str | None
) -> bool:
    """Check a scanned credential (the page's ticket or an app's token), if one was given."""
    if ticket is not None:
        _ticket_valid(ticket, user, session, now)
        return True
    if token is not None:
        if read_token(token, now, session.training_class) != session.id:
            raise Invalid(
                _("此二维码属于另一个课次，不能用于本次签到。请扫描本课次屏幕上的二维码。")
            )
        return True
    return False


def _typed(user: User, session: ClassSession, now: datetime, code: str | None) -> None:
    """Check a typed code, counting wrong ones; only people on the roster get this far."""
    if code is None:
        raise Invalid(_("请扫描二维码或输入签到码。"))
    _require_code_attempts_left(user.id, session.id)
    if not _code_matches(session.id, code, now):
        _count_wrong_code(user.id, session.id)
        raise Invalid(
            _("签到码不正确或已过期。请输入讲师屏幕上当前显示的 6 位数字。"),
            errors={"code": [_("签到码不正确或已过期。")]},
        )


def check_in(
    user: User,
    session: ClassSession,
    *,
    token: str | None = None,
    code: str | None = None,
    ticket: str | None = None,
    address: str | None = None,
    fetch_site: str | None = None,
    now: datetime | None = None,
) -> CheckinResult:
    """A worker checks themself in, once: with the screen's QR token (an app), the ticket of
    the page a scanned QR code opened, or the typed code.

    ``address`` is the client's address and ``fetch_site`` its ``Sec-Fetch-Site`` header.
    A check-in accepted after the session was closed (absent-marked) recomputes the class.
    """
    now = now or utcnow()
    training_class = session.training_class
    refuse_cross_site(fetch_site)
    scanned = _scanned(user, session, now, token, ticket)
    _require_may_check_in(user, session, address, fetch_site)
    if not scanned:
        _typed(user, session, now, code)
    method = CheckinMethod.qr if scanned else CheckinMethod.code
    _require_open(session, now)
    late_after = session.starts_at + timedelta(minutes=training_class.late_threshold_minutes)
    status = AttendanceStatus.late if now > late_after else AttendanceStatus.present
    values = {
        "session_id": session.id,
        "user_id": user.id,
        "status": status,
        "checked_in_at": now,
        "method": method,
        "note": "",
        "updated_at": now,
    }
    # One statement, no read first: the unique (session, person) constraint decides who
    # wins when the same person's phone sends many requests at once.
    row_id = db.session.scalar(
        insert_ignoring_duplicates(db.session, Attendance, ["session_id", "user_id"])
        .values(**values)
        .returning(Attendance.id)
    )
    if row_id is None:
        row_id = _claim_existing(user, session, status, method, now)
    if session.closed_at is not None:
        evaluate_class(training_class, now)
    db.session.commit()
    # Plain values: nothing to reload after the commit.
    return CheckinResult(id=row_id, **values)


def _claim_existing(
    user: User, session: ClassSession, status: AttendanceStatus, method: CheckinMethod, now
) -> int:
    """A row made before (an approved excuse, the absent marking): claimed once."""
    existing = _existing(user, session)
    if existing.checked_in_at is not None:
        message = _already(existing)
        db.session.rollback()
        raise Conflict(message)
    row_id = db.session.scalar(
        sa.update(Attendance)
        .where(Attendance.id == existing.id, Attendance.checked_in_at.is_(None))
        .values(status=status, checked_in_at=now, method=method, updated_at=now)
        .returning(Attendance.id)
    )
    if row_id is None:
        db.session.rollback()
        raise Conflict(_("您已签到，无需重复签到。"))
    return row_id


# --- the instructor's screen ---------------------------------------------------------------


def checked_in(session: ClassSession) -> list[tuple[Attendance, User]]:
    return [
        tuple(r)
        for r in db.session.execute(
            sa.select(Attendance, User)
            .join(User, User.id == Attendance.user_id)
            .where(Attendance.session_id == session.id, Attendance.checked_in_at.is_not(None))
            .order_by(Attendance.checked_in_at.desc())
        )
    ]


def screen_state(actor: User, session: ClassSession, now: datetime | None = None) -> dict:
    """What the instructor's full-screen page shows right now."""
    require_teach(actor, session.training_class, session)
    now = now or utcnow()
    rows = checked_in(session)
    opens, closes = checkin_window(session)
    life = min(window_seconds(), token_max_age(session.training_class))
    return {
        "token": checkin_token(session.id, now),
        "code": checkin_code(session.id, window_index(now)),
        "refresh_seconds": max(2, life // 3),
        "count": len(rows),
        "seated": seated_count(session.class_id),
        "open": opens <= now <= closes and session.status == SessionStatus.scheduled,
        "people": [
            {
                "name": u.name,
                "status": a.status.value,
                "status_label": label("attendance", a.status),
                "at": to_local(a.checked_in_at).strftime("%H:%M"),
            }
            for a, u in rows[:200]
        ],
    }
