"""What every innovation service shares: the clock, who may see and review an item, getters."""

from __future__ import annotations

import contextlib
import functools
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.db import utcnow
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import Innovation, InnovationMember

_clock = utcnow


@contextlib.contextmanager
def clock_at(when: datetime):
    """Run the package's rules as if it were ``when`` (demo data with a history)."""
    global _clock
    previous = _clock
    _clock = lambda: when  # noqa: E731
    try:
        yield
    finally:
        _clock = previous


def transaction(fn):
    """A state change commits when it succeeds, as every house service does; on a domain
    error nothing is committed (the error handler rolls the request back)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        result = fn(*args, **kwargs)
        db.session.commit()
        return result

    return run


def now() -> datetime:
    """The one clock of the package: tests move it by replacing ``common._clock``."""
    return _clock()


def visible_condition(actor: User):
    """Items the actor may see: their own and their team's; officers their subtree."""
    mine = sa.or_(
        Innovation.author_id == actor.id,
        Innovation.id.in_(
            sa.select(InnovationMember.innovation_id).where(InnovationMember.user_id == actor.id)
        ),
    )
    if scope.is_admin(actor):
        return sa.true()
    if scope.is_officer(actor):
        return sa.or_(mine, Innovation.organization_id.in_(scope.scoped_org_ids(actor)))
    return mine


def can_view(actor: User, item: Innovation) -> bool:
    return (
        item.author_id == actor.id
        or any(m.user_id == actor.id for m in item.members)
        or scope.org_in_scope(actor, item.organization)
    )


def enterprise_path(org: Organization) -> str:
    """The enterprise's subtree (the second level of the tree) or the organization itself."""
    parts = [p for p in org.path.split("/") if p]
    return "/" + "/".join(parts[:2]) + "/" if len(parts) >= 2 else org.path


def can_support(actor: User, item: Innovation) -> bool:
    """Colleagues of the same enterprise may say "me too" (from the similar items shown
    when they submit), without seeing more of the item than its title."""
    return can_view(actor, item) or item.organization.path.startswith(
        enterprise_path(actor.organization)
    )


def can_review(actor: User, item: Innovation) -> bool:
    return scope.org_in_scope(actor, item.organization)


def get_item(actor: User, item_id: int) -> Innovation:
    item = db.session.get(Innovation, item_id)
    if item is None or not can_view(actor, item):
        raise NotFound()
    return item


def get_reviewable(actor: User, item_id: int) -> Innovation:
    item = get_item(actor, item_id)
    if not can_review(actor, item):
        raise NotFound()
    return item


def get_person(actor: User, user_id: int, field: str) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        raise Invalid(errors={field: [_("找不到这名职工。")]})
    return user


def get_organization(actor: User, organization_id: int) -> Organization:
    org = db.session.get(Organization, organization_id)
    if org is None or not scope.org_in_scope(actor, org):
        raise NotFound()
    return org


def require_officer_in_scope_not_author(actor: User, item) -> None:
    """An officer decides, values and rewards items of their scope (404 outside it), never
    their own or their team's: nobody adopts or rewards what they wrote themselves (403)."""
    if not scope.org_in_scope(actor, item.organization):
        raise NotFound()
    if actor.id == item.author_id or any(m.user_id == actor.id for m in item.members):
        raise Forbidden(_("不能评审、核算或奖励自己参与的建议。"))
