"""Who may see and manage whom. Every package asks here; no view decides on its own.

Officers act inside their own organization's subtree; admins everywhere; everybody
may see themselves.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Organization, Role, User
from lms.errors import Forbidden


def is_admin(user: User | None) -> bool:
    return bool(user) and user.has_role(Role.admin)


def is_officer(user: User | None) -> bool:
    return bool(user) and user.has_role(Role.officer)


def org_in_scope(actor: User, organization: Organization) -> bool:
    """Whether ``organization`` lies in the subtree the actor manages."""
    if is_admin(actor):
        return True
    if is_officer(actor):
        return organization.path.startswith(actor.organization.path)
    return False


def can_manage_user(actor: User, user: User) -> bool:
    """Whether ``user`` lies in the actor's scope (to enrol, pair, mark attendance …).

    Changing someone's account is a stricter question: :func:`can_manage_account`.
    """
    return org_in_scope(actor, user.organization)


#: Roles whose holders only admins manage, and only admins grant or take away.
ADMIN_MANAGED_ROLES = frozenset({Role.officer, Role.admin})


def can_manage_account(actor: User, user: User) -> bool:
    """Whether ``actor`` may change ``user``'s account: password, details, roles, honours,
    tokens, active or not.

    Officers manage workers and mentors in their subtree; officers and admins are managed
    by admins only. A person changes their own account through their own account page,
    which does not come through here.
    """
    if is_admin(actor):
        return True
    return (
        is_officer(actor)
        and not (user.roles & ADMIN_MANAGED_ROLES)
        and org_in_scope(actor, user.organization)
    )


def require_account_manager(actor: User, user: User) -> None:
    """The one check before any service changes someone else's account."""
    if not can_manage_account(actor, user):
        raise Forbidden(
            _("培训专员只能管理本单位范围内的学员和导师；培训专员和管理员由管理员管理。")
        )


def require_may_grant(actor: User | None, roles) -> None:
    """Only admins grant or take away the officer and admin roles (``actor`` None: the system)."""
    if actor is not None and not is_admin(actor) and set(roles) & ADMIN_MANAGED_ROLES:
        raise Forbidden(_("只有管理员可以授予或收回培训专员、管理员角色。"))


def can_view_user(actor: User, user: User) -> bool:
    return actor.id == user.id or org_in_scope(actor, user.organization)


def require_officer(actor: User) -> None:
    if not (is_admin(actor) or is_officer(actor)):
        raise Forbidden()


def require_org_in_scope(actor: User, organization: Organization) -> None:
    if not org_in_scope(actor, organization):
        raise Forbidden()


def subtree_condition(actor: User, org_column=Organization.path):
    """A WHERE clause limiting an Organization-joined query to the actor's scope."""
    if is_admin(actor):
        return sa.true()
    return org_column.startswith(actor.organization.path)


def subtree_org_ids(root: Organization) -> sa.Select:
    """Ids of ``root`` and every organization below it, as a subquery."""
    return sa.select(Organization.id).where(Organization.path.startswith(root.path))


def scoped_org_ids(actor: User) -> sa.Select:
    """Ids of the organizations the actor manages (all for admins)."""
    stmt = sa.select(Organization.id)
    if not is_admin(actor):
        stmt = stmt.where(Organization.path.startswith(actor.organization.path))
    return stmt
