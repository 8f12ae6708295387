"""Writing and reading the audit log."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit.models import AuditEntry
from lms.errors import Forbidden
from lms.extensions import db


def record(
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    organization_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditEntry:
    """Add an audit entry to the current transaction; it commits with the change it describes."""
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        organization_id=organization_id,
        before=before,
        after=after,
        summary=summary[:255],
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def entries_query(actor: User, *, action: str | None = None, q: str | None = None) -> sa.Select:
    """Entries the actor may read: admins all, officers their organization's subtree."""
    if not scope.is_admin(actor) and not scope.is_officer(actor):
        raise Forbidden()
    stmt = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if not scope.is_admin(actor):
        stmt = stmt.join(Organization, AuditEntry.organization_id == Organization.id).where(
            Organization.path.startswith(actor.organization.path)
        )
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if q:
        stmt = stmt.where(AuditEntry.summary.contains(q))
    return stmt


def record_export(
    actor: User | None, what: str, organization_id: int | None, rows: int
) -> AuditEntry:
    """Record that ``actor`` exported ``rows`` rows of personal data (``what``: "people",
    "roster", "report:…") from ``organization_id``'s scope (None: everything)."""
    return record(
        actor,
        "export",
        what,
        None,
        organization_id=organization_id,
        after={"rows": rows},
        summary=_("导出 %(what)s，共 %(rows)d 行", what=what, rows=rows),
    )
