"""Who may see and manage whom. Every package asks here; no view decides on its own.

Officers act inside their own organization's subtree; admins everywhere; everybody
may see themselves.
"""

from __future__ import annotations

import sqlalchemy as sa

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
    return org_in_scope(actor, user.organization)


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
