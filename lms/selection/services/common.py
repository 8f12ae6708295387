"""What the selection services share: today in Beijing, loading a row with a lock, who acts
at which level, who organises a campaign, and the chain of organizations a dossier climbs."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.db import is_postgres, utcnow
from lms.errors import Forbidden, Invalid
from lms.extensions import db
from lms.selection.models import Campaign, Dossier, DossierStep, StepAction


def local_today() -> date:
    from lms.timeutil import to_local

    return to_local(utcnow()).date()


def load(model, row_id: int, *, lock: bool = False):
    """One row by id; with ``lock``, fresh from the database and locked until commit."""
    stmt = sa.select(model).where(model.id == row_id)
    if lock:
        stmt = stmt.execution_options(populate_existing=True)
        if is_postgres(db.session):
            stmt = stmt.with_for_update(of=model)
    return db.session.scalar(stmt)


def clean(value: str | None, limit: int) -> str | None:
    text = (value or "").strip()
    return text[:limit] or None


def require_text(value: str | None, field: str, limit: int, message: str) -> str:
    text = clean(value, limit)
    if not text:
        raise Invalid(errors={field: [message]})
    return text


def is_organizer(actor: User | None, campaign: Campaign) -> bool:
    """The campaign's organizers: officers of the organizing organization, and admins."""
    if actor is None or not actor.is_authenticated:
        return False
    return scope.is_admin(actor) or (
        scope.is_officer(actor) and actor.organization_id == campaign.organization_id
    )


def require_organizer(actor: User, campaign: Campaign) -> None:
    if not is_organizer(actor, campaign):
        raise Forbidden(
            _("只有评选的组织单位（%(org)s）的专员可以这样做。", org=campaign.organization.name)
        )


def acts_at(actor: User, organization_id: int) -> bool:
    """Officers review at their own organization's level; admins at any level."""
    return scope.is_admin(actor) or (
        scope.is_officer(actor) and actor.organization_id == organization_id
    )


def sees_dossier(actor: User, dossier: Dossier) -> bool:
    """Officers see the dossiers that came from their subtree; organizers see them all."""
    if is_organizer(actor, dossier.campaign):
        return True
    return scope.is_officer(actor) and dossier.unit.path.startswith(actor.organization.path)


def chain(campaign: Campaign, unit: Organization) -> list[int]:
    """Organization ids from the nominating unit up to the organizing organization."""
    top = campaign.organization
    if not unit.path.startswith(top.path):
        return []
    ids = [int(part) for part in unit.path.strip("/").split("/")]
    return list(reversed(ids[ids.index(top.id) :]))


def step(
    dossier: Dossier,
    actor: User | None,
    action: StepAction,
    *,
    from_org_id: int | None = None,
    to_org_id: int | None = None,
    reason: str | None = None,
) -> DossierStep:
    row = DossierStep(
        dossier=dossier,
        action=action,
        from_org_id=from_org_id,
        to_org_id=to_org_id,
        reason=reason,
        actor_id=actor.id if actor else None,
    )
    db.session.add(row)
    return row
