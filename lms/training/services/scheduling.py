"""Sessions of a class: one or a weekly series, clash checks, moving and cancelling.

Every change tells the people concerned through the session signals, whose payload
(``lms/signals.py``) carries who they are so subscribers need not read training's tables.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from dateutil import rrule
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.audit import services as audit
from lms.db import utcnow
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import emit, session_cancelled, session_rescheduled, session_scheduled
from lms.timeutil import local_zone, to_local
from lms.training.models import (
    ClassSession,
    RosterEntry,
    RosterStatus,
    SessionStatus,
    TrainingClass,
)
from lms.training.services.access import require_manage
from lms.training.services.common import fmt_time, location_of, session_url

__all__ = [
    "MAX_OCCURRENCES",
    "Recurrence",
    "cancel_session",
    "check_conflicts",
    "occurrences",
    "schedule_sessions",
    "session_people",
    "upcoming_sessions",
    "update_session",
]

MAX_OCCURRENCES = 200


@dataclass
class Recurrence:
    """Weekly on chosen days (0 = Monday), every ``interval`` weeks, until a day or N times."""

    weekdays: list[int] = field(default_factory=list)
    interval: int = 1
    until: date | None = None
    count: int | None = None


def _recurrence_errors(recurrence: Recurrence) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if recurrence.until is None and not recurrence.count:
        errors["until"] = [_("重复课次需要设置结束日期或次数，不能无限重复。")]
    if recurrence.until is not None and recurrence.count:
        errors["count"] = [_("结束日期和次数只能选一个。")]
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_OCCURRENCES:
        errors["count"] = [_("重复次数应在 1 到 %(max)d 之间。", max=MAX_OCCURRENCES)]
    if not 1 <= recurrence.interval <= 52:
        errors["interval"] = [_("间隔周数应在 1 到 52 之间。")]
    if any(d not in range(7) for d in recurrence.weekdays):
        errors["weekdays"] = [_("星期几无效。")]
    return errors


def occurrences(  # noqa: C901, PLR0912, PLR0915 - one branch per recurrence rule
    starts_at: datetime, ends_at: datetime, recurrence: Recurrence | None
) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every session a schedule makes, in wall-clock local time."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise Invalid(errors={"starts_at": [_("时间缺少时区。")]})
    if ends_at <= starts_at:
        raise Invalid(errors={"ends_at": [_("结束时间必须晚于开始时间。")]})
    if ends_at - starts_at > timedelta(hours=24):
        raise Invalid(errors={"ends_at": [_("一个课次不能超过 24 小时。")]})
    if recurrence is None:
        return [(starts_at, ends_at)]
    errors = _recurrence_errors(recurrence)
    if errors:
        raise Invalid(errors=errors)
    zone = local_zone()
    local_start = starts_at.astimezone(zone).replace(tzinfo=None)
    duration = ends_at - starts_at
    weekdays = sorted(set(recurrence.weekdays)) or [local_start.weekday()]
    kwargs = {"dtstart": local_start, "interval": recurrence.interval, "byweekday": weekdays}
    if recurrence.count:
        kwargs["count"] = recurrence.count
    else:
        if recurrence.until < local_start.date():
            raise Invalid(errors={"until": [_("结束日期不能早于第一次课。")]})
        kwargs["until"] = datetime.combine(recurrence.until, datetime.max.time())
    starts = []
    for value in rrule.rrule(rrule.WEEKLY, **kwargs):
        starts.append(value)
        if len(starts) > MAX_OCCURRENCES:
            raise Invalid(
                errors={
                    "until": [
                        _(
                            "一次最多安排 %(max)d 个课次。请缩短结束日期或减少上课日，分批安排。",
                            max=MAX_OCCURRENCES,
                        )
                    ]
                }
            )
    if not starts:
        raise Invalid(errors={"weekdays": [_("按此规则没有任何课次，请检查上课日和结束日期。")]})
    return [
        (s.replace(tzinfo=zone).astimezone(starts_at.tzinfo), s.replace(tzinfo=zone) + duration)
        for s in starts
    ]


def _conflict_message(clash: ClassSession, reason: str) -> str:
    return _(
        "时间冲突：%(reason)s已有课次「%(title)s」%(start)s–%(end)s。",
        reason=reason,
        title=clash.training_class.title,
        start=fmt_time(clash.starts_at),
        end=to_local(clash.ends_at).strftime("%H:%M"),
    )


def check_conflicts(
    training_class: TrainingClass,
    slots: list[tuple[datetime, datetime]],
    room: str,
    instructor_id: int | None,
    exclude_ids: set[int] | frozenset = frozenset(),
) -> None:
    """Refuse overlapping sessions of the same class, room or instructor, naming the clash."""
    if not slots:
        return
    first = min(s for s, _e in slots)
    last = max(e for _s, e in slots)
    same = [ClassSession.class_id == training_class.id]
    if room:
        same.append(ClassSession.room == room)
    if instructor_id:
        same.append(ClassSession.instructor_id == instructor_id)
    stmt = (
        sa.select(ClassSession)
        .where(
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.starts_at < last,
            ClassSession.ends_at > first,
            sa.or_(*same),
        )
        .order_by(ClassSession.starts_at)
    )
    if exclude_ids:
        stmt = stmt.where(ClassSession.id.not_in(exclude_ids))
    candidates = list(db.session.scalars(stmt))
    for start, end in slots:
        for other in candidates:
            if other.starts_at < end and other.ends_at > start:
                if other.class_id == training_class.id:
                    reason = _("本班")
                elif instructor_id and other.instructor_id == instructor_id:
                    reason = _("该讲师")
                else:
                    reason = _("教室“%(room)s”", room=room)
                message = _conflict_message(other, reason)
                raise Conflict(message, errors={"starts_at": [message]})
    # Slots of one recurrence never overlap each other unless a session is over a week long.


def _check_instructor(instructor_id: int | None) -> None:
    if instructor_id is None:
        return
    user = db.session.get(User, instructor_id)
    if user is None:
        raise NotFound(_("讲师不存在。"))
    if not user.has_role(Role.mentor, Role.officer, Role.admin):
        raise Invalid(errors={"instructor_id": [_("讲师须为导师。")]})


def session_people(session: ClassSession) -> list[int]:
    """Everyone a change to the session concerns: seated roster and instructors."""
    training_class = session.training_class
    ids = set(
        db.session.scalars(
            sa.select(RosterEntry.user_id).where(
                RosterEntry.class_id == training_class.id,
                RosterEntry.status == RosterStatus.seated,
            )
        )
    )
    ids.update(i.id for i in training_class.instructors)
    if session.instructor_id:
        ids.add(session.instructor_id)
    return sorted(ids)


def schedule_sessions(
    actor: User,
    training_class: TrainingClass,
    *,
    starts_at: datetime,
    ends_at: datetime,
    room: str = "",
    instructor_id: int | None = None,
    recurrence: Recurrence | None = None,
) -> list[ClassSession]:
    """Add one session, or a weekly series, after checking every occurrence for clashes."""
    require_manage(actor, training_class)
    _check_instructor(instructor_id)
    room = (room or "").strip()
    slots = occurrences(starts_at, ends_at, recurrence)
    check_conflicts(training_class, slots, room, instructor_id)
    series_id = uuid.uuid4().hex if recurrence is not None else None
    sessions = [
        ClassSession(
            training_class=training_class,
            starts_at=start,
            ends_at=end,
            room=room,
            instructor_id=instructor_id,
            series_id=series_id,
        )
        for start, end in slots
    ]
    db.session.add_all(sessions)
    db.session.flush()
    training_class.completed_at = None
    for session in sessions:
        emit(
            session_scheduled,
            session_id=session.id,
            class_id=session.class_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            title=training_class.title,
            location=location_of(session),
            user_ids=session_people(session),
            url=session_url(session.id),
        )
    db.session.commit()
    return sessions


def _series_rest(session: ClassSession) -> list[ClassSession]:
    if not session.series_id:
        return [session]
    return list(
        db.session.scalars(
            sa.select(ClassSession)
            .where(
                ClassSession.series_id == session.series_id,
                ClassSession.starts_at >= session.starts_at,
                ClassSession.status == SessionStatus.scheduled,
            )
            .order_by(ClassSession.starts_at)
        )
    )


def update_session(
    actor: User,
    session: ClassSession,
    *,
    starts_at: datetime,
    ends_at: datetime,
    room: str | None = None,
    instructor_id: int | None = None,
    apply_to: str = "one",
) -> list[ClassSession]:
    """Move or edit one session, or this one and the rest of its series by the same shift."""
    training_class = session.training_class
    require_manage(actor, training_class)
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("已取消的课次不能修改。"))
    if session.closed_at is not None:
        raise Conflict(_("已结束的课次不能改期。"))
    if apply_to not in ("one", "following"):
        raise Invalid(errors={"apply_to": [_("请选择只改本次，或本次及以后。")]})
    _check_instructor(instructor_id)
    occurrences(starts_at, ends_at, None)  # validates end after start
    targets = _series_rest(session) if apply_to == "following" else [session]
    shift = starts_at - session.starts_at
    duration = ends_at - starts_at
    room = session.room if room is None else room.strip()
    plan = [(s, s.starts_at + shift, s.starts_at + shift + duration) for s in targets]
    check_conflicts(
        training_class,
        [(a, b) for _s, a, b in plan],
        room,
        instructor_id,
        {s.id for s in targets},
    )
    for target, new_start, new_end in plan:
        old_start = target.starts_at
        moved = (new_start, new_end) != (target.starts_at, target.ends_at)
        changed = moved or target.room != room or target.instructor_id != instructor_id
        target.starts_at, target.ends_at = new_start, new_end
        target.room, target.instructor_id = room, instructor_id
        if not changed:
            continue
        target.sequence += 1
        db.session.flush()
        emit(
            session_rescheduled,
            session_id=target.id,
            class_id=target.class_id,
            old_starts_at=old_start,
            starts_at=target.starts_at,
            ends_at=target.ends_at,
            title=training_class.title,
            location=location_of(target),
            user_ids=session_people(target),
            url=session_url(target.id),
        )
    audit.record(
        actor,
        "training.session_update",
        "training_session",
        session.id,
        organization_id=training_class.organization_id,
        after={"starts_at": starts_at.isoformat(), "apply_to": apply_to, "count": len(plan)},
        summary=f"{training_class.title} {fmt_time(starts_at)}",
    )
    db.session.commit()
    return targets


def cancel_session(
    actor: User, session: ClassSession, reason: str = "", apply_to: str = "one"
) -> list[ClassSession]:
    training_class = session.training_class
    require_manage(actor, training_class)
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("此课次已经取消。"))
    if session.closed_at is not None:
        raise Conflict(_("已结束的课次不能取消。"))
    targets = _series_rest(session) if apply_to == "following" else [session]
    for target in targets:
        target.status = SessionStatus.cancelled
        target.cancel_reason = (reason or "")[:255]
        target.sequence += 1
        db.session.flush()
        emit(
            session_cancelled,
            session_id=target.id,
            class_id=target.class_id,
            starts_at=target.starts_at,
            title=training_class.title,
            reason=target.cancel_reason,
            user_ids=session_people(target),
            url=session_url(target.id),
        )
    audit.record(
        actor,
        "training.session_cancel",
        "training_session",
        session.id,
        organization_id=training_class.organization_id,
        after={"reason": reason, "count": len(targets)},
        summary=f"{training_class.title} {fmt_time(session.starts_at)}",
    )
    db.session.commit()
    return targets


def upcoming_sessions(class_id: int, now: datetime | None = None) -> list[ClassSession]:
    return list(
        db.session.scalars(
            sa.select(ClassSession)
            .where(
                ClassSession.class_id == class_id,
                ClassSession.status == SessionStatus.scheduled,
                ClassSession.starts_at > (now or utcnow()),
            )
            .order_by(ClassSession.starts_at)
        )
    )
