"""The life of a pairing: an officer pairs or an apprentice asks, both sign, it is paused,
resumed or cancelled, and the mentor's assessment and the officer's approval graduate it
(``mentorship_proposed`` and ``mentorship_completed`` announce it)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms import signals
from lms.accounts import scope
from lms.accounts.models import Role, User, UserRole
from lms.audit import services as audit
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.mentorship.labels import STATUS_LABELS, label
from lms.mentorship.models import (
    OPEN_STATUSES,
    Mentorship,
    MentorshipEvent,
    MentorshipStatus,
    Programme,
)

# (from, to) → who may make the move. Activation happens when both have signed (``sign``)
# and completion when an officer approves graduation (``approve_graduation``).
from lms.mentorship.services.access import local_today, page_path, relock, roles_in
from lms.mentorship.services.capacity import check_capacity, lock_mentor
from lms.mentorship.services.goals import add_goal_row

S = MentorshipStatus


TRANSITIONS: dict[tuple[MentorshipStatus, MentorshipStatus], frozenset[str]] = {
    (S.proposed, S.cancelled): frozenset({"officer", "mentor", "apprentice"}),
    (S.active, S.paused): frozenset({"officer", "mentor"}),
    (S.paused, S.active): frozenset({"officer", "mentor"}),
    (S.active, S.cancelled): frozenset({"officer"}),
    (S.paused, S.cancelled): frozenset({"officer"}),
}


def default_agreement(mentor: User, apprentice: User) -> str:
    return _(
        "师傅%(mentor)s与徒弟%(apprentice)s自愿结为师徒。师傅毫无保留地传授技艺，"
        "按计划开展岗位带教、操作示范和实操练习，如实记录每次带徒；徒弟虚心学习、"
        "勤学苦练，及时确认带徒记录，按期完成学习目标。带徒期满经考核合格，报培训专员审批出师。",
        mentor=mentor.name,
        apprentice=apprentice.name,
    )


# --- pairing ---------------------------------------------------------------------------------


def record_event(
    mentorship: Mentorship, actor: User | None, before, after, note: str | None = None
):
    db.session.add(
        MentorshipEvent(
            mentorship=mentorship,
            actor_id=actor.id if actor else None,
            from_status=before,
            to_status=after,
            note=(note or None) and note[:500],
        )
    )


def move(mentorship: Mentorship, actor: User, to: MentorshipStatus, note: str | None = None):
    before = mentorship.status
    mentorship.status = to
    record_event(mentorship, actor, before, to, note)
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


def _announce_proposed(mentorship: Mentorship) -> None:
    url = page_path(
        "mentorship.detail", f"/mentorships/{mentorship.id}", mentorship_id=mentorship.id
    )
    signals.emit(
        signals.mentorship_proposed,
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
    record_event(mentorship, actor, None, S.proposed, _("培训专员结对"))
    for goal in goals or []:
        add_goal_row(mentorship, **goal)
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
    profile = lock_mentor(mentor.id)
    check_capacity(mentor, profile)
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
    record_event(mentorship, apprentice, None, S.proposed, note or _("徒弟申请拜师"))
    db.session.flush()
    _announce_proposed(mentorship)
    db.session.commit()
    return mentorship


def sign(actor: User, mentorship: Mentorship) -> Mentorship:
    """Mentor or apprentice signs the agreement; once both have, the pairing is active."""
    mentorship = relock(actor, mentorship)
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
        profile = lock_mentor(mentorship.mentor_id)
        check_capacity(mentorship.mentor, profile, exclude_id=mentorship.id)
        move(mentorship, actor, S.active, _("双方已签署带徒协议"))
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
    mentorship = relock(actor, mentorship)
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
        profile = lock_mentor(mentorship.mentor_id)
        check_capacity(mentorship.mentor, profile, exclude_id=mentorship.id)
    move(mentorship, actor, to, note)
    db.session.commit()
    return mentorship


# --- graduation ------------------------------------------------------------------------------


def record_assessment(
    actor: User, mentorship: Mentorship, text: str | None, *, early: bool = False
) -> Mentorship:
    """The mentor writes the final assessment; graduation then waits for the officer."""
    mentorship = relock(actor, mentorship)
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
    record_event(mentorship, actor, S.active, S.active, _("师傅已填写出师评价"))
    db.session.commit()
    return mentorship


def approve_graduation(actor: User, mentorship: Mentorship, *, early: bool = False) -> Mentorship:
    """The officer approves graduation (出师); before the planned end only when ``early``."""
    mentorship = relock(actor, mentorship)
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
    move(mentorship, actor, S.completed, _("提前出师") if is_early else _("期满出师"))
    db.session.flush()
    signals.emit(
        signals.mentorship_completed,
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


def get_person(actor: User, user_id: int | None) -> User:
    """Someone an officer names for a pairing. Only officers pair (403 for anyone else); a
    person outside the officer's scope is not found (404), like one who does not exist."""
    scope.require_officer(actor)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not scope.can_view_user(actor, user):
        raise NotFound(_("找不到此人，或不在您的管理范围内。"))
    return user


def get_mentor_for_request(mentor_id: int | None) -> User:
    """The mentor an apprentice asks for: an active mentor, else not found (404)."""
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    if mentor is None or not mentor.active or Role.mentor not in mentor.roles:
        raise NotFound(_("没有找到这位在岗导师。"))
    return mentor
