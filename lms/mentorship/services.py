"""The rules of mentoring (传帮带). UI, API, CLI and tasks all come through here.

Who may do what:
- officers (and admins) pair mentors with apprentices in their organization subtree,
  pause, resume or cancel pairings, resolve disputed logs and approve graduation;
- a mentor accepts or declines requests, signs the agreement, logs sessions for their
  own apprentices, pauses or resumes, and records the final assessment;
- an apprentice requests a mentor, signs the agreement, confirms or disputes logs.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload, selectinload

from lms.accounts import scope
from lms.accounts.models import (
    SKILL_ORDER,
    HonorKind,
    HonorLevel,
    Organization,
    Role,
    User,
    UserRole,
)
from lms.audit import services as audit
from lms.core import storage
from lms.db import is_postgres, utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.mentorship.labels import STATUS_LABELS, label
from lms.mentorship.models import (
    OPEN_STATUSES,
    Goal,
    GoalStatus,
    LogAttachment,
    LogKind,
    LogStatus,
    MentorLog,
    MentorProfile,
    Mentorship,
    MentorshipEvent,
    MentorshipStatus,
    Programme,
    Resolution,
)
from lms.signals import (
    mentor_log_disputed,
    mentor_log_submitted,
    mentorship_completed,
    mentorship_proposed,
)

S = MentorshipStatus

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
# and completion when an officer approves graduation (``approve_graduation``).
TRANSITIONS: dict[tuple[MentorshipStatus, MentorshipStatus], frozenset[str]] = {
    (S.proposed, S.cancelled): frozenset({"officer", "mentor", "apprentice"}),
    (S.active, S.paused): frozenset({"officer", "mentor"}),
    (S.paused, S.active): frozenset({"officer", "mentor"}),
    (S.active, S.cancelled): frozenset({"officer"}),
    (S.paused, S.cancelled): frozenset({"officer"}),
}


def local_today() -> date:
    from lms.timeutil import to_local

    return to_local(utcnow()).date()


def default_agreement(mentor: User, apprentice: User) -> str:
    return _(
        "师傅%(mentor)s与徒弟%(apprentice)s自愿结为师徒。师傅毫无保留地传授技艺，"
        "按计划开展岗位带教、操作示范和实操练习，如实记录每次带徒；徒弟虚心学习、"
        "勤学苦练，及时确认带徒记录，按期完成学习目标。带徒期满经考核合格，报培训专员审批出师。",
        mentor=mentor.name,
        apprentice=apprentice.name,
    )


# --- visibility ------------------------------------------------------------------------------


def roles_in(actor: User, mentorship: Mentorship) -> set[str]:
    """The parts the actor plays in this pairing: officer, mentor, apprentice."""
    roles = set()
    if scope.org_in_scope(actor, mentorship.organization):
        roles.add("officer")
    if actor.id == mentorship.mentor_id:
        roles.add("mentor")
    if actor.id == mentorship.apprentice_id:
        roles.add("apprentice")
    return roles


def _load(model, row_id: int, lock: bool):
    """One row by id; with ``lock``, fresh from the database and locked until commit
    (PostgreSQL — SQLite serialises writers anyway)."""
    stmt = sa.select(model).where(model.id == row_id)
    if lock:
        stmt = stmt.execution_options(populate_existing=True)
        if is_postgres(db.session):
            stmt = stmt.with_for_update(of=model)
    return db.session.scalar(stmt)


def get_mentorship(actor: User, mentorship_id: int, *, lock: bool = False) -> Mentorship:
    """A pairing the actor may see; with ``lock``, its row is locked until commit (PostgreSQL)."""
    mentorship = _load(Mentorship, mentorship_id, lock)
    if mentorship is None or not roles_in(actor, mentorship):
        raise NotFound()
    return mentorship


def _relock(actor: User, mentorship: Mentorship) -> Mentorship:
    return get_mentorship(actor, mentorship.id, lock=True)


@dataclass
class MentorshipFilter:
    status: str | None = None
    programme_id: int | None = None
    organization_id: int | None = None
    mentor_id: int | None = None
    q: str | None = None


def mentorships_query(actor: User, filters: MentorshipFilter | None = None) -> sa.Select:
    """Pairings the actor may see (officers: their subtree; others: their own), newest first."""
    filters = filters or MentorshipFilter()
    stmt = sa.select(Mentorship).options(
        joinedload(Mentorship.mentor).options(
            lazyload(User.role_rows), lazyload(User.organization)
        ),
        joinedload(Mentorship.apprentice).options(
            lazyload(User.role_rows), lazyload(User.organization)
        ),
        joinedload(Mentorship.programme),
    )
    if scope.is_admin(actor):
        pass
    elif scope.is_officer(actor):
        stmt = stmt.where(Mentorship.organization_id.in_(scope.scoped_org_ids(actor)))
    else:
        stmt = stmt.where(
            sa.or_(Mentorship.mentor_id == actor.id, Mentorship.apprentice_id == actor.id)
        )
    if filters.status:
        try:
            stmt = stmt.where(Mentorship.status == MentorshipStatus(filters.status))
        except ValueError:
            raise Invalid(errors={"status": [_("状态不正确。")]}) from None
    if filters.programme_id:
        stmt = stmt.where(Mentorship.programme_id == filters.programme_id)
    if filters.mentor_id:
        stmt = stmt.where(Mentorship.mentor_id == filters.mentor_id)
    if filters.organization_id:
        org = db.session.get(Organization, filters.organization_id)
        if org is None:
            raise Invalid(errors={"organization_id": [_("单位不存在。")]})
        stmt = stmt.where(Mentorship.organization_id.in_(scope.subtree_org_ids(org)))
    if filters.q:
        text = filters.q.strip()
        matching = sa.select(User.id).where(
            sa.or_(User.name.like(f"%{text}%"), User.employee_no == text)
        )
        stmt = stmt.where(
            sa.or_(Mentorship.mentor_id.in_(matching), Mentorship.apprentice_id.in_(matching))
        )
    return stmt.order_by(Mentorship.id.desc())


def totals(actor: User, filters: MentorshipFilter | None = None) -> dict:
    """Pairs, active, graduated and confirmed hours over the same filtered pairings: one query."""
    base = mentorships_query(actor, filters).order_by(None).subquery()
    row = db.session.execute(
        sa.select(
            sa.func.count(base.c.id),
            sa.func.coalesce(
                sa.func.sum(sa.case((base.c.status == S.active.value, 1), else_=0)), 0
            ),
            sa.func.coalesce(
                sa.func.sum(sa.case((base.c.status == S.completed.value, 1), else_=0)), 0
            ),
            sa.func.coalesce(sa.func.sum(base.c.confirmed_minutes), 0),
        )
    ).one()
    return {
        "pairs": row[0],
        "active": row[1],
        "graduated": row[2],
        "confirmed_hours": round(row[3] / 60, 1),
    }


# --- programmes ------------------------------------------------------------------------------


def create_programme(
    actor: User, organization: Organization, name: str, description: str | None = None
) -> Programme:
    scope.require_org_in_scope(actor, organization)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid(errors={"name": [_("请填写项目名称（120 字以内）。")]})
    exists = db.session.scalar(
        sa.select(Programme.id).where(
            Programme.organization_id == organization.id, Programme.name == name
        )
    )
    if exists:
        raise Conflict(errors={"name": [_("本单位已有同名的带徒项目。")]})
    programme = Programme(organization=organization, name=name, description=description)
    db.session.add(programme)
    db.session.flush()
    audit.record(
        actor,
        "mentorship.programme_create",
        "mentorship_programme",
        programme.id,
        organization_id=organization.id,
        after={"name": name},
        summary=name,
    )
    db.session.commit()
    return programme


def programmes_query(actor: User) -> sa.Select:
    """Programmes an officer may use: those of organizations in scope."""
    return (
        sa.select(Programme)
        .where(Programme.organization_id.in_(scope.scoped_org_ids(actor)), Programme.active)
        .order_by(Programme.name)
    )


def get_programme(actor: User, programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    return programme


# --- capacity --------------------------------------------------------------------------------


def default_capacity() -> int:
    return int(current_app.config.get("MENTOR_DEFAULT_CAPACITY", 3))


def capacities(mentor_ids) -> dict[int, int]:
    ids = list(mentor_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(MentorProfile.user_id, MentorProfile.capacity).where(
            MentorProfile.user_id.in_(ids)
        )
    ).all()
    found = dict(rows)
    return {i: found.get(i, default_capacity()) for i in ids}


def loads(mentor_ids) -> dict[int, int]:
    """How many open pairings (proposed, active, paused) each mentor has."""
    ids = list(mentor_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Mentorship.mentor_id, sa.func.count())
        .where(Mentorship.mentor_id.in_(ids), Mentorship.status.in_(OPEN_STATUSES))
        .group_by(Mentorship.mentor_id)
    ).all()
    found = dict(rows)
    return {i: found.get(i, 0) for i in ids}


def _lock_mentor(mentor_id: int) -> MentorProfile:
    """The mentor's capacity row, created if missing, locked until commit on PostgreSQL.

    Every pairing that takes one of the mentor's places goes through here, so two made at
    the same moment are serialised and the second sees the first.
    """
    if is_postgres(db.session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(
        insert(MentorProfile)
        .values(user_id=mentor_id, capacity=default_capacity(), updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    stmt = (
        sa.select(MentorProfile)
        .where(MentorProfile.user_id == mentor_id)
        .execution_options(populate_existing=True)
    )
    if is_postgres(db.session):
        stmt = stmt.with_for_update()
    return db.session.scalar(stmt)


def _check_capacity(mentor: User, profile: MentorProfile, exclude_id: int | None = None) -> None:
    stmt = sa.select(sa.func.count()).where(
        Mentorship.mentor_id == mentor.id, Mentorship.status.in_(OPEN_STATUSES)
    )
    if exclude_id:
        stmt = stmt.where(Mentorship.id != exclude_id)
    load = db.session.scalar(stmt)
    if load >= profile.capacity:
        raise Conflict(
            _(
                "%(name)s师傅已带 %(load)d 名徒弟，达到上限 %(capacity)d 名。"
                "请选择其他师傅，或先调整其带徒名额。",
                name=mentor.name,
                load=load,
                capacity=profile.capacity,
            ),
            errors={"mentor_id": [_("该师傅名额已满。")]},
        )


def mentors_in_scope(actor: User) -> sa.Select:
    """Mentors an officer manages, by name: for the page where places are set."""
    scope.require_officer(actor)
    return (
        sa.select(User)
        .join(User.organization)
        .where(
            User.role_rows.any(UserRole.role == Role.mentor),
            User.active,
            scope.subtree_condition(actor),
        )
        .order_by(User.name, User.id)
    )


def set_capacity(actor: User, mentor: User, capacity: int) -> MentorProfile:
    if not scope.can_manage_user(actor, mentor):
        raise Forbidden()
    if not isinstance(capacity, int) or not 0 <= capacity <= 20:
        raise Invalid(errors={"capacity": [_("带徒名额应在 0 到 20 之间。")]})
    profile = _lock_mentor(mentor.id)
    before = profile.capacity
    profile.capacity = capacity
    audit.record(
        actor,
        "mentorship.capacity",
        "user",
        mentor.id,
        organization_id=mentor.organization_id,
        before={"capacity": before},
        after={"capacity": capacity},
        summary=f"{mentor.name} {before}→{capacity}",
    )
    db.session.commit()
    return profile


# --- pairing ---------------------------------------------------------------------------------


def _record(mentorship: Mentorship, actor: User | None, before, after, note: str | None = None):
    db.session.add(
        MentorshipEvent(
            mentorship=mentorship,
            actor_id=actor.id if actor else None,
            from_status=before,
            to_status=after,
            note=(note or None) and note[:500],
        )
    )


def _move(mentorship: Mentorship, actor: User, to: MentorshipStatus, note: str | None = None):
    before = mentorship.status
    mentorship.status = to
    _record(mentorship, actor, before, to, note)
    audit.record(
        actor,
        "mentorship.transition",
        "mentorship",
        mentorship.id,
        organization_id=mentorship.organization_id,
        before={"status": before.value},
        after={"status": to.value},
        summary=f"{label(STATUS_LABELS, before)}→{label(STATUS_LABELS, to)} {note or ''}".strip(),
    )


def _check_people(mentor: User, apprentice: User) -> None:
    if mentor.id == apprentice.id:
        raise Invalid(errors={"mentor_id": [_("师傅和徒弟不能是同一个人。")]})
    if not mentor.active or Role.mentor not in mentor.roles:
        raise Invalid(errors={"mentor_id": [_("%(name)s不是在岗导师。", name=mentor.name)]})
    if not apprentice.active:
        raise Invalid(errors={"apprentice_id": [_("该学员账号已停用。")]})


def _check_dates(start_date: date | None, planned_end: date | None) -> None:
    errors = {}
    if start_date is None:
        errors["start_date"] = [_("请填写开始日期。")]
    if planned_end is None:
        errors["planned_end"] = [_("请填写计划出师日期。")]
    elif start_date and planned_end <= start_date:
        errors["planned_end"] = [_("计划出师日期应晚于开始日期。")]
    elif start_date and planned_end > start_date + timedelta(days=366 * 5):
        errors["planned_end"] = [_("带徒期最长 5 年。")]
    if errors:
        raise Invalid(errors=errors)


def _insert_pairing(mentorship: Mentorship, apprentice: User) -> None:
    """Add the pairing; the database refuses a second open one for the apprentice."""
    existing = db.session.scalar(
        sa.select(Mentorship.id).where(
            Mentorship.apprentice_id == apprentice.id,
            Mentorship.programme_key == mentorship.programme_key,
            Mentorship.status.in_(OPEN_STATUSES),
        )
    )
    message = _(
        "%(name)s在本项目中已有进行中或待签约的师徒关系，不能重复结对。", name=apprentice.name
    )
    if existing:
        raise Conflict(message, errors={"apprentice_id": [message]})
    try:
        with db.session.begin_nested():
            db.session.add(mentorship)
            db.session.flush()
    except IntegrityError:
        # Another officer paired the same apprentice a moment ago.
        raise Conflict(message, errors={"apprentice_id": [message]}) from None


def _path(endpoint: str, fallback: str, **values) -> str:
    from flask import url_for

    try:
        return url_for(endpoint, **values)
    except RuntimeError:  # outside a request (CLI, tasks)
        return fallback


def _announce_proposed(mentorship: Mentorship) -> None:
    url = _path("mentorship.detail", f"/mentorships/{mentorship.id}", mentorship_id=mentorship.id)
    mentorship_proposed.send(
        current_app._get_current_object(),
        mentorship_id=mentorship.id,
        mentor_id=mentorship.mentor_id,
        apprentice_id=mentorship.apprentice_id,
        requested_by_apprentice=mentorship.requested_by_apprentice,
        url=url,
    )


def create_pairing(
    actor: User,
    *,
    mentor: User,
    apprentice: User,
    start_date: date,
    planned_end: date,
    programme: Programme | None = None,
    agreement: str | None = None,
    goals: list[dict] | None = None,
) -> Mentorship:
    """An officer pairs a mentor with an apprentice; both then sign the agreement."""
    scope.require_officer(actor)
    if not scope.can_manage_user(actor, apprentice) or not scope.can_manage_user(actor, mentor):
        raise Forbidden(_("只能为本单位范围内的师傅和学员结对。"))
    if programme is not None:
        scope.require_org_in_scope(actor, programme.organization)
    _check_people(mentor, apprentice)
    _check_dates(start_date, planned_end)
    if agreement is not None and len(agreement) > 4000:
        raise Invalid(errors={"agreement": [_("协议内容不能超过 4000 字。")]})
    mentorship = _propose(
        mentor,
        apprentice,
        programme,
        start_date,
        planned_end,
        agreement=(agreement or "").strip() or default_agreement(mentor, apprentice),
        created_by_id=actor.id,
    )
    _record(mentorship, actor, None, S.proposed, _("培训专员结对"))
    for goal in goals or []:
        _add_goal(mentorship, **goal)
    audit.record(
        actor,
        "mentorship.create",
        "mentorship",
        mentorship.id,
        organization_id=mentorship.organization_id,
        after={"mentor_id": mentor.id, "apprentice_id": apprentice.id},
        summary=f"{mentor.name} → {apprentice.name}",
    )
    db.session.flush()
    _announce_proposed(mentorship)
    db.session.commit()
    return mentorship


def _propose(
    mentor: User,
    apprentice: User,
    programme: Programme | None,
    start_date: date,
    planned_end: date,
    **fields,
) -> Mentorship:
    """A new proposed pairing, within the mentor's capacity (their row locked until commit)."""
    profile = _lock_mentor(mentor.id)
    _check_capacity(mentor, profile)
    mentorship = Mentorship(
        mentor=mentor,
        apprentice=apprentice,
        programme=programme,
        programme_key=programme.id if programme else 0,
        organization_id=apprentice.organization_id,
        status=S.proposed,
        start_date=start_date,
        planned_end=planned_end,
        **fields,
    )
    _insert_pairing(mentorship, apprentice)
    return mentorship


def request_mentor(
    apprentice: User,
    *,
    mentor: User,
    programme: Programme | None = None,
    start_date: date | None = None,
    planned_end: date | None = None,
    note: str | None = None,
) -> Mentorship:
    """An apprentice asks a mentor to take them on; the mentor accepts or declines."""
    _check_people(mentor, apprentice)
    if programme is not None and not apprentice.organization.path.startswith(
        programme.organization.path
    ):
        raise Forbidden(_("该带徒项目不面向您所在的单位。"))
    start_date = start_date or local_today()
    planned_end = planned_end or start_date + timedelta(days=365)
    _check_dates(start_date, planned_end)
    mentorship = _propose(
        mentor,
        apprentice,
        programme,
        start_date,
        planned_end,
        agreement=default_agreement(mentor, apprentice),
        requested_by_apprentice=True,
        apprentice_signed_at=utcnow(),
        created_by_id=apprentice.id,
    )
    _record(mentorship, apprentice, None, S.proposed, note or _("徒弟申请拜师"))
    db.session.flush()
    _announce_proposed(mentorship)
    db.session.commit()
    return mentorship


def sign(actor: User, mentorship: Mentorship) -> Mentorship:
    """Mentor or apprentice signs the agreement; once both have, the pairing is active."""
    mentorship = _relock(actor, mentorship)
    roles = roles_in(actor, mentorship)
    if not roles & {"mentor", "apprentice"}:
        raise Forbidden(_("只有师傅和徒弟本人可以签署带徒协议。"))
    if mentorship.status != S.proposed:
        raise Conflict(
            _(
                "带徒协议只能在待签约状态下签署，当前状态：%(s)s。",
                s=label(STATUS_LABELS, mentorship.status),
            )
        )
    now = utcnow()
    if "mentor" in roles and mentorship.mentor_signed_at is None:
        mentorship.mentor_signed_at = now
    if "apprentice" in roles and mentorship.apprentice_signed_at is None:
        mentorship.apprentice_signed_at = now
    if mentorship.fully_signed:
        profile = _lock_mentor(mentorship.mentor_id)
        _check_capacity(mentorship.mentor, profile, exclude_id=mentorship.id)
        _move(mentorship, actor, S.active, _("双方已签署带徒协议"))
    db.session.commit()
    return mentorship


def accept_request(actor: User, mentorship: Mentorship) -> Mentorship:
    if actor.id != mentorship.mentor_id:
        raise Forbidden(_("只有被申请的师傅可以接受拜师申请。"))
    return sign(actor, mentorship)


def decline_request(actor: User, mentorship: Mentorship, note: str | None = None) -> Mentorship:
    if actor.id != mentorship.mentor_id:
        raise Forbidden(_("只有被申请的师傅可以婉拒拜师申请。"))
    return transition(actor, mentorship, S.cancelled, note or _("师傅婉拒"))


def transition(
    actor: User, mentorship: Mentorship, to: MentorshipStatus | str, note: str | None = None
) -> Mentorship:
    """Pause, resume or cancel a pairing, if the actor may make that move from its status."""
    try:
        to = MentorshipStatus(to)
    except ValueError:
        raise Invalid(errors={"to": [_("目标状态不正确。")]}) from None
    mentorship = _relock(actor, mentorship)
    current = mentorship.status
    allowed = TRANSITIONS.get((current, to))
    if allowed is None:
        if (current, to) == (S.proposed, S.active):
            message = _("师徒双方签署带徒协议后自动生效。")
        elif (current, to) == (S.active, S.completed):
            message = _("出师需由师傅填写出师评价，再由培训专员审批。")
        else:
            message = _(
                "不能从“%(a)s”变为“%(b)s”。",
                a=label(STATUS_LABELS, current),
                b=label(STATUS_LABELS, to),
            )
        raise Conflict(message, errors={"to": [message]})
    if not roles_in(actor, mentorship) & allowed:
        raise Forbidden()
    note = (note or "").strip()
    if to == S.cancelled and current != S.proposed and not note:
        raise Invalid(errors={"note": [_("解除师徒关系请填写原因。")]})
    if len(note) > 500:
        raise Invalid(errors={"note": [_("说明不能超过 500 字。")]})
    if (current, to) == (S.paused, S.active):
        profile = _lock_mentor(mentorship.mentor_id)
        _check_capacity(mentorship.mentor, profile, exclude_id=mentorship.id)
    _move(mentorship, actor, to, note)
    db.session.commit()
    return mentorship


# --- suggestions -----------------------------------------------------------------------------

_HONOR_POINTS = {
    HonorLevel.national: 30,
    HonorLevel.provincial: 20,
    HonorLevel.city: 12,
    HonorLevel.enterprise: 6,
}


@dataclass
class Suggestion:
    mentor: User
    score: int
    load: int
    capacity: int
    reasons: list[str] = field(default_factory=list)


def _enterprise_key(org: Organization) -> str:
    """The path of the enterprise a unit belongs to: union /1/, enterprise /1/4/, ..."""
    parts = [p for p in org.path.split("/") if p]
    return "/".join(parts[:2])


def suggestions(actor: User, apprentice: User, limit: int = 10) -> list[Suggestion]:
    """Mentors for an apprentice, best first, each with the reasons for its place.

    Same trade first, then skill level and honours, then same workshop or enterprise,
    and spare places; mentors with no place left are not suggested.
    """
    if actor.id == apprentice.id:
        candidates_scope = sa.true()
        enterprise = _enterprise_key(apprentice.organization)
        if enterprise:
            candidates_scope = Organization.path.startswith(f"/{enterprise}/")
    else:
        scope.require_officer(actor)
        if not scope.can_manage_user(actor, apprentice):
            raise NotFound()
        candidates_scope = scope.subtree_condition(actor)
    taken = sa.select(Mentorship.mentor_id).where(
        Mentorship.apprentice_id == apprentice.id, Mentorship.status.in_(OPEN_STATUSES)
    )
    mentors = db.session.scalars(
        sa.select(User)
        .join(User.organization)
        .where(
            User.role_rows.any(UserRole.role == Role.mentor),
            User.active,
            User.id != apprentice.id,
            User.id.not_in(taken),
            candidates_scope,
        )
        .options(selectinload(User.honors))
    ).all()
    ids = [m.id for m in mentors]
    load_of = loads(ids)
    capacity_of = capacities(ids)
    apprentice_rank = SKILL_ORDER.get(apprentice.skill_level, 0) if apprentice.skill_level else 0
    result = []
    for mentor in mentors:
        load, capacity = load_of[mentor.id], capacity_of[mentor.id]
        if load >= capacity:
            continue
        score, reasons = 0, []
        if apprentice.trade and mentor.trade == apprentice.trade:
            score += 1000
            reasons.append(_("同工种（%(trade)s）", trade=mentor.trade))
        elif mentor.trade:
            reasons.append(_("工种不同（%(trade)s）", trade=mentor.trade))
        if mentor.skill_level:
            from lms.accounts.labels import SKILL_LABELS

            rank = SKILL_ORDER[mentor.skill_level]
            score += rank * 20
            reasons.append(_("技能等级：%(level)s", level=SKILL_LABELS[mentor.skill_level]))
            if rank <= apprentice_rank:
                score -= 200
                reasons.append(_("技能等级不高于徒弟"))
        if mentor.honors:
            points = sum(_HONOR_POINTS.get(h.level, 0) for h in mentor.honors)
            score += min(points, 80)
            best = max(mentor.honors, key=lambda h: _HONOR_POINTS.get(h.level, 0))
            title = best.title or (
                _("劳动模范") if best.kind == HonorKind.model_worker else _("荣誉称号")
            )
            reasons.append(_("荣誉：%(title)s 等 %(n)d 项", title=title, n=len(mentor.honors)))
        if mentor.organization_id == apprentice.organization_id:
            score += 60
            reasons.append(_("同车间：%(org)s", org=mentor.organization.name))
        elif _enterprise_key(mentor.organization) == _enterprise_key(apprentice.organization):
            score += 30
            reasons.append(_("同企业"))
        spare = capacity - load
        score += spare * 5
        reasons.append(_("在带 %(load)d / %(capacity)d 名", load=load, capacity=capacity))
        result.append(Suggestion(mentor, score, load, capacity, reasons))
    result.sort(key=lambda s: (-s.score, s.mentor.name, s.mentor.id))
    return result[:limit]


# --- goals -----------------------------------------------------------------------------------


def _goal_fields(skill=None, target_date=None, description=None, status=None, partial=False):
    errors, values = {}, {}
    if skill is not None or not partial:
        skill = (skill or "").strip()
        if not skill or len(skill) > 120:
            errors["skill"] = [_("请填写要掌握的技能（120 字以内）。")]
        values["skill"] = skill
    if target_date is not None or not partial:
        values["target_date"] = target_date
    if description is not None:
        if len(description) > 2000:
            errors["description"] = [_("说明不能超过 2000 字。")]
        values["description"] = description.strip() or None
    if status is not None:
        try:
            values["status"] = GoalStatus(status)
        except ValueError:
            errors["status"] = [_("目标状态不正确。")]
    if errors:
        raise Invalid(errors=errors)
    return values


def _add_goal(mentorship: Mentorship, **fields) -> Goal:
    goal = Goal(mentorship=mentorship, **_goal_fields(**fields))
    db.session.add(goal)
    return goal


def _require_goal_editor(actor: User, mentorship: Mentorship) -> None:
    if not roles_in(actor, mentorship):
        raise NotFound()
    if mentorship.status in (S.completed, S.cancelled):
        raise Conflict(_("师徒关系已结束，目标不能再修改。"))


def add_goal(actor: User, mentorship: Mentorship, **fields) -> Goal:
    _require_goal_editor(actor, mentorship)
    goal = _add_goal(mentorship, **fields)
    db.session.commit()
    return goal


def get_goal(actor: User, goal_id: int) -> Goal:
    goal = db.session.get(Goal, goal_id)
    if goal is None or not roles_in(actor, goal.mentorship):
        raise NotFound()
    return goal


def update_goal(actor: User, goal: Goal, **fields) -> Goal:
    _require_goal_editor(actor, goal.mentorship)
    values = _goal_fields(partial=True, **fields)
    for key, value in values.items():
        setattr(goal, key, value)
    if values.get("status") == GoalStatus.achieved and goal.achieved_at is None:
        goal.achieved_at = utcnow()
    elif "status" in values and values["status"] != GoalStatus.achieved:
        goal.achieved_at = None
    db.session.commit()
    return goal


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
    """The mentor records one session; it waits for the apprentice's confirmation."""
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
    if client_token:
        existing = db.session.scalar(
            sa.select(MentorLog).where(
                MentorLog.mentorship_id == mentorship.id, MentorLog.client_token == client_token
            )
        )
        if existing is not None:
            return existing  # the same form sent twice
    errors: dict[str, list[str]] = {}
    today = local_today()
    if session_date is None:
        errors["session_date"] = [_("请填写带徒日期。")]
    elif session_date > today:
        errors["session_date"] = [_("带徒日期不能晚于今天。")]
    elif session_date < mentorship.start_date:
        errors["session_date"] = [
            _("带徒日期不能早于师徒关系开始日期 %(d)s。", d=mentorship.start_date.isoformat())
        ]
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
    if client_token and len(client_token) > 64:
        errors["client_token"] = [_("格式不正确。")]
    if errors:
        raise Invalid(errors=errors)
    files = files or []
    _check_uploads(files)
    log = MentorLog(
        mentorship_id=mentorship.id,
        mentor_id=mentorship.mentor_id,
        session_date=session_date,
        minutes=minutes,
        kind=kind,
        topic=topic,
        skills=skills,
        notes=notes,
        status=LogStatus.submitted,
        client_token=client_token or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(log)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(
            sa.select(MentorLog).where(
                MentorLog.mentorship_id == mentorship.id, MentorLog.client_token == client_token
            )
        )
        if existing is not None:
            return existing
        raise
    written = []
    try:
        for f in files:
            name = storage.save(f.data)
            written.append(name)
            db.session.add(
                LogAttachment(
                    log=log,
                    filename=f.filename[-255:],
                    stored_name=name,
                    content_type=f.content_type or "application/octet-stream",
                    size=len(f.data),
                )
            )
        db.session.flush()
        mentor_log_submitted.send(
            current_app._get_current_object(),
            log_id=log.id,
            mentorship_id=mentorship.id,
            mentor_id=mentorship.mentor_id,
            apprentice_id=mentorship.apprentice_id,
            url=_path("mentorship.apprentice_dashboard", "/my-mentor") + f"#log-{log.id}",
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        for name in written:
            storage.delete(name)
        raise
    return log


def get_log(actor: User, log_id: int, *, lock: bool = False) -> MentorLog:
    log = _load(MentorLog, log_id, lock)
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
    mentor_log_disputed.send(
        current_app._get_current_object(),
        log_id=log.id,
        mentorship_id=log.mentorship_id,
        mentor_id=log.mentor_id,
        apprentice_id=log.mentorship.apprentice_id,
        organization_id=log.mentorship.organization_id,
        reason=reason,
        url=_path("mentorship.disputes", "/mentorships/disputes"),
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


# --- graduation ------------------------------------------------------------------------------


def record_assessment(
    actor: User, mentorship: Mentorship, text: str | None, *, early: bool = False
) -> Mentorship:
    """The mentor writes the final assessment; graduation then waits for the officer."""
    mentorship = _relock(actor, mentorship)
    if actor.id != mentorship.mentor_id:
        raise Forbidden(_("出师评价由师傅填写。"))
    if mentorship.status != S.active:
        raise Conflict(_("只有带徒中的师徒关系可以填写出师评价。"))
    text = (text or "").strip()
    if len(text) < 5 or len(text) > 4000:
        raise Invalid(errors={"final_assessment": [_("请填写出师评价（5 到 4000 字）。")]})
    mentorship.final_assessment = text
    mentorship.assessed_at = utcnow()
    mentorship.early_graduation = bool(early) and local_today() < mentorship.planned_end
    _record(mentorship, actor, S.active, S.active, _("师傅已填写出师评价"))
    db.session.commit()
    return mentorship


def approve_graduation(actor: User, mentorship: Mentorship, *, early: bool = False) -> Mentorship:
    """The officer approves graduation (出师); before the planned end only when ``early``."""
    mentorship = _relock(actor, mentorship)
    if "officer" not in roles_in(actor, mentorship):
        raise Forbidden(_("出师由培训专员审批。"))
    if mentorship.status != S.active:
        message = _(
            "只有带徒中的师徒关系可以出师，当前状态：%(s)s。",
            s=label(STATUS_LABELS, mentorship.status),
        )
        raise Conflict(message)
    if not mentorship.final_assessment:
        raise Invalid(
            _("师傅尚未填写出师评价。"),
            errors={"final_assessment": [_("师傅尚未填写出师评价。")]},
        )
    is_early = local_today() < mentorship.planned_end
    if is_early and not early:
        message = _(
            "计划出师日期为 %(d)s，提前出师需勾选“同意提前出师”。",
            d=mentorship.planned_end.isoformat(),
        )
        raise Invalid(message, errors={"early": [message]})
    now = utcnow()
    mentorship.early_graduation = is_early
    mentorship.graduation_approved_by_id = actor.id
    mentorship.graduation_approved_at = now
    _move(mentorship, actor, S.completed, _("提前出师") if is_early else _("期满出师"))
    db.session.flush()
    mentorship_completed.send(
        current_app._get_current_object(),
        mentorship_id=mentorship.id,
        mentor_id=mentorship.mentor_id,
        apprentice_id=mentorship.apprentice_id,
        completed_at=now,
        title=(
            _(
                "%(programme)s · 师从%(mentor)s",
                programme=mentorship.programme.name,
                mentor=mentorship.mentor.name,
            )
            if mentorship.programme
            else _("师从%(mentor)s 传帮带", mentor=mentorship.mentor.name)
        ),
    )
    db.session.commit()
    return mentorship


# --- dashboards ------------------------------------------------------------------------------


def _month_start(today: date) -> date:
    return today.replace(day=1)


def _counted_condition():
    return sa.or_(
        MentorLog.status == LogStatus.confirmed,
        sa.and_(MentorLog.status == LogStatus.resolved, MentorLog.resolution == Resolution.upheld),
    )


@dataclass
class ApprenticeRow:
    mentorship: Mentorship
    month_minutes: int = 0
    month_confirmed_minutes: int = 0
    waiting: int = 0
    last_log: date | None = None
    idle: bool = False


def mentor_dashboard(mentor: User, idle_days: int = 14) -> dict:
    """What a mentor sees: apprentices, this month's hours, logs waiting, quiet apprentices.

    A fixed number of queries whatever the number of apprentices and logs.
    """
    today = local_today()
    month_start = _month_start(today)
    mentorships = db.session.scalars(
        sa.select(Mentorship)
        .where(Mentorship.mentor_id == mentor.id, Mentorship.status.in_(OPEN_STATUSES))
        .options(
            joinedload(Mentorship.apprentice).lazyload(User.role_rows),
            joinedload(Mentorship.programme),
        )
        .order_by(Mentorship.start_date, Mentorship.id)
    ).all()
    rows = {m.id: ApprenticeRow(m) for m in mentorships}
    if rows:
        in_month = MentorLog.session_date >= month_start
        stats = db.session.execute(
            sa.select(
                MentorLog.mentorship_id,
                sa.func.coalesce(sa.func.sum(sa.case((in_month, MentorLog.minutes), else_=0)), 0),
                sa.func.coalesce(
                    sa.func.sum(
                        sa.case(
                            (sa.and_(in_month, _counted_condition()), MentorLog.minutes), else_=0
                        )
                    ),
                    0,
                ),
                sa.func.coalesce(
                    sa.func.sum(sa.case((MentorLog.status == LogStatus.submitted, 1), else_=0)), 0
                ),
                sa.func.max(MentorLog.session_date),
            )
            .where(MentorLog.mentorship_id.in_(list(rows)))
            .group_by(MentorLog.mentorship_id)
        ).all()
        for mentorship_id, month, month_confirmed, waiting, last in stats:
            row = rows[mentorship_id]
            row.month_minutes, row.month_confirmed_minutes = month, month_confirmed
            row.waiting, row.last_log = waiting, last
    cutoff = today - timedelta(days=idle_days)
    for row in rows.values():
        since = row.last_log or row.mentorship.start_date
        row.idle = row.mentorship.status == S.active and since < cutoff
    waiting_logs = db.session.scalars(
        sa.select(MentorLog)
        .where(
            MentorLog.mentor_id == mentor.id,
            MentorLog.status.in_([LogStatus.submitted, LogStatus.disputed]),
        )
        .options(
            joinedload(MentorLog.mentorship)
            .joinedload(Mentorship.apprentice)
            .lazyload(User.role_rows)
        )
        .order_by(MentorLog.session_date.desc(), MentorLog.id.desc())
        .limit(20)
    ).all()
    all_rows = list(rows.values())
    return {
        "rows": all_rows,
        "active": [r for r in all_rows if r.mentorship.status == S.active],
        "proposed": [r for r in all_rows if r.mentorship.status == S.proposed],
        "month_hours": round(sum(r.month_minutes for r in all_rows) / 60, 1),
        "month_confirmed_hours": round(sum(r.month_confirmed_minutes for r in all_rows) / 60, 1),
        "waiting_logs": waiting_logs,
        "idle": [r for r in all_rows if r.idle],
        "idle_days": idle_days,
    }


def apprentice_dashboard(user: User) -> dict:
    """What an apprentice sees: their mentor(s), goals, confirmed hours, logs to confirm."""
    mentorships = db.session.scalars(
        sa.select(Mentorship)
        .where(Mentorship.apprentice_id == user.id)
        .options(
            joinedload(Mentorship.mentor).lazyload(User.role_rows),
            joinedload(Mentorship.programme),
            selectinload(Mentorship.goals),
        )
        .order_by(Mentorship.id.desc())
    ).all()
    to_confirm = db.session.scalars(
        sa.select(MentorLog)
        .join(Mentorship, MentorLog.mentorship_id == Mentorship.id)
        .where(Mentorship.apprentice_id == user.id, MentorLog.status == LogStatus.submitted)
        .options(selectinload(MentorLog.attachments))
        .order_by(MentorLog.session_date.desc(), MentorLog.id.desc())
    ).all()
    open_ones = [m for m in mentorships if m.is_open]
    return {
        "current": open_ones,
        "past": [m for m in mentorships if not m.is_open],
        "confirmed_hours": round(sum(m.confirmed_minutes for m in mentorships) / 60, 1),
        "to_confirm": to_confirm,
    }


def export_rows(actor: User, filters: MentorshipFilter | None = None):
    from lms.accounts.masking import mask_mobile

    scope.require_officer(actor)
    stmt = mentorships_query(actor, filters).options(joinedload(Mentorship.organization))
    for m in db.session.scalars(stmt).unique():
        yield [
            m.id,
            m.programme.name if m.programme else "",
            m.mentor.name,
            m.mentor.employee_no,
            mask_mobile(m.mentor.mobile),
            m.apprentice.name,
            m.apprentice.employee_no,
            mask_mobile(m.apprentice.mobile),
            m.organization.name,
            label(STATUS_LABELS, m.status),
            m.start_date.isoformat(),
            m.planned_end.isoformat(),
            m.confirmed_hours,
            _("是") if m.early_graduation else "",
            m.graduation_approved_at.date().isoformat() if m.graduation_approved_at else "",
        ]


EXPORT_HEADERS = [
    _l("编号"),
    _l("带徒项目"),
    _l("师傅"),
    _l("师傅工号"),
    _l("师傅手机号"),
    _l("徒弟"),
    _l("徒弟工号"),
    _l("徒弟手机号"),
    _l("徒弟单位"),
    _l("状态"),
    _l("开始日期"),
    _l("计划出师日期"),
    _l("已确认学时"),
    _l("提前出师"),
    _l("出师审批日期"),
]


def open_pairings(apprentice: User) -> list[Mentorship]:
    """The apprentice's pairings still open, so an officer sees them before pairing again."""
    return db.session.scalars(
        sa.select(Mentorship)
        .where(Mentorship.apprentice_id == apprentice.id, Mentorship.status.in_(OPEN_STATUSES))
        .options(joinedload(Mentorship.mentor).lazyload(User.role_rows))
        .order_by(Mentorship.id)
    ).all()


def users_for_pairing(actor: User, q: str | None) -> list[User]:
    """Workers in the officer's scope matching a name or employee number (for the picker)."""
    scope.require_officer(actor)
    if not q or not q.strip():
        return []
    like = f"%{q.strip()}%"
    return db.session.scalars(
        sa.select(User)
        .join(User.organization)
        .where(
            scope.subtree_condition(actor),
            User.active,
            User.role_rows.any(UserRole.role == Role.worker),
            sa.or_(User.name.like(like), User.employee_no == q.strip()),
        )
        .order_by(User.name)
        .limit(20)
    ).all()


def get_person(actor: User, user_id: int | None, field_name: str) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not scope.can_view_user(actor, user):
        raise Invalid(errors={field_name: [_("找不到此人，或不在您的管理范围内。")]})
    return user


def get_mentor_for_request(mentor_id: int | None) -> User:
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    if mentor is None or not mentor.active or Role.mentor not in mentor.roles:
        raise Invalid(errors={"mentor_id": [_("请选择一位在岗导师。")]})
    return mentor


def quiet_mentorships(idle_days: int, today: date | None = None) -> list[tuple[Mentorship, date]]:
    """Active pairings with no log for ``idle_days``: the pairing and the day it went quiet.

    One query, for the reminder scan; the mentor dashboard shows the same rule per mentor.
    """
    today = today or local_today()
    last_log = (
        sa.select(MentorLog.mentorship_id, sa.func.max(MentorLog.session_date).label("last"))
        .group_by(MentorLog.mentorship_id)
        .subquery()
    )
    since = sa.func.coalesce(last_log.c.last, Mentorship.start_date)
    rows = db.session.execute(
        sa.select(Mentorship, since)
        .outerjoin(last_log, last_log.c.mentorship_id == Mentorship.id)
        .where(Mentorship.status == S.active, since < today - timedelta(days=idle_days))
        .options(joinedload(Mentorship.apprentice).lazyload(User.role_rows))
    ).all()
    return [(mentorship, quiet_since) for mentorship, quiet_since in rows]
