"""People: finding them, adding them, and changing their accounts, roles and honours.

Every change to someone else's account goes through :func:`scope.require_account_manager`
(officers manage workers and mentors in their subtree; officers and admins are managed by
admins only). Changes the audit log keeps are announced with ``account_changed`` and
``roles_changed``; exports of people with ``people_exported``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.labels import ROLE_LABELS, SKILL_LABELS
from lms.accounts.models import Honor, Organization, Role, SkillLevel, User, UserRole
from lms.accounts.passwords import hash_password
from lms.accounts.services.sessions import end_all_sessions
from lms.accounts.services.signin import validate_password_strength
from lms.accounts.services.tokens import revoke_all_api_tokens
from lms.accounts.signals import account_changed, people_exported
from lms.core.tabular import xlsx_bytes
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import emit, roles_changed


@dataclass
class UserFilter:
    q: str | None = None
    organization_id: int | None = None
    role: str | None = None
    trade: str | None = None
    skill_level: str | None = None


def users_query(actor: User, filters: UserFilter | None = None) -> sa.Select:
    """People the actor may see, newest first, with optional search and filters."""
    filters = filters or UserFilter()
    stmt = (
        sa.select(User)
        .join(User.organization)
        .options(selectinload(User.role_rows), selectinload(User.honors))
    )
    if scope.is_admin(actor):
        pass
    elif scope.is_officer(actor):
        stmt = stmt.where(Organization.path.startswith(actor.organization.path))
    else:
        stmt = stmt.where(User.id == actor.id)
    if filters.q:
        like = f"%{filters.q.strip()}%"
        stmt = stmt.where(
            sa.or_(
                User.name.like(like), User.employee_no.like(like), User.mobile == filters.q.strip()
            )
        )
    if filters.organization_id:
        org = db.session.get(Organization, filters.organization_id)
        if org is None:
            raise Invalid(errors={"organization_id": [_("单位不存在。")]})
        stmt = stmt.where(Organization.path.startswith(org.path))
    if filters.role:
        stmt = stmt.where(User.role_rows.any(UserRole.role == Role(filters.role)))
    if filters.trade:
        stmt = stmt.where(User.trade == filters.trade)
    if filters.skill_level:
        stmt = stmt.where(User.skill_level == SkillLevel(filters.skill_level))
    return stmt.order_by(User.id.desc())


def get_user(actor: User, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not scope.can_view_user(actor, user):
        raise NotFound()
    return user


def export_people(actor: User, filters: UserFilter | None = None) -> bytes:
    """The people list as XLSX (no mobiles or ID numbers); the export is audited."""
    scope.require_officer(actor)
    people = list(db.session.scalars(users_query(actor, filters)))
    headers = [_("工号"), _("姓名"), _("单位"), _("工种"), _("技能等级"), _("角色")]
    rows = [
        [
            user.employee_no,
            user.name,
            user.organization.name,
            user.trade or "",
            str(SKILL_LABELS[user.skill_level]) if user.skill_level else "",
            "、".join(str(ROLE_LABELS[r]) for r in sorted(user.roles)),
        ]
        for user in people
    ]
    content = xlsx_bytes(_("人员名单"), headers, rows)
    organization_id = (filters.organization_id if filters else None) or (
        None if scope.is_admin(actor) else actor.organization_id
    )
    emit(
        people_exported,
        actor_id=actor.id,
        what="people",
        organization_id=organization_id,
        rows=len(rows),
    )
    db.session.commit()
    return content


def _check_unique(employee_no: str | None, mobile: str | None, exclude_id: int | None = None):
    errors: dict[str, list[str]] = {}
    for field, column, value in (
        ("employee_no", User.employee_no, employee_no),
        ("mobile", User.mobile, mobile),
    ):
        if not value:
            continue
        stmt = sa.select(User.id).where(column == value)
        if exclude_id:
            stmt = stmt.where(User.id != exclude_id)
        if db.session.scalar(stmt):
            errors[field] = [_("已被其他账号使用。")]
    if errors:
        raise Conflict(errors=errors)


def _snapshot(user: User) -> dict:
    return {
        "name": user.name,
        "employee_no": user.employee_no,
        "organization_id": user.organization_id,
        "trade": user.trade,
        "skill_level": str(user.skill_level) if user.skill_level else None,
        "roles": sorted(str(r) for r in user.roles),
        "active": user.active,
    }


def _announce(action: str, actor: User | None, user: User, **fields) -> None:
    emit(
        account_changed,
        action=action,
        actor_id=actor.id if actor else None,
        entity_type="user",
        entity_id=user.id,
        organization_id=user.organization_id,
        before=fields.get("before"),
        after=fields.get("after"),
        summary=fields.get("summary", f"{user.name} {user.employee_no}"),
    )


def create_user(
    actor: User | None,
    *,
    organization: Organization,
    roles=(Role.worker,),
    password: str,
    commit: bool = True,
    **fields,
) -> User:
    roles = [Role(r) for r in dict.fromkeys(roles)]
    if actor is not None:
        scope.require_org_in_scope(actor, organization)
    scope.require_may_grant(actor, roles)
    _check_unique(fields.get("employee_no"), fields.get("mobile"))
    user = User(organization=organization, password_hash=hash_password(password), **fields)
    user.role_rows = [UserRole(role=r) for r in roles]
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        _announce("user.create", actor, user, after=_snapshot(user))
    if commit:
        db.session.commit()
    return user


_EDITABLE = ("name", "mobile", "email", "trade", "skill_level", "bio", "id_number")
_OWN_EDITABLE = {"mobile", "email", "bio"}


def update_user(actor: User, user: User, **changes) -> User:
    """Officers and admins edit the accounts they manage; everyone edits their own contact
    details and bio (officers and admins all of their own details)."""
    own = actor.id == user.id
    if not own:
        scope.require_account_manager(actor, user)
    allowed = set(_EDITABLE) if not own or scope.is_officer(actor) else _OWN_EDITABLE
    before = _snapshot(user)
    if "organization_id" in changes:
        org = db.session.get(Organization, changes.pop("organization_id"))
        if org is None or not scope.org_in_scope(actor, org):
            raise Invalid(errors={"organization_id": [_("只能调入您管理范围内的单位。")]})
        user.organization = org
    active = changes.pop("active", None) if not own else None
    unknown = set(changes) - allowed
    if unknown:
        raise Forbidden(_("您不能修改这些字段：%(fields)s", fields=", ".join(sorted(unknown))))
    _check_unique(None, changes.get("mobile"), exclude_id=user.id)
    for key, value in changes.items():
        setattr(user, key, value)
    if active is not None and bool(active) != user.active:
        user.active = bool(active)
        if not user.active:
            end_all_sessions(user)
    db.session.flush()
    if not own:
        action = "user.update"
        if before["active"] != user.active:
            action = "user.activate" if user.active else "user.deactivate"
        _announce(action, actor, user, before=before, after=_snapshot(user))
    db.session.commit()
    return user


def set_roles(actor: User, user: User, roles: set[Role | str]) -> User:
    """Change someone's roles; announced with ``roles_changed`` (the audit log keeps it)."""
    roles = {Role(r) for r in roles}
    scope.require_account_manager(actor, user)
    if not roles:
        raise Invalid(errors={"roles": [_("至少保留一个角色。")]})
    before = user.roles
    scope.require_may_grant(actor, roles ^ before)
    if actor.id == user.id and Role.admin in before and Role.admin not in roles:
        raise Invalid(errors={"roles": [_("不能收回自己的管理员角色，请由另一位管理员操作。")]})
    if roles == before:
        return user
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [
        UserRole(role=r) for r in roles - before
    ]
    db.session.flush()
    emit(
        roles_changed,
        user_id=user.id,
        actor_id=actor.id,
        roles_before=sorted(before),
        roles_after=sorted(roles),
    )
    db.session.commit()
    return user


def reset_password(actor: User, user: User, new_password: str) -> None:
    """Account recovery by an officer or admin: a new initial password, which the person
    must change at their next sign-in. Every device is signed out and every personal API
    token revoked."""
    scope.require_account_manager(actor, user)
    validate_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.locked_until = None
    user.failed_logins = 0
    sessions = end_all_sessions(user)
    tokens = revoke_all_api_tokens(user)
    _announce(
        "user.password_reset",
        actor,
        user,
        after={"sessions_revoked": sessions, "tokens_revoked": tokens},
    )
    db.session.commit()


# --- honours -------------------------------------------------------------------------------


def add_honor(actor: User, user: User, **fields) -> Honor:
    scope.require_account_manager(actor, user)
    honor = Honor(user=user, **fields)
    db.session.add(honor)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise Conflict(_("此人已有同一年份、同一级别的该项荣誉。")) from exc
    _announce(
        "honor.add",
        actor,
        user,
        after={"kind": str(honor.kind), "level": str(honor.level), "year": honor.year},
        summary=f"{user.name} {honor.year}",
    )
    db.session.commit()
    return honor


def confer_honor(
    user_id: int,
    kind: str,
    level: str,
    year: int,
    *,
    title: str | None = None,
    citation: str | None = None,
    actor: User | None = None,
) -> Honor:
    """An honour conferred by a process (a contest's titles after their public notice), not
    typed in by an officer: no scope check, no commit (it joins the caller's transaction).
    Idempotent: the person's honour of that kind, level and year is returned if it exists."""
    found = db.session.scalar(
        sa.select(Honor).where(
            Honor.user_id == user_id, Honor.kind == kind, Honor.level == level, Honor.year == year
        )
    )
    if found is not None:
        return found
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    honor = Honor(
        user_id=user_id, kind=kind, level=level, year=year, title=title, citation=citation
    )
    try:
        with db.session.begin_nested():
            db.session.add(honor)
            db.session.flush()
    except sa.exc.IntegrityError:
        return db.session.scalar(
            sa.select(Honor).where(
                Honor.user_id == user_id,
                Honor.kind == kind,
                Honor.level == level,
                Honor.year == year,
            )
        )
    _announce(
        "honor.conferred",
        actor,
        user,
        after={"kind": str(kind), "level": str(level), "year": year, "title": title or ""},
        summary=f"{user.name} {year} {title or ''}".strip(),
    )
    return honor


def mentors_with_honors() -> sa.Select:
    """Mentors in public view, most decorated first (their profile pages are public)."""
    honor_count = (
        sa.select(sa.func.count(Honor.id))
        .where(Honor.user_id == User.id)
        .correlate(User)
        .scalar_subquery()
    )
    return (
        sa.select(User)
        .where(User.role_rows.any(UserRole.role == Role.mentor), User.active)
        .options(selectinload(User.honors))
        .order_by(honor_count.desc(), User.name)
    )


def get_public_mentor(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.active or Role.mentor not in user.roles:
        raise NotFound()
    return user
