"""The rules of training classes: scheduling, rosters, check-in, attendance, calendars.

Every change goes through here, whether it comes from a page, the API, the CLI or a task.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from dateutil import rrule
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User
from lms.accounts.services import UserFilter, users_query
from lms.audit import services as audit
from lms.db import is_postgres, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import (
    class_completed,
    excuse_requested,
    low_attendance,
    roster_changed,
    session_cancelled,
    session_rescheduled,
    session_scheduled,
)
from lms.timeutil import local_zone, to_local
from lms.training.labels import label
from lms.training.models import (
    Attendance,
    AttendanceStatus,
    AttendanceWarning,
    CalendarToken,
    CheckinMethod,
    ClassCompletion,
    ClassSession,
    ExcuseRequest,
    ExcuseStatus,
    RegistrationMode,
    RosterEntry,
    RosterStatus,
    SessionStatus,
    TrainingClass,
    class_instructors,
)

MAX_OCCURRENCES = 200
ATTENDED = (AttendanceStatus.present, AttendanceStatus.late)
COUNTED = (AttendanceStatus.present, AttendanceStatus.late, AttendanceStatus.absent)


def _app():
    return current_app._get_current_object()


def session_url(session_id: int) -> str:
    return f"/training/sessions/{session_id}"


def _fmt(value: datetime) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M")


# --- who may do what -----------------------------------------------------------------------


def can_manage(actor: User, klass: TrainingClass) -> bool:
    """Officers of the class's organization subtree, and admins."""
    return scope.org_in_scope(actor, klass.organization)


def is_instructor(actor: User, klass: TrainingClass, session: ClassSession | None = None) -> bool:
    if session is not None and session.instructor_id == actor.id:
        return True
    return any(i.id == actor.id for i in klass.instructors)


def can_teach(actor: User, klass: TrainingClass, session: ClassSession | None = None) -> bool:
    """Who may open the check-in screen and mark attendance."""
    return can_manage(actor, klass) or is_instructor(actor, klass, session)


def require_manage(actor: User, klass: TrainingClass) -> None:
    if not can_manage(actor, klass):
        raise Forbidden(_("只有本单位的培训专员可以管理此培训班。"))


def require_teach(actor: User, klass: TrainingClass, session: ClassSession | None = None) -> None:
    if not can_teach(actor, klass, session):
        raise Forbidden(_("只有本班讲师或培训专员可以进行此操作。"))


def roster_entry(klass_id: int, user_id: int) -> RosterEntry | None:
    return db.session.scalar(
        sa.select(RosterEntry).where(
            RosterEntry.class_id == klass_id, RosterEntry.user_id == user_id
        )
    )


def can_view(actor: User, klass: TrainingClass) -> bool:
    if can_teach(actor, klass):
        return True
    if klass.registration_mode == RegistrationMode.open:
        return True
    return roster_entry(klass.id, actor.id) is not None


def get_class(actor: User, class_id: int) -> TrainingClass:
    klass = db.session.get(TrainingClass, class_id)
    if klass is None or not can_view(actor, klass):
        raise NotFound()
    return klass


def session_for_checkin(session_id: int) -> ClassSession:
    """A session and its class in one query; check_in itself decides who may check in."""
    session = db.session.get(
        ClassSession,
        session_id,
        options=[joinedload(ClassSession.training_class)],
        populate_existing=True,
    )
    if session is None:
        raise NotFound()
    return session


def get_session(actor: User, session_id: int) -> ClassSession:
    session = db.session.get(ClassSession, session_id)
    if session is None or not can_view(actor, session.training_class):
        raise NotFound()
    return session


def classes_query(actor: User, *, q: str | None = None) -> sa.Select:
    """Classes the actor may see: managed ones, taught ones, own ones, and open ones."""
    stmt = (
        sa.select(TrainingClass)
        .join(TrainingClass.organization)
        .options(selectinload(TrainingClass.instructors))
    )
    if not scope.is_admin(actor):
        conditions = [
            TrainingClass.registration_mode == RegistrationMode.open,
            TrainingClass.id.in_(
                sa.select(RosterEntry.class_id).where(RosterEntry.user_id == actor.id)
            ),
            TrainingClass.id.in_(
                sa.select(class_instructors.c.class_id).where(
                    class_instructors.c.user_id == actor.id
                )
            ),
            TrainingClass.id.in_(
                sa.select(ClassSession.class_id).where(ClassSession.instructor_id == actor.id)
            ),
        ]
        if scope.is_officer(actor):
            conditions.append(Organization.path.startswith(actor.organization.path))
        stmt = stmt.where(sa.or_(*conditions))
    if q:
        stmt = stmt.where(TrainingClass.title.contains(q.strip()))
    return stmt.order_by(TrainingClass.id.desc())


def my_classes(user: User) -> list[tuple[TrainingClass, RosterEntry]]:
    rows = db.session.execute(
        sa.select(TrainingClass, RosterEntry)
        .join(RosterEntry, RosterEntry.class_id == TrainingClass.id)
        .where(RosterEntry.user_id == user.id, RosterEntry.status != RosterStatus.withdrawn)
        .order_by(TrainingClass.id.desc())
    )
    return [tuple(r) for r in rows]


# --- classes -------------------------------------------------------------------------------

CLASS_FIELDS = (
    "title",
    "description",
    "course_id",
    "capacity",
    "location",
    "online_url",
    "registration_mode",
    "registration_deadline",
    "late_threshold_minutes",
    "checkin_window_minutes",
    "completion_rate",
    "low_attendance_rate",
    "low_attendance_min_sessions",
)


def _validate_class(values: dict) -> None:
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("请填写培训班名称。")]
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("名额至少为 1；不限名额请留空。")]
    for key in ("completion_rate", "low_attendance_rate"):
        if values.get(key) is not None and not 0 <= values[key] <= 1:
            errors[key] = [_("比例应在 0 到 1 之间，例如 0.8 表示 80%。")]
    for key in ("late_threshold_minutes", "checkin_window_minutes"):
        if values.get(key) is not None and not 0 <= values[key] <= 240:
            errors[key] = [_("分钟数应在 0 到 240 之间。")]
    if values.get("checkin_window_minutes") == 0:
        errors["checkin_window_minutes"] = [_("签到时段至少 1 分钟。")]
    if values.get("registration_mode") == RegistrationMode.open and not values.get(
        "registration_deadline"
    ):
        errors["registration_deadline"] = [_("自行报名的培训班需要设置报名截止时间。")]
    if errors:
        raise Invalid(errors=errors)


def _instructors(ids: list[int] | None) -> list[User]:
    if not ids:
        return []
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(ids))))
    if len(users) != len(set(ids)):
        raise Invalid(errors={"instructor_ids": [_("讲师不存在。")]})
    not_mentors = [u.name for u in users if not u.has_role(Role.mentor, Role.officer, Role.admin)]
    if not_mentors:
        raise Invalid(
            errors={
                "instructor_ids": [
                    _("%(names)s 不是导师，不能担任讲师。", names="、".join(not_mentors))
                ]
            }
        )
    return users


def create_class(
    actor: User,
    *,
    organization: Organization,
    instructor_ids: list[int] | None = None,
    officer_id: int | None = None,
    **values,
) -> TrainingClass:
    scope.require_officer(actor)
    scope.require_org_in_scope(actor, organization)
    values.setdefault("registration_mode", RegistrationMode.assigned)
    values["registration_mode"] = RegistrationMode(values["registration_mode"])
    _validate_class(values)
    klass = TrainingClass(
        organization=organization,
        officer_id=officer_id or actor.id,
        feed_token=secrets.token_urlsafe(24),
        **{k: v for k, v in values.items() if k in CLASS_FIELDS and v is not None},
    )
    klass.title = klass.title.strip()
    klass.instructors = _instructors(instructor_ids)
    db.session.add(klass)
    db.session.flush()
    audit.record(
        actor,
        "training.class_create",
        "training_class",
        klass.id,
        organization_id=organization.id,
        after={"title": klass.title},
        summary=klass.title,
    )
    db.session.commit()
    return klass


def update_class(
    actor: User, klass: TrainingClass, *, instructor_ids: list[int] | None = None, **values
) -> TrainingClass:
    require_manage(actor, klass)
    merged = {k: getattr(klass, k) for k in CLASS_FIELDS}
    merged.update({k: v for k, v in values.items() if k in CLASS_FIELDS})
    if merged.get("registration_mode") is not None:
        merged["registration_mode"] = RegistrationMode(merged["registration_mode"])
    _validate_class(merged)
    locked = _lock_class(klass.id)
    for key, value in merged.items():
        setattr(locked, key, value)
    if instructor_ids is not None:
        locked.instructors = _instructors(instructor_ids)
    db.session.flush()
    _promote_waitlist(locked)
    db.session.commit()
    return locked


# --- scheduling ----------------------------------------------------------------------------


@dataclass
class Recurrence:
    """Weekly on chosen days (0 = Monday), every ``interval`` weeks, until a day or N times."""

    weekdays: list[int] = field(default_factory=list)
    interval: int = 1
    until: date | None = None
    count: int | None = None


def occurrences(
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
    if errors:
        raise Invalid(errors=errors)
    zone = local_zone()
    local_start = starts_at.astimezone(zone).replace(tzinfo=None)
    duration = ends_at - starts_at
    weekdays = sorted(set(recurrence.weekdays)) or [local_start.weekday()]
    kwargs = {
        "dtstart": local_start,
        "interval": recurrence.interval,
        "byweekday": weekdays,
    }
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
        start=_fmt(clash.starts_at),
        end=to_local(clash.ends_at).strftime("%H:%M"),
    )


def check_conflicts(
    klass: TrainingClass,
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
    same = [ClassSession.class_id == klass.id]
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
                if other.class_id == klass.id:
                    reason = _("本班")
                elif instructor_id and other.instructor_id == instructor_id:
                    reason = _("该讲师")
                else:
                    reason = _("教室“%(room)s”", room=room)
                raise Conflict(
                    _conflict_message(other, reason),
                    errors={"starts_at": [_conflict_message(other, reason)]},
                )
    # Slots of one recurrence never overlap each other unless a session is over a week long.


def _check_instructor(instructor_id: int | None) -> None:
    if instructor_id is None:
        return
    user = db.session.get(User, instructor_id)
    if user is None or not user.has_role(Role.mentor, Role.officer, Role.admin):
        raise Invalid(errors={"instructor_id": [_("讲师须为导师。")]})


def session_people(session: ClassSession) -> list[int]:
    """Everyone a change to the session concerns: seated roster and instructors."""
    klass = session.training_class
    ids = set(
        db.session.scalars(
            sa.select(RosterEntry.user_id).where(
                RosterEntry.class_id == klass.id, RosterEntry.status == RosterStatus.seated
            )
        )
    )
    ids.update(i.id for i in klass.instructors)
    if session.instructor_id:
        ids.add(session.instructor_id)
    return sorted(ids)


def _location(session: ClassSession) -> str:
    klass = session.training_class
    return session.room or klass.location or klass.online_url


def schedule_sessions(
    actor: User,
    klass: TrainingClass,
    *,
    starts_at: datetime,
    ends_at: datetime,
    room: str = "",
    instructor_id: int | None = None,
    recurrence: Recurrence | None = None,
) -> list[ClassSession]:
    """Add one session, or a weekly series, after checking every occurrence for clashes."""
    require_manage(actor, klass)
    _check_instructor(instructor_id)
    room = (room or "").strip()
    slots = occurrences(starts_at, ends_at, recurrence)
    check_conflicts(klass, slots, room, instructor_id)
    series_id = uuid.uuid4().hex if recurrence is not None else None
    sessions = [
        ClassSession(
            training_class=klass,
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
    klass.completed_at = None
    for session in sessions:
        _send_scheduled(session)
    db.session.commit()
    return sessions


def _send_scheduled(session: ClassSession) -> None:
    session_scheduled.send(
        _app(),
        session_id=session.id,
        class_id=session.class_id,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        title=session.training_class.title,
        location=_location(session),
        user_ids=session_people(session),
        url=session_url(session.id),
    )


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
    klass = session.training_class
    require_manage(actor, klass)
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
        klass, [(a, b) for _s, a, b in plan], room, instructor_id, {s.id for s in targets}
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
        session_rescheduled.send(
            _app(),
            session_id=target.id,
            class_id=target.class_id,
            old_starts_at=old_start,
            starts_at=target.starts_at,
            ends_at=target.ends_at,
            title=klass.title,
            location=_location(target),
            user_ids=session_people(target),
            url=session_url(target.id),
        )
    audit.record(
        actor,
        "training.session_update",
        "training_session",
        session.id,
        organization_id=klass.organization_id,
        after={"starts_at": starts_at.isoformat(), "apply_to": apply_to, "count": len(plan)},
        summary=f"{klass.title} {_fmt(starts_at)}",
    )
    db.session.commit()
    return targets


def cancel_session(
    actor: User, session: ClassSession, reason: str = "", apply_to: str = "one"
) -> list[ClassSession]:
    klass = session.training_class
    require_manage(actor, klass)
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
        session_cancelled.send(
            _app(),
            session_id=target.id,
            class_id=target.class_id,
            starts_at=target.starts_at,
            title=klass.title,
            reason=target.cancel_reason,
            user_ids=session_people(target),
            url=session_url(target.id),
        )
    audit.record(
        actor,
        "training.session_cancel",
        "training_session",
        session.id,
        organization_id=klass.organization_id,
        after={"reason": reason, "count": len(targets)},
        summary=f"{klass.title} {_fmt(session.starts_at)}",
    )
    db.session.commit()
    return targets


def upcoming_sessions(klass_id: int, now: datetime | None = None) -> list[ClassSession]:
    return list(
        db.session.scalars(
            sa.select(ClassSession)
            .where(
                ClassSession.class_id == klass_id,
                ClassSession.status == SessionStatus.scheduled,
                ClassSession.starts_at > (now or utcnow()),
            )
            .order_by(ClassSession.starts_at)
        )
    )


# --- roster --------------------------------------------------------------------------------


def _lock_class(class_id: int) -> TrainingClass:
    """The class row, locked until commit: seats are counted and given one at a time."""
    return db.session.execute(
        sa.select(TrainingClass)
        .where(TrainingClass.id == class_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _seated_count(class_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RosterEntry.id)).where(
            RosterEntry.class_id == class_id, RosterEntry.status == RosterStatus.seated
        )
    )


def _next_position(class_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.max(RosterEntry.waitlist_position)).where(
                RosterEntry.class_id == class_id, RosterEntry.status == RosterStatus.waitlisted
            )
        )
        or 0
    ) + 1


def _send_roster_changed(klass: TrainingClass, user_id: int, change: str) -> None:
    roster_changed.send(
        _app(),
        class_id=klass.id,
        user_id=user_id,
        change=change,
        upcoming=[
            {
                "session_id": s.id,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "title": klass.title,
                "location": _location(s),
                "url": session_url(s.id),
            }
            for s in upcoming_sessions(klass.id)
        ],
    )


@dataclass
class RosterResult:
    seated: list[int] = field(default_factory=list)
    waitlisted: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        return _(
            "新增在册 %(s)d 人，候补 %(w)d 人，已在名单中 %(a)d 人。",
            s=len(self.seated),
            w=len(self.waitlisted),
            a=len(self.already),
        )


def _enroll(klass: TrainingClass, users: list[User], actor: User | None) -> RosterResult:
    """Seat or waitlist each person; the caller holds the class lock."""
    result = RosterResult()
    now = utcnow()
    existing = {
        e.user_id: e
        for e in db.session.scalars(
            sa.select(RosterEntry).where(
                RosterEntry.class_id == klass.id,
                RosterEntry.user_id.in_([u.id for u in users]),
            )
        )
    }
    seated = _seated_count(klass.id)
    position = _next_position(klass.id)
    for user in users:
        entry = existing.get(user.id)
        if entry is not None and entry.status != RosterStatus.withdrawn:
            result.already.append(user.id)
            continue
        if entry is None:
            entry = RosterEntry(class_id=klass.id, user_id=user.id)
            db.session.add(entry)
        entry.added_by_id = actor.id if actor else None
        if klass.capacity is None or seated < klass.capacity:
            entry.status = RosterStatus.seated
            entry.seated_at = now
            entry.waitlist_position = None
            entry.waitlisted_at = None
            seated += 1
            result.seated.append(user.id)
        else:
            entry.status = RosterStatus.waitlisted
            entry.waitlist_position = position
            entry.waitlisted_at = now
            entry.seated_at = None
            position += 1
            result.waitlisted.append(user.id)
    db.session.flush()
    for user_id in result.seated:
        _send_roster_changed(klass, user_id, "added")
    return result


def add_people(actor: User, klass: TrainingClass, users: list[User]) -> RosterResult:
    require_manage(actor, klass)
    outside = [u.name for u in users if not scope.can_manage_user(actor, u)]
    if outside:
        raise Forbidden(_("%(names)s 不在您的管理范围内。", names="、".join(outside[:5])))
    locked = _lock_class(klass.id)
    result = _enroll(locked, users, actor)
    if result.seated or result.waitlisted:
        audit.record(
            actor,
            "training.roster_add",
            "training_class",
            klass.id,
            organization_id=klass.organization_id,
            after={"seated": result.seated, "waitlisted": result.waitlisted},
            summary=f"{klass.title}: +{len(result.seated)} / {len(result.waitlisted)}",
        )
    db.session.commit()
    return result


def find_person(actor: User, login: str) -> User:
    login = (login or "").strip()
    user = db.session.scalar(
        sa.select(User).where(sa.or_(User.employee_no == login, User.mobile == login))
    )
    if user is None or not scope.can_manage_user(actor, user):
        raise Invalid(errors={"login": [_("找不到工号或手机号为“%(v)s”的学员。", v=login)]})
    return user


def add_by_filter(actor: User, klass: TrainingClass, filters: UserFilter) -> RosterResult:
    """Everyone in the actor's scope who matches (organization subtree, trade, skill level)."""
    require_manage(actor, klass)
    filters.role = filters.role or Role.worker.value
    users = list(db.session.scalars(users_query(actor, filters).limit(2001)).unique())
    if len(users) > 2000:
        raise Invalid(errors={"filter": [_("符合条件的人超过 2000 人，请缩小范围。")]})
    if not users:
        raise Invalid(errors={"filter": [_("没有符合条件的学员。")]})
    return add_people(actor, klass, users)


ROSTER_COLUMNS = {
    "工号": "employee_no",
    "employee_no": "employee_no",
    "姓名": "name",
    "name": "name",
}


@dataclass
class RosterImport:
    result: RosterResult | None
    errors: object
    rows: int


def import_roster(actor: User, klass: TrainingClass, filename: str, data: bytes) -> RosterImport:
    """Every row must name a worker in scope by employee number; otherwise nothing is added."""
    from lms.core.tabular import RowErrors, read_table

    require_manage(actor, klass)
    sheet = read_table(filename, data, ROSTER_COLUMNS, current_app.config["IMPORT_MAX_ROWS"])
    if "employee_no" not in sheet.headers:
        raise Invalid(errors={"file": [_("缺少必填列：工号。请使用模板的表头。")]})
    errors = RowErrors()
    numbers = [v.get("employee_no", "") for _row, v in sheet.rows]
    found = {}
    for start in range(0, len(numbers), 500):
        chunk = [n for n in numbers[start : start + 500] if n]
        for user in db.session.scalars(sa.select(User).where(User.employee_no.in_(chunk))):
            found[user.employee_no] = user
    seen: dict[str, int] = {}
    users = []
    for row_no, values in sheet.rows:
        number = values.get("employee_no", "")
        user = found.get(number)
        if not number:
            errors.add(row_no, "employee_no", _("必填。"))
        elif number in seen:
            errors.add(row_no, "employee_no", _("与第 %(row)d 行重复。", row=seen[number]))
        elif user is None or not scope.can_manage_user(actor, user):
            errors.add(row_no, "employee_no", _("找不到此工号，或不在您的管理范围内。"))
        elif values.get("name") and values["name"] != user.name:
            errors.add(row_no, "name", _("姓名与工号不符（系统中为 %(name)s）。", name=user.name))
        else:
            seen[number] = row_no
            users.append(user)
    if errors:
        return RosterImport(result=None, errors=errors, rows=len(sheet.rows))
    return RosterImport(result=add_people(actor, klass, users), errors=errors, rows=len(sheet.rows))


def register_self(user: User, klass: TrainingClass, now: datetime | None = None) -> RosterEntry:
    """A worker registers for an open class; seated while seats last, then waitlisted."""
    now = now or utcnow()
    if klass.registration_mode != RegistrationMode.open:
        raise Forbidden(_("此培训班由培训专员指派学员，不接受自行报名。"))
    if klass.registration_deadline and now > klass.registration_deadline:
        raise Conflict(_("报名已于 %(t)s 截止。", t=_fmt(klass.registration_deadline)))
    locked = _lock_class(klass.id)
    result = _enroll(locked, [user], None)
    if result.already:
        db.session.rollback()
        raise Conflict(_("您已在此培训班的名单中。"))
    db.session.commit()
    return roster_entry(klass.id, user.id)


def withdraw(
    actor: User, klass: TrainingClass, user: User, now: datetime | None = None
) -> RosterEntry:
    """Leave a class (a worker before the deadline, an officer any time); promote the waitlist."""
    now = now or utcnow()
    if actor.id == user.id and not can_manage(actor, klass):
        if klass.registration_deadline and now > klass.registration_deadline:
            raise Conflict(
                _(
                    "退出截止时间（%(t)s）已过。如需退出请联系培训专员。",
                    t=_fmt(klass.registration_deadline),
                )
            )
    else:
        require_manage(actor, klass)
    locked = _lock_class(klass.id)
    entry = roster_entry(klass.id, user.id)
    if entry is None or entry.status == RosterStatus.withdrawn:
        raise NotFound(_("此人不在名单中。"))
    was_seated = entry.status == RosterStatus.seated
    entry.status = RosterStatus.withdrawn
    entry.waitlist_position = None
    db.session.flush()
    if was_seated:
        _send_roster_changed(locked, user.id, "removed")
    _promote_waitlist(locked)
    if actor.id != user.id:
        audit.record(
            actor,
            "training.roster_remove",
            "training_class",
            klass.id,
            organization_id=klass.organization_id,
            before={"user_id": user.id, "status": "seated" if was_seated else "waitlisted"},
            after={"status": "withdrawn"},
            summary=f"{klass.title}: {user.name}",
        )
    db.session.commit()
    return entry


def _promote_waitlist(klass: TrainingClass) -> list[int]:
    """Give free seats to the waitlist in order; the caller holds the class lock."""
    if klass.capacity is None:
        free = None
    else:
        free = klass.capacity - _seated_count(klass.id)
        if free <= 0:
            return []
    stmt = (
        sa.select(RosterEntry)
        .where(RosterEntry.class_id == klass.id, RosterEntry.status == RosterStatus.waitlisted)
        .order_by(RosterEntry.waitlist_position, RosterEntry.id)
    )
    if free is not None:
        stmt = stmt.limit(free)
    promoted = []
    for entry in db.session.scalars(stmt):
        entry.status = RosterStatus.seated
        entry.seated_at = utcnow()
        entry.waitlist_position = None
        promoted.append(entry.user_id)
    db.session.flush()
    for user_id in promoted:
        _send_roster_changed(klass, user_id, "promoted")
    return promoted


def roster(klass: TrainingClass) -> list[RosterEntry]:
    return list(
        db.session.scalars(
            sa.select(RosterEntry)
            .where(RosterEntry.class_id == klass.id)
            .order_by(
                sa.case(
                    (RosterEntry.status == RosterStatus.seated, 0),
                    (RosterEntry.status == RosterStatus.waitlisted, 1),
                    else_=2,
                ),
                RosterEntry.waitlist_position,
                RosterEntry.id,
            )
        )
    )


# --- check-in ------------------------------------------------------------------------------


def window_seconds() -> int:
    return int(current_app.config["TRAINING_QR_WINDOW_SECONDS"])


def window_index(now: datetime | None = None) -> int:
    return int((now or utcnow()).timestamp() // window_seconds())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="training-checkin")


def checkin_token(session_id: int, now: datetime | None = None) -> str:
    return _serializer().dumps({"s": session_id, "w": window_index(now)})


def checkin_code(session_id: int, window: int) -> str:
    """A six-digit code for the same window, for phones without a camera."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"checkin-code:{session_id}:{window}".encode(), hashlib.sha256)
    return f"{int(digest.hexdigest()[:12], 16) % 1_000_000:06d}"


def read_token(token: str, now: datetime | None = None) -> int:
    """The session id in a scanned token, if it is genuine and fresh."""
    try:
        payload = _serializer().loads(token)
        session_id, window = int(payload["s"]), int(payload["w"])
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Invalid(
            _("二维码无效，可能被改动或不是本系统的签到码。请扫描讲师屏幕上的二维码。")
        ) from exc
    current = window_index(now)
    grace = int(current_app.config["TRAINING_QR_GRACE_WINDOWS"])
    if not current - grace <= window <= current:
        raise Invalid(_("二维码已过期（它每几秒更换一次）。请扫描屏幕上最新的二维码。"))
    return session_id


def _code_matches(session_id: int, code: str, now: datetime | None) -> bool:
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 6):
        return False
    current = window_index(now)
    grace = int(current_app.config["TRAINING_CODE_GRACE_WINDOWS"])
    return any(
        hmac.compare_digest(checkin_code(session_id, w), code)
        for w in range(current - grace, current + 1)
    )


def checkin_window(session: ClassSession) -> tuple[datetime, datetime]:
    minutes = timedelta(minutes=session.training_class.checkin_window_minutes)
    return session.starts_at - minutes, session.starts_at + minutes


def check_in(
    user: User,
    session: ClassSession,
    *,
    token: str | None = None,
    code: str | None = None,
    now: datetime | None = None,
) -> Attendance:
    """A worker checks themself in with the screen's QR token or its typed code, once."""
    now = now or utcnow()
    klass = session.training_class
    if token is not None:
        if read_token(token, now) != session.id:
            raise Invalid(
                _("此二维码属于另一个课次，不能用于本次签到。请扫描本课次屏幕上的二维码。")
            )
        method = CheckinMethod.qr
    elif code is not None:
        if not _code_matches(session.id, code, now):
            raise Invalid(
                _("签到码不正确或已过期。请输入讲师屏幕上当前显示的 6 位数字。"),
                errors={"code": [_("签到码不正确或已过期。")]},
            )
        method = CheckinMethod.code
    else:
        raise Invalid(_("请扫描二维码或输入签到码。"))
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("本课次已取消，无需签到。"))
    seated = db.session.scalar(
        sa.select(RosterEntry.status).where(
            RosterEntry.class_id == klass.id, RosterEntry.user_id == user.id
        )
    )
    if seated != RosterStatus.seated:
        raise Forbidden(
            _(
                "您不在「%(title)s」的学员名单中，不能签到。如有疑问请联系培训专员。",
                title=klass.title,
            )
        )
    opens, closes = checkin_window(session)
    if now < opens:
        raise Conflict(_("签到尚未开始，请在 %(t)s 之后签到。", t=_fmt(opens)))
    if now > closes:
        raise Conflict(_("签到已于 %(t)s 结束。如您确实到场，请找讲师补登。", t=_fmt(closes)))
    late_after = session.starts_at + timedelta(minutes=klass.late_threshold_minutes)
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
        _insert_ignoring_duplicates(Attendance, ["session_id", "user_id"])
        .values(**values)
        .returning(Attendance.id)
    )
    if row_id is None:
        existing = db.session.scalar(
            sa.select(Attendance).where(
                Attendance.session_id == session.id, Attendance.user_id == user.id
            )
        )
        if existing.checked_in_at is not None:
            message = _already(existing)
            db.session.rollback()
            raise Conflict(message)
        # A row an instructor made before (e.g. an approved excuse): claim it once.
        row_id = db.session.scalar(
            sa.update(Attendance)
            .where(Attendance.id == existing.id, Attendance.checked_in_at.is_(None))
            .values(status=status, checked_in_at=now, method=method, updated_at=now)
            .returning(Attendance.id)
        )
        if row_id is None:
            db.session.rollback()
            raise Conflict(_("您已签到，无需重复签到。"))
    db.session.commit()
    # Plain values: nothing to reload after the commit.
    return CheckinResult(id=row_id, **values)


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


def _insert_ignoring_duplicates(model, columns: list[str]):
    """INSERT … ON CONFLICT DO NOTHING on PostgreSQL and SQLite alike."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing(index_elements=columns)


def _already(row: Attendance) -> str:
    return _("您已于 %(t)s 签到，无需重复签到。", t=_fmt(row.checked_in_at))


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
    seated = _seated_count(session.class_id)
    opens, closes = checkin_window(session)
    window = window_index(now)
    return {
        "token": checkin_token(session.id, now),
        "code": checkin_code(session.id, window),
        "refresh_seconds": max(2, window_seconds() // 3),
        "count": len(rows),
        "seated": seated,
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


# --- attendance ----------------------------------------------------------------------------


@dataclass
class GridRow:
    user: User
    attendance: Attendance | None
    excuse: ExcuseRequest | None = None


def attendance_grid(actor: User, session: ClassSession) -> list[GridRow]:
    """Every seated person (and anyone with a record) with their mark: three queries."""
    klass = session.training_class
    require_teach(actor, klass, session)
    records = {
        a.user_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    excuses = {
        e.user_id: e
        for e in db.session.scalars(
            sa.select(ExcuseRequest).where(ExcuseRequest.session_id == session.id)
        )
    }
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(RosterEntry, RosterEntry.user_id == User.id)
            .where(
                RosterEntry.class_id == klass.id,
                sa.or_(
                    RosterEntry.status == RosterStatus.seated,
                    User.id.in_(list(records) or [-1]),
                ),
            )
            .order_by(User.employee_no)
        )
    )
    return [GridRow(u, records.get(u.id), excuses.get(u.id)) for u in users]


def mark_attendance(
    actor: User,
    session: ClassSession,
    marks: dict[int, AttendanceStatus | str | None],
    now: datetime | None = None,
) -> int:
    """Set or correct marks; after the session ends, every change is audited."""
    klass = session.training_class
    require_teach(actor, klass, session)
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("课次已取消，不能登记考勤。"))
    now = now or utcnow()
    allowed = set(
        db.session.scalars(sa.select(RosterEntry.user_id).where(RosterEntry.class_id == klass.id))
    )
    unknown = [uid for uid in marks if uid not in allowed]
    if unknown:
        raise Invalid(errors={"marks": [_("有人不在本班名单中。")]})
    records = {
        a.user_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    after_session = now >= session.ends_at
    names = dict(
        db.session.execute(sa.select(User.id, User.name).where(User.id.in_(list(marks)))).all()
    )
    changed = 0
    for user_id, status in marks.items():
        if not status:
            continue
        status = AttendanceStatus(status)
        row = records.get(user_id)
        before = row.status.value if row else None
        if before == status.value:
            continue
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id, method=CheckinMethod.manual)
            db.session.add(row)
        row.status = status
        row.marked_by_id = actor.id
        if row.method == CheckinMethod.auto:
            row.method = CheckinMethod.manual
        changed += 1
        if after_session:
            audit.record(
                actor,
                "training.attendance_change",
                "training_attendance",
                session.id,
                organization_id=klass.organization_id,
                before={"user_id": user_id, "status": before},
                after={"user_id": user_id, "status": status.value},
                summary=_(
                    "%(cls)s %(t)s %(name)s：%(b)s → %(a)s",
                    cls=klass.title,
                    t=_fmt(session.starts_at),
                    name=names.get(user_id, user_id),
                    b=before or "—",
                    a=status.value,
                ),
            )
    db.session.flush()
    if session.closed_at is not None and changed:
        evaluate_class(klass)
    db.session.commit()
    return changed


def request_excuse(user: User, session: ClassSession, reason: str) -> ExcuseRequest:
    klass = session.training_class
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(errors={"reason": [_("请写明请假原因。")]})
    if len(reason) > 500:
        raise Invalid(errors={"reason": [_("原因最长 500 字。")]})
    entry = roster_entry(klass.id, user.id)
    if entry is None or entry.status != RosterStatus.seated:
        raise Forbidden(_("您不在此培训班的学员名单中。"))
    if session.status == SessionStatus.cancelled:
        raise Conflict(_("本课次已取消，无需请假。"))
    existing = db.session.scalar(
        sa.select(ExcuseRequest).where(
            ExcuseRequest.session_id == session.id, ExcuseRequest.user_id == user.id
        )
    )
    if existing is not None and existing.status != ExcuseStatus.rejected:
        raise Conflict(_("您已为本课次提交过请假申请。"))
    if existing is None:
        existing = ExcuseRequest(session_id=session.id, user_id=user.id, reason=reason)
        db.session.add(existing)
    existing.reason = reason
    existing.status = ExcuseStatus.pending
    existing.decided_by_id = None
    existing.decided_at = None
    db.session.flush()
    excuse_requested.send(
        _app(),
        class_id=klass.id,
        session_id=session.id,
        user_id=user.id,
        request_id=existing.id,
    )
    db.session.commit()
    return existing


def excuses_query(actor: User, status: ExcuseStatus | None = ExcuseStatus.pending) -> sa.Select:
    scope.require_officer(actor)
    stmt = (
        sa.select(ExcuseRequest)
        .join(ExcuseRequest.session)
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .join(Organization, Organization.id == TrainingClass.organization_id)
        .where(scope.subtree_condition(actor))
        .order_by(ExcuseRequest.created_at.desc(), ExcuseRequest.id.desc())
    )
    if status is not None:
        stmt = stmt.where(ExcuseRequest.status == status)
    return stmt


def decide_excuse(actor: User, excuse_id: int, approve: bool) -> ExcuseRequest:
    excuse = db.session.get(ExcuseRequest, excuse_id)
    if excuse is None:
        raise NotFound()
    session = excuse.session
    require_manage(actor, session.training_class)
    if excuse.status != ExcuseStatus.pending:
        raise Conflict(_("此申请已处理过。"))
    excuse.status = ExcuseStatus.approved if approve else ExcuseStatus.rejected
    excuse.decided_by_id = actor.id
    excuse.decided_at = utcnow()
    if approve:
        row = db.session.scalar(
            sa.select(Attendance).where(
                Attendance.session_id == session.id, Attendance.user_id == excuse.user_id
            )
        )
        if row is None:
            db.session.add(
                Attendance(
                    session_id=session.id,
                    user_id=excuse.user_id,
                    status=AttendanceStatus.excused,
                    method=CheckinMethod.manual,
                    marked_by_id=actor.id,
                )
            )
        elif row.checked_in_at is None:
            row.status = AttendanceStatus.excused
            row.marked_by_id = actor.id
    audit.record(
        actor,
        "training.excuse_decide",
        "training_excuse",
        excuse.id,
        organization_id=session.training_class.organization_id,
        before={"status": "pending"},
        after={"status": excuse.status.value},
        summary=f"{session.training_class.title}: {excuse.user.name}",
    )
    db.session.flush()
    if session.closed_at is not None:
        evaluate_class(session.training_class)
    db.session.commit()
    return excuse


# --- end of a session, warnings and completion ---------------------------------------------


def ended_unclosed_ids(now: datetime | None = None, limit: int = 500) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(ClassSession.id)
            .where(
                ClassSession.status == SessionStatus.scheduled,
                ClassSession.closed_at.is_(None),
                ClassSession.ends_at <= (now or utcnow()),
            )
            .order_by(ClassSession.ends_at)
            .limit(limit)
        )
    )


def close_session(session_id: int, now: datetime | None = None) -> int:
    """Mark every seated person without a record absent, once; then check rates."""
    now = now or utcnow()
    session = db.session.execute(
        sa.select(ClassSession)
        .where(ClassSession.id == session_id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if (
        session is None
        or session.closed_at is not None
        or session.status != SessionStatus.scheduled
        or session.ends_at > now
    ):
        db.session.rollback()
        return 0
    seated = set(
        db.session.scalars(
            sa.select(RosterEntry.user_id).where(
                RosterEntry.class_id == session.class_id,
                RosterEntry.status == RosterStatus.seated,
            )
        )
    )
    marked = set(
        db.session.scalars(sa.select(Attendance.user_id).where(Attendance.session_id == session.id))
    )
    missing = sorted(seated - marked)
    db.session.add_all(
        Attendance(
            session_id=session.id,
            user_id=user_id,
            status=AttendanceStatus.absent,
            method=CheckinMethod.auto,
        )
        for user_id in missing
    )
    session.closed_at = now
    db.session.flush()
    evaluate_class(session.training_class, now)
    db.session.commit()
    return len(missing)


def class_rates(class_id: int) -> dict[int, tuple[int, int]]:
    """Per person: (attended, counted) over the class's closed sessions; excused not counted."""
    rows = db.session.execute(
        sa.select(
            Attendance.user_id,
            sa.func.sum(sa.case((Attendance.status.in_(ATTENDED), 1), else_=0)),
            sa.func.sum(sa.case((Attendance.status.in_(COUNTED), 1), else_=0)),
        )
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(
            ClassSession.class_id == class_id,
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.closed_at.is_not(None),
        )
        .group_by(Attendance.user_id)
    )
    return {user_id: (int(a or 0), int(c or 0)) for user_id, a, c in rows}


def rate_of(attended: int, counted: int) -> float | None:
    return attended / counted if counted else None


def evaluate_class(klass: TrainingClass, now: datetime | None = None) -> None:
    """Record low-attendance warnings (once per person) and completions at the class's end."""
    now = now or utcnow()
    held = db.session.scalar(
        sa.select(sa.func.count(ClassSession.id)).where(
            ClassSession.class_id == klass.id,
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.closed_at.is_not(None),
        )
    )
    rates = class_rates(klass.id)
    seated = set(
        db.session.scalars(
            sa.select(RosterEntry.user_id).where(
                RosterEntry.class_id == klass.id, RosterEntry.status == RosterStatus.seated
            )
        )
    )
    if held >= klass.low_attendance_min_sessions:
        warned = set(
            db.session.scalars(
                sa.select(AttendanceWarning.user_id).where(AttendanceWarning.class_id == klass.id)
            )
        )
        for user_id in sorted(seated - warned):
            rate = rate_of(*rates.get(user_id, (0, 0)))
            if rate is None or rate >= klass.low_attendance_rate:
                continue
            try:
                with db.session.begin_nested():
                    db.session.add(
                        AttendanceWarning(
                            class_id=klass.id, user_id=user_id, rate=rate, sessions_held=held
                        )
                    )
            except IntegrityError:
                continue
            low_attendance.send(
                _app(),
                class_id=klass.id,
                user_id=user_id,
                rate=rate,
                threshold=klass.low_attendance_rate,
                officer_id=klass.officer_id,
            )
    still_open = db.session.scalar(
        sa.select(sa.func.count(ClassSession.id)).where(
            ClassSession.class_id == klass.id,
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.closed_at.is_(None),
        )
    )
    if held and not still_open and klass.completed_at is None:
        klass.completed_at = now
        done = set(
            db.session.scalars(
                sa.select(ClassCompletion.user_id).where(ClassCompletion.class_id == klass.id)
            )
        )
        for user_id in sorted(seated - done):
            rate = rate_of(*rates.get(user_id, (0, 0)))
            if rate is None or rate < klass.completion_rate:
                continue
            try:
                with db.session.begin_nested():
                    db.session.add(ClassCompletion(class_id=klass.id, user_id=user_id, rate=rate))
            except IntegrityError:
                continue
            class_completed.send(_app(), class_id=klass.id, user_id=user_id, rate=rate)
    db.session.flush()


def warnings_query(actor: User) -> sa.Select:
    scope.require_officer(actor)
    return (
        sa.select(AttendanceWarning)
        .join(TrainingClass, TrainingClass.id == AttendanceWarning.class_id)
        .join(Organization, Organization.id == TrainingClass.organization_id)
        .where(scope.subtree_condition(actor))
        .order_by(AttendanceWarning.created_at.desc())
    )


# --- schedules and calendar feeds ----------------------------------------------------------


def person_sessions_query(user: User) -> sa.Select:
    """Sessions of classes the person sits in or teaches."""
    seated_classes = sa.select(RosterEntry.class_id).where(
        RosterEntry.user_id == user.id, RosterEntry.status == RosterStatus.seated
    )
    taught_classes = sa.select(class_instructors.c.class_id).where(
        class_instructors.c.user_id == user.id
    )
    return (
        sa.select(ClassSession)
        .join(ClassSession.training_class)
        .where(
            sa.or_(
                ClassSession.class_id.in_(seated_classes),
                ClassSession.class_id.in_(taught_classes),
                ClassSession.instructor_id == user.id,
            )
        )
        .order_by(ClassSession.starts_at)
    )


def schedule_for(user: User, start: datetime, end: datetime) -> list[ClassSession]:
    return list(
        db.session.scalars(
            person_sessions_query(user).where(
                ClassSession.starts_at >= start, ClassSession.starts_at < end
            )
        )
    )


def calendar_token(user: User) -> str:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.user_id == user.id))
    if row is None:
        row = CalendarToken(user_id=user.id, token=secrets.token_urlsafe(24))
        db.session.add(row)
        db.session.commit()
    return row.token


def reset_calendar_token(user: User) -> str:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.user_id == user.id))
    if row is None:
        return calendar_token(user)
    row.token = secrets.token_urlsafe(24)
    db.session.commit()
    return row.token


def _ical(name: str, sessions: list[ClassSession]) -> bytes:
    from icalendar import Calendar, Event

    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    cal = Calendar()
    cal.add("prodid", "-//Craftsman Academy//Training//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", current_app.config["TIMEZONE"])
    stamp = utcnow()
    for s in sessions:
        event = Event()
        event.add("uid", f"training-session-{s.id}@craftsman-academy")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.starts_at)
        event.add("dtend", s.ends_at)
        event.add("summary", s.training_class.title)
        location = _location(s)
        if location:
            event.add("location", location)
        event.add("url", base + session_url(s.id))
        event.add("sequence", s.sequence)
        if s.status == SessionStatus.cancelled:
            event.add("status", "CANCELLED")
            if s.cancel_reason:
                event.add("description", _("已取消：%(r)s", r=s.cancel_reason))
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _feed_start() -> datetime:
    return utcnow() - timedelta(days=90)


def person_feed(token: str) -> bytes:
    row = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.token == token))
    if row is None:
        raise NotFound()
    user = db.session.get(User, row.user_id)
    sessions = list(
        db.session.scalars(
            person_sessions_query(user).where(ClassSession.starts_at >= _feed_start())
        )
    )
    return _ical(_("%(name)s 的培训课表", name=user.name), sessions)


def class_feed(token: str) -> bytes:
    klass = db.session.scalar(sa.select(TrainingClass).where(TrainingClass.feed_token == token))
    if klass is None:
        raise NotFound()
    sessions = [s for s in klass.sessions if s.starts_at >= _feed_start()]
    return _ical(klass.title, sessions)


# --- reports -------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    user: User
    status: RosterStatus
    cells: list[AttendanceStatus | None]
    attended: int
    counted: int

    @property
    def rate(self) -> float | None:
        return rate_of(self.attended, self.counted)


@dataclass
class Matrix:
    klass: TrainingClass
    sessions: list[ClassSession]
    rows: list[MatrixRow]


def class_matrix(actor: User, klass: TrainingClass) -> Matrix:
    """Workers × sessions with each worker's rate: four queries whatever the size."""
    require_teach(actor, klass)
    sessions = list(
        db.session.scalars(
            sa.select(ClassSession)
            .where(
                ClassSession.class_id == klass.id, ClassSession.status == SessionStatus.scheduled
            )
            .order_by(ClassSession.starts_at)
        )
    )
    entries = list(
        db.session.execute(
            sa.select(RosterEntry.user_id, RosterEntry.status, User)
            .join(User, User.id == RosterEntry.user_id)
            .where(RosterEntry.class_id == klass.id, RosterEntry.status != RosterStatus.waitlisted)
            .order_by(User.employee_no)
        )
    )
    marks: dict[tuple[int, int], AttendanceStatus] = {}
    for session_id, user_id, status in db.session.execute(
        sa.select(Attendance.session_id, Attendance.user_id, Attendance.status)
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .where(ClassSession.class_id == klass.id, ClassSession.status == SessionStatus.scheduled)
    ):
        marks[(user_id, session_id)] = status
    rows = []
    for user_id, status, user in entries:
        cells = [marks.get((user_id, s.id)) for s in sessions]
        if status == RosterStatus.withdrawn and not any(cells):
            continue
        attended = sum(1 for c in cells if c in ATTENDED)
        counted = sum(1 for c in cells if c in COUNTED)
        rows.append(MatrixRow(user, status, cells, attended, counted))
    return Matrix(klass, sessions, rows)


def session_report(actor: User, session: ClassSession) -> list[GridRow]:
    return attendance_grid(actor, session)


def worker_history(actor: User, user: User) -> list[tuple[Attendance, ClassSession, TrainingClass]]:
    if not scope.can_view_user(actor, user):
        raise NotFound()
    return [
        tuple(r)
        for r in db.session.execute(
            sa.select(Attendance, ClassSession, TrainingClass)
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .where(Attendance.user_id == user.id)
            .order_by(ClassSession.starts_at.desc())
            .limit(500)
        )
    ]


@dataclass
class SummaryRow:
    organization: Organization
    classes: int = 0
    sessions: int = 0
    person_times: int = 0
    counted: int = 0
    hours: float = 0.0
    person_hours: float = 0.0

    @property
    def rate(self) -> float | None:
        return rate_of(self.person_times, self.counted)


def _duration_seconds(start, end):
    """Seconds between two timestamp columns, in the database's own arithmetic."""
    if is_postgres(db.session):
        return sa.func.extract("epoch", end - start)
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400


def organization_summary(
    actor: User, organization: Organization, start: date, end: date, now: datetime | None = None
) -> tuple[list[SummaryRow], SummaryRow]:
    """Classes and sessions held in [start, end] under an organization, with 人次 and hours.

    Three queries whatever the size, each answering a few rows: sessions per organization,
    marks per organization and status, and the organizations themselves.
    """
    scope.require_officer(actor)
    scope.require_org_in_scope(actor, organization)
    if end < start:
        raise Invalid(errors={"end": [_("结束日期不能早于开始日期。")]})
    now = now or utcnow()
    zone = local_zone()
    lower = datetime.combine(start, datetime.min.time(), zone)
    upper = datetime.combine(end + timedelta(days=1), datetime.min.time(), zone)
    seconds = _duration_seconds(ClassSession.starts_at, ClassSession.ends_at)
    held = (
        sa.select(
            ClassSession.id.label("id"),
            ClassSession.class_id.label("class_id"),
            TrainingClass.organization_id.label("org_id"),
            seconds.label("seconds"),
        )
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .join(Organization, Organization.id == TrainingClass.organization_id)
        .where(
            Organization.path.startswith(organization.path),
            ClassSession.status == SessionStatus.scheduled,
            ClassSession.starts_at >= lower,
            ClassSession.starts_at < upper,
            ClassSession.ends_at <= now,
        )
        .subquery("held")
    )
    per_org = sa.select(
        held.c.org_id,
        sa.func.count(),
        sa.func.count(sa.distinct(held.c.class_id)),
        sa.func.sum(held.c.seconds),
    ).group_by(held.c.org_id)
    # Marks counted per (session, status) read only the (session_id, status) index; the
    # few rows that makes are then summed per organization, all inside the database.
    marks = (
        sa.select(Attendance.session_id, Attendance.status, sa.func.count().label("n"))
        .where(Attendance.session_id.in_(sa.select(held.c.id)))
        .group_by(Attendance.session_id, Attendance.status)
        .subquery("marks")
    )
    per_org_marks = (
        sa.select(
            held.c.org_id,
            marks.c.status,
            sa.func.sum(marks.c.n),
            sa.func.sum(marks.c.n * held.c.seconds),
        )
        .join(held, held.c.id == marks.c.session_id)
        .group_by(held.c.org_id, marks.c.status)
    )
    orgs = {
        o.id: o
        for o in db.session.scalars(
            sa.select(Organization).where(Organization.path.startswith(organization.path))
        )
    }
    by_org: dict[int, SummaryRow] = {}
    total = SummaryRow(organization=organization)
    for org_id, sessions, classes, secs in db.session.execute(per_org):
        row = by_org.setdefault(org_id, SummaryRow(organization=orgs[org_id]))
        for target in (row, total):
            target.sessions += sessions
            target.classes += classes  # a class belongs to one organization
            target.hours += float(secs or 0) / 3600
    for org_id, status, n, secs in db.session.execute(per_org_marks):
        row = by_org[org_id]
        status = AttendanceStatus(status)
        for target in (row, total):
            if status in ATTENDED:
                target.person_times += int(n)
                target.person_hours += float(secs or 0) / 3600
            if status in COUNTED:
                target.counted += int(n)
    rows = sorted(by_org.values(), key=lambda r: r.organization.path)
    return rows, total
