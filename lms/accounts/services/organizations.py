"""The organization tree: federation → enterprise → workshop, and who sees which part."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, OrgKind, User
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db


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
