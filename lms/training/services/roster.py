"""Who sits in a class: adding people (one, by filter, from a file), registering, withdrawing,
and the waitlist that moves up when a seat frees.

Seats are counted and given while the class row is locked, so two requests never give the
last seat twice. Every seat given or taken is told through ``roster_changed`` with the
class's sessions still to come, so reminders follow the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User
from lms.accounts.services import UserFilter, users_query
from lms.audit import services as audit
from lms.core.tabular import RowErrors, read_table
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import emit, roster_changed
from lms.training.models import RegistrationMode, RosterEntry, RosterStatus, TrainingClass
from lms.training.services.access import can_manage, open_to, require_manage, roster_entry
from lms.training.services.common import fmt_time, location_of, session_url
from lms.training.services.scheduling import upcoming_sessions

__all__ = [
    "ROSTER_COLUMNS",
    "RosterImport",
    "RosterResult",
    "add_by_filter",
    "add_people",
    "find_person",
    "import_roster",
    "lock_class",
    "promote_waitlist",
    "register_self",
    "roster",
    "seated_count",
    "withdraw",
]


def lock_class(class_id: int) -> TrainingClass:
    """The class row, locked until commit: seats are counted and given one at a time."""
    return db.session.execute(
        sa.select(TrainingClass)
        .where(TrainingClass.id == class_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def seated_count(class_id: int) -> int:
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


def _send_roster_changed(training_class: TrainingClass, user_id: int, change: str) -> None:
    emit(
        roster_changed,
        class_id=training_class.id,
        user_id=user_id,
        change=change,
        upcoming=[
            {
                "session_id": s.id,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "title": training_class.title,
                "location": location_of(s),
                "url": session_url(s.id),
            }
            for s in upcoming_sessions(training_class.id)
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


def _enroll(training_class: TrainingClass, users: list[User], actor: User | None) -> RosterResult:
    """Seat or waitlist each person; the caller holds the class lock."""
    result = RosterResult()
    now = utcnow()
    existing = {
        e.user_id: e
        for e in db.session.scalars(
            sa.select(RosterEntry).where(
                RosterEntry.class_id == training_class.id,
                RosterEntry.user_id.in_([u.id for u in users]),
            )
        )
    }
    seated = seated_count(training_class.id)
    position = _next_position(training_class.id)
    for user in users:
        entry = existing.get(user.id)
        if entry is not None and entry.status != RosterStatus.withdrawn:
            result.already.append(user.id)
            continue
        if entry is None:
            entry = RosterEntry(class_id=training_class.id, user_id=user.id)
            db.session.add(entry)
        entry.added_by_id = actor.id if actor else None
        if training_class.capacity is None or seated < training_class.capacity:
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
        _send_roster_changed(training_class, user_id, "added")
    return result


def add_people(actor: User, training_class: TrainingClass, users: list[User]) -> RosterResult:
    """Seat people the actor manages; anyone outside their scope is answered as unknown."""
    require_manage(actor, training_class)
    if any(not scope.can_manage_user(actor, u) for u in users):
        raise NotFound()
    locked = lock_class(training_class.id)
    result = _enroll(locked, users, actor)
    if result.seated or result.waitlisted:
        audit.record(
            actor,
            "training.roster_add",
            "training_class",
            training_class.id,
            organization_id=training_class.organization_id,
            after={"seated": result.seated, "waitlisted": result.waitlisted},
            summary=f"{training_class.title}: +{len(result.seated)} / {len(result.waitlisted)}",
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


def add_by_filter(actor: User, training_class: TrainingClass, filters: UserFilter) -> RosterResult:
    """Everyone in the actor's scope who matches (organization subtree, trade, skill level)."""
    require_manage(actor, training_class)
    if filters.organization_id is not None:
        organization = db.session.get(Organization, filters.organization_id)
        if organization is None or not scope.org_in_scope(actor, organization):
            raise NotFound()
    filters.role = filters.role or Role.worker.value
    users = list(db.session.scalars(users_query(actor, filters).limit(2001)).unique())
    if len(users) > 2000:
        raise Invalid(errors={"filter": [_("符合条件的人超过 2000 人，请缩小范围。")]})
    if not users:
        raise Invalid(errors={"filter": [_("没有符合条件的学员。")]})
    return add_people(actor, training_class, users)


ROSTER_COLUMNS = {
    "工号": "employee_no",
    "employee_no": "employee_no",
    "姓名": "name",
    "name": "name",
}


@dataclass
class RosterImport:
    result: RosterResult | None
    errors: RowErrors
    rows: int


def import_roster(
    actor: User, training_class: TrainingClass, filename: str, data: bytes
) -> RosterImport:
    """Every row must name a worker in scope by employee number; otherwise nothing is added."""
    require_manage(actor, training_class)
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
    result = add_people(actor, training_class, users)
    return RosterImport(result=result, errors=errors, rows=len(sheet.rows))


def register_self(
    user: User, training_class: TrainingClass, now: datetime | None = None
) -> RosterEntry:
    """A worker registers for an open class; seated while seats last, then waitlisted.

    Only people of the class's organization subtree may, unless the federation opened the
    class city-wide; to anyone else the class does not exist.
    """
    now = now or utcnow()
    if training_class.registration_mode != RegistrationMode.open:
        raise Forbidden(_("此培训班由培训专员指派学员，不接受自行报名。"))
    if not open_to(user, training_class):
        raise NotFound()
    if training_class.registration_deadline and now > training_class.registration_deadline:
        raise Conflict(_("报名已于 %(t)s 截止。", t=fmt_time(training_class.registration_deadline)))
    locked = lock_class(training_class.id)
    result = _enroll(locked, [user], None)
    if result.already:
        db.session.rollback()
        raise Conflict(_("您已在此培训班的名单中。"))
    db.session.commit()
    return roster_entry(training_class.id, user.id)


def withdraw(
    actor: User, training_class: TrainingClass, user: User, now: datetime | None = None
) -> RosterEntry:
    """Leave a class (a worker before the deadline, an officer any time); promote the waitlist."""
    now = now or utcnow()
    deadline = training_class.registration_deadline
    if actor.id == user.id and not can_manage(actor, training_class):
        if deadline and now > deadline:
            raise Conflict(
                _("退出截止时间（%(t)s）已过。如需退出请联系培训专员。", t=fmt_time(deadline))
            )
    else:
        require_manage(actor, training_class)
    locked = lock_class(training_class.id)
    entry = roster_entry(training_class.id, user.id)
    if entry is None or entry.status == RosterStatus.withdrawn:
        raise NotFound(_("此人不在名单中。"))
    was_seated = entry.status == RosterStatus.seated
    entry.status = RosterStatus.withdrawn
    entry.waitlist_position = None
    db.session.flush()
    if was_seated:
        _send_roster_changed(locked, user.id, "removed")
    promote_waitlist(locked)
    if actor.id != user.id:
        audit.record(
            actor,
            "training.roster_remove",
            "training_class",
            training_class.id,
            organization_id=training_class.organization_id,
            before={"user_id": user.id, "status": "seated" if was_seated else "waitlisted"},
            after={"status": "withdrawn"},
            summary=f"{training_class.title}: {user.name}",
        )
    db.session.commit()
    return entry


def promote_waitlist(training_class: TrainingClass) -> list[int]:
    """Give free seats to the waitlist in order; the caller holds the class lock."""
    if training_class.capacity is None:
        free = None
    else:
        free = training_class.capacity - seated_count(training_class.id)
        if free <= 0:
            return []
    stmt = (
        sa.select(RosterEntry)
        .where(
            RosterEntry.class_id == training_class.id,
            RosterEntry.status == RosterStatus.waitlisted,
        )
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
        _send_roster_changed(training_class, user_id, "promoted")
    return promoted


def roster(training_class: TrainingClass) -> list[RosterEntry]:
    return list(
        db.session.scalars(
            sa.select(RosterEntry)
            .where(RosterEntry.class_id == training_class.id)
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
