"""Celery tasks of the overview: thin and idempotent."""

from __future__ import annotations

import sqlalchemy as sa
from celery import shared_task
from flask import current_app

from lms.accounts.models import Organization, OrgKind
from lms.extensions import db
from lms.overview.services import overview


@shared_task(name="lms.overview.tasks.refresh_figures", acks_late=True)
def refresh_figures() -> int:
    """Count this year's figures of the federation and of every enterprise into the cache,
    so officers open the overview without waiting for the count. Running it twice only
    counts twice."""
    if not current_app.config.get("OVERVIEW_CACHE_SECONDS"):
        return 0
    organizations = db.session.scalars(
        sa.select(Organization)
        .where(Organization.kind.in_([OrgKind.federation, OrgKind.enterprise]))
        .order_by(Organization.path)
    ).all()
    year = overview.this_year()
    # url_for (the figures' links) and the default language need a request context.
    with current_app.test_request_context():
        for organization in organizations:
            overview.refresh(organization, year)
    db.session.remove()
    return len(organizations)
