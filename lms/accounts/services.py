"""The rules for people and organizations. UI, API, CLI and tasks all come through here."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request, session
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import principal, scope
from lms.accounts.models import (
    ApiToken,
    Honor,
    Organization,
    OrgKind,
    Role,
    SkillLevel,
    User,
    UserRole,
)
from lms.accounts.passwords import burn_time, hash_password, needs_rehash, verify_password
from lms.audit import services as audit
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.signals import roles_changed

# --- sign-in -------------------------------------------------------------------------------


class LoginFailed(Invalid):
    code = "login_failed"


def find_by_login(login: str) -> User | None:
    """Workers sign in with their employee number or their mobile number."""
    login = login.strip()
    if not login:
        return None
    return db.session.scalar(
        sa.select(User).where(sa.or_(User.employee_no == login, User.mobile == login))
    )


def authenticate(login: str, password: str) -> User:
    """Check a login; count failures and lock the account after too many.

    Raises LoginFailed with a message the person can act on. The message for an
    unknown account and a wrong password is the same, so numbers cannot be probed.
    """
    user = find_by_login(login)
    now = utcnow()
    if user is None:
        burn_time(password)
        raise LoginFailed(_("账号或密码不正确。请检查工号/手机号和密码后重试。"))
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginFailed(
            _(
                "由于多次密码错误，账号已临时锁定，请 %(minutes)d 分钟后再试，"
                "或联系培训专员重置密码。",
                minutes=minutes,
            )
        )
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        limit = current_app.config["LOGIN_MAX_FAILURES"]
        if user.failed_logins >= limit:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
            db.session.commit()
            raise LoginFailed(
                _(
                    "密码连续错误 %(limit)d 次，账号已锁定 %(minutes)d 分钟。",
                    limit=limit,
                    minutes=current_app.config["LOGIN_LOCK_MINUTES"],
                )
            )
        db.session.commit()
        raise LoginFailed(
            _(
                "账号或密码不正确。再错 %(left)d 次账号将被临时锁定。",
                left=limit - user.failed_logins,
            )
        )
    if not user.active:
        raise LoginFailed(_("此账号已停用。如有疑问请联系本单位培训专员。"))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id carries a token that a password change rotates."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = principal.load_user(int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def validate_password_strength(password: str) -> None:
    if len(password) < 8:
        raise Invalid(errors={"password": [_("密码至少 8 位。")]})
    if password.isdigit() or password.isalpha():
        raise Invalid(errors={"password": [_("密码需同时包含字母和数字。")]})


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise Invalid(errors={"current_password": [_("当前密码不正确。")]})
    validate_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.session_token = secrets.token_urlsafe(32)
    db.session.commit()


def reset_password(actor: User, user: User, new_password: str) -> None:
    """An officer sets a new password for someone in scope, who is signed out everywhere."""
    if not scope.can_manage_user(actor, user):
        raise Forbidden()
    validate_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.session_token = secrets.token_urlsafe(32)
    user.locked_until = None
    user.failed_logins = 0
    audit.record(
        actor,
        "user.password_reset",
        "user",
        user.id,
        organization_id=user.organization_id,
        summary=f"{user.name} {user.employee_no}",
    )
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise Invalid(errors={"locale": [_("不支持的语言。")]})
    user.locale = locale
    db.session.commit()


# --- organizations -------------------------------------------------------------------------


def create_organization(
    actor: User | None, name: str, kind: OrgKind | str, parent: Organization | None
) -> Organization:
    """Add a node to the tree; ``actor`` None is the system (CLI, demo data)."""
    kind = OrgKind(kind)
    if actor is not None:
        if parent is None and not scope.is_admin(actor):
            raise Forbidden()
        if parent is not None:
            scope.require_org_in_scope(actor, parent)
    expected_parent = {
        OrgKind.federation: None,
        OrgKind.enterprise: OrgKind.federation,
        OrgKind.workshop: OrgKind.enterprise,
    }[kind]
    if (parent.kind if parent else None) != expected_parent:
        raise Invalid(errors={"parent_id": [_("单位层级不正确：工会 → 企业 → 车间。")]})
    if db.session.scalar(
        sa.select(Organization.id).where(
            Organization.parent_id == (parent.id if parent else None), Organization.name == name
        )
    ):
        raise Conflict(errors={"name": [_("同级下已有同名单位。")]})
    org = Organization(name=name, kind=kind, parent=parent)
    db.session.add(org)
    db.session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    return org


def get_organization(actor: User, org_id: int) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None or not (scope.org_in_scope(actor, org) or actor.organization_id == org.id):
        raise NotFound()
    return org


def organizations_in_scope(actor: User) -> sa.Select:
    stmt = sa.select(Organization).order_by(Organization.path)
    if not scope.is_admin(actor):
        root = actor.organization.path if scope.is_officer(actor) else None
        if root is None:
            return stmt.where(Organization.id == actor.organization_id)
        stmt = stmt.where(Organization.path.startswith(root))
    return stmt


# --- people --------------------------------------------------------------------------------


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


def create_user(
    actor: User | None,
    *,
    organization: Organization,
    roles=(Role.worker,),
    password: str,
    commit: bool = True,
    **fields,
) -> User:
    if actor is not None:
        scope.require_org_in_scope(actor, organization)
        if Role.admin in {Role(r) for r in roles} and not scope.is_admin(actor):
            raise Forbidden(_("只有管理员可以授予管理员角色。"))
    _check_unique(fields.get("employee_no"), fields.get("mobile"))
    user = User(
        organization=organization,
        password_hash=hash_password(password),
        session_token=secrets.token_urlsafe(32),
        **fields,
    )
    user.role_rows = [UserRole(role=Role(r)) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        audit.record(
            actor,
            "user.create",
            "user",
            user.id,
            organization_id=organization.id,
            after=_snapshot(user),
            summary=f"{user.name} {user.employee_no}",
        )
    if commit:
        db.session.commit()
    return user


_EDITABLE = ("name", "mobile", "email", "trade", "skill_level", "bio", "id_number")


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


def update_user(actor: User, user: User, **changes) -> User:
    """Officers edit people in scope; everyone may edit their own contact details and bio."""
    own = actor.id == user.id
    if not own and not scope.can_manage_user(actor, user):
        raise Forbidden()
    allowed = set(_EDITABLE) if not own or scope.is_officer(actor) else {"mobile", "email", "bio"}
    if "organization_id" in changes:
        org = db.session.get(Organization, changes.pop("organization_id"))
        if org is None or not scope.org_in_scope(actor, org):
            raise Invalid(errors={"organization_id": [_("只能调入您管理范围内的单位。")]})
        user.organization = org
    if "active" in changes and not own:
        user.active = bool(changes.pop("active"))
    unknown = set(changes) - allowed
    if unknown:
        raise Forbidden(_("您不能修改这些字段：%(fields)s", fields=", ".join(sorted(unknown))))
    _check_unique(None, changes.get("mobile"), exclude_id=user.id)
    before = _snapshot(user)
    for key, value in changes.items():
        setattr(user, key, value)
    if not own:
        audit.record(
            actor,
            "user.update",
            "user",
            user.id,
            organization_id=user.organization_id,
            before=before,
            after=_snapshot(user),
            summary=f"{user.name} {user.employee_no}",
        )
    db.session.commit()
    return user


def set_roles(actor: User, user: User, roles: set[Role | str]) -> User:
    """Change someone's roles; audited and announced with ``roles_changed``."""
    roles = {Role(r) for r in roles}
    if not scope.can_manage_user(actor, user):
        raise Forbidden()
    if not roles:
        raise Invalid(errors={"roles": [_("至少保留一个角色。")]})
    before = user.roles
    if (Role.admin in roles ^ before) and not scope.is_admin(actor):
        raise Forbidden(_("只有管理员可以授予或收回管理员角色。"))
    if actor.id == user.id and Role.admin in before and Role.admin not in roles:
        raise Invalid(errors={"roles": [_("不能收回自己的管理员角色，请由另一位管理员操作。")]})
    if roles == before:
        return user
    snapshot = _snapshot(user)
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [
        UserRole(role=r) for r in roles - before
    ]
    db.session.flush()
    audit.record(
        actor,
        "user.roles",
        "user",
        user.id,
        organization_id=user.organization_id,
        before=snapshot,
        after=_snapshot(user),
        summary=f"{user.name}: {','.join(sorted(before))} → {','.join(sorted(roles))}",
    )
    roles_changed.send(
        current_app._get_current_object(),
        user_id=user.id,
        actor_id=actor.id,
        roles_before=sorted(before),
        roles_after=sorted(roles),
    )
    db.session.commit()
    return user


# --- honours -------------------------------------------------------------------------------


def add_honor(actor: User, user: User, **fields) -> Honor:
    if not scope.can_manage_user(actor, user):
        raise Forbidden()
    honor = Honor(user=user, **fields)
    db.session.add(honor)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        db.session.rollback()
        raise Conflict(_("此人已有同一年份、同一级别的该项荣誉。")) from exc
    audit.record(
        actor,
        "honor.add",
        "user",
        user.id,
        organization_id=user.organization_id,
        after={"kind": str(honor.kind), "level": str(honor.level), "year": honor.year},
        summary=f"{user.name} {honor.year}",
    )
    db.session.commit()
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


# --- personal API tokens -------------------------------------------------------------------

TOKEN_PREFIX = "ca_"


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the row and the token itself, which is shown once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or _("未命名"),
        token_hash=_token_digest(secret),
        prefix=secret[:10],
    )
    db.session.add(token)
    db.session.commit()
    return token, secret


def api_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


@dataclass(frozen=True)
class Claim:
    """Who a request says it is — its session's person or its API token — not yet checked.

    Loading the person costs a cache read and an ORM merge before any work starts. A path
    that runs for every learner every few seconds (the player's heartbeat) instead checks
    the claim inside its own statement with :func:`claimed_user_id`, and falls back to the
    usual sign-in when the statement finds nothing.
    """

    session_id: str | None = None
    token_hash: str | None = None

    @property
    def kind(self) -> str:
        return "session" if self.session_id is not None else "token"

    def params(self) -> dict:
        if self.session_id is not None:
            user_id, _sep, token = self.session_id.partition(":")
            return {
                "claim_user_id": int(user_id) if user_id.isdigit() else None,
                "claim_session_token": token,
            }
        return {"claim_token_hash": self.token_hash}


@functools.cache
def claimed_user_id(kind: str) -> sa.ScalarSelect[int]:
    """The id of the person a claim of this kind names when it holds, else NULL.

    A subquery whose values come from :meth:`Claim.params`, built once per kind so that
    the statement using it can be built once too. A claim holds as
    :func:`load_session_user` and :func:`user_for_api_token` decide: a session whose token
    a password change has not rotated, or an unrevoked API token; either way, an active
    person.
    """
    if kind == "session":
        return (
            sa.select(User.id)
            .where(
                User.id == sa.bindparam("claim_user_id"),
                User.session_token == sa.bindparam("claim_session_token"),
                User.active.is_(True),
            )
            .scalar_subquery()
        )
    return (
        sa.select(ApiToken.user_id)
        .join(User, User.id == ApiToken.user_id)
        .where(
            ApiToken.token_hash == sa.bindparam("claim_token_hash"),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
        .scalar_subquery()
    )


def request_claim() -> Claim | None:
    """The current request's claim, in Flask-Login's order: the session, then a token."""
    session_id = session.get("_user_id")
    if session_id:
        return Claim(session_id=session_id)
    return bearer_claim(request.headers.get("Authorization", ""))


def bearer_claim(header: str) -> Claim | None:
    """The claim of an ``Authorization: Bearer`` header carrying a personal API token."""
    if header.startswith("Bearer " + TOKEN_PREFIX):
        return Claim(token_hash=_token_digest(header[len("Bearer ") :].strip()))
    return None


def user_for_api_token(secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = _token_digest(secret)
    found = principal.token_owner(digest)
    if found is None:
        return None
    token_id, user_id, last_used_at = found
    user = principal.load_user(user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    # Written at most once a minute so API traffic does not turn every read into a write.
    if last_used_at is None or now - last_used_at > timedelta(minutes=1):
        db.session.execute(
            sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now),
            execution_options={"synchronize_session": False, **principal.UNCHANGED},
        )
        db.session.commit()
        principal.remember_token_use(digest, (token_id, user_id, now))
    return user
