"""Skill-level changes (职业技能等级): a person rising from one level to another on a date,
with its evidence (certificate number, issuing body), recorded by an officer in scope.

The person's current level (``User.skill_level``) follows the latest change by date, so the
record and the level never disagree; "high-skill workers trained" is counted from these rows.
Each record is announced to the audit log with before and after.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.labels import SKILL_LABELS
from lms.accounts.models import SkillChange, SkillLevel, User
from lms.accounts.signals import account_changed
from lms.errors import Conflict, Forbidden, Invalid
from lms.extensions import db
from lms.signals import emit
from lms.timeutil import local_zone


def may_record(actor: User, person: User) -> bool:
    return (scope.is_officer(actor) or scope.is_admin(actor)) and scope.can_manage_user(
        actor, person
    )


def require_recorder(actor: User, person: User) -> None:
    if not may_record(actor, person):
        raise Forbidden(_("只有此人所在单位范围内的培训专员可以登记技能等级变化。"))


def changes_of(actor: User, person: User) -> list[SkillChange]:
    """The person's changes, newest first: the person, and officers in scope."""
    if actor.id != person.id:
        require_recorder(actor, person)
    return list(
        db.session.scalars(
            sa.select(SkillChange)
            .where(SkillChange.user_id == person.id)
            .order_by(SkillChange.changed_on.desc(), SkillChange.id.desc())
        )
    )


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, errors={field: [message]})


def record_change(
    actor: User,
    person: User,
    *,
    to_level: SkillLevel | str,
    changed_on: date,
    certificate_no: str,
    issuing_body: str,
) -> SkillChange:
    require_recorder(actor, person)
    try:
        to_level = SkillLevel(to_level)
    except ValueError as exc:
        raise _invalid("to_level", _("请选择一个技能等级。")) from exc
    certificate_no, issuing_body = certificate_no.strip(), issuing_body.strip()
    if not certificate_no:
        raise _invalid("certificate_no", _("请填写证书编号，技能等级以证书为凭。"))
    if not issuing_body:
        raise _invalid("issuing_body", _("请填写发证机构，例如：市职业技能鉴定中心。"))
    if changed_on > datetime.now(local_zone()).date():
        raise _invalid("changed_on", _("取证日期不能晚于今天。"))
    # One change of a person at a time: two officers recording at once must not each miss
    # the other's row when they work out the level before and the level now.
    db.session.execute(sa.select(User.id).where(User.id == person.id).with_for_update())
    # The level held just before that date: the latest earlier change, else today's level
    # when nothing was recorded before (the level the person came with).
    earlier = db.session.scalar(
        sa.select(SkillChange.to_level)
        .where(SkillChange.user_id == person.id, SkillChange.changed_on <= changed_on)
        .order_by(SkillChange.changed_on.desc(), SkillChange.id.desc())
        .limit(1)
    )
    from_level = earlier if earlier is not None else person.skill_level
    if from_level == to_level:
        raise _invalid(
            "to_level",
            _("此人在该日期已是%(level)s，无需登记。", level=SKILL_LABELS[to_level]),
        )
    change = SkillChange(
        user_id=person.id,
        from_level=from_level,
        to_level=to_level,
        changed_on=changed_on,
        certificate_no=certificate_no,
        issuing_body=issuing_body,
        recorded_by_id=actor.id,
    )
    db.session.add(change)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            _("该发证机构的这个证书编号已经登记过，请核对证书编号。"),
            errors={"certificate_no": [_("证书编号已登记。")]},
        ) from exc
    before = person.skill_level
    latest = db.session.scalar(
        sa.select(SkillChange.to_level)
        .where(SkillChange.user_id == person.id)
        .order_by(SkillChange.changed_on.desc(), SkillChange.id.desc())
        .limit(1)
    )
    person.skill_level = latest
    emit(
        account_changed,
        action="skill.change",
        actor_id=actor.id,
        entity_type="user",
        entity_id=person.id,
        organization_id=person.organization_id,
        before={"skill_level": str(before) if before else None},
        after={
            "skill_level": str(latest),
            "from_level": str(from_level) if from_level else None,
            "to_level": str(to_level),
            "changed_on": changed_on.isoformat(),
            "certificate_no": certificate_no,
            "issuing_body": issuing_body,
        },
        summary=f"{person.name} {SKILL_LABELS[to_level]} {changed_on.isoformat()}",
    )
    db.session.commit()
    return change
