"""The signed-in person, kept in the shared cache between requests.

Every request starts by loading who is asking: the person, their organization (its path
decides what they may see) and their roles. That row changes rarely, so it is cached and
put back into each request's session with ``merge(load=False)`` — no query.

A copy is never trusted past a change: any committed change to a person, their roles or
their API tokens deletes that person's copy, and a change to any organization (a move
changes every path under it) retires all copies at once by replacing their generation.
Copies also expire after ``PRINCIPAL_CACHE_SECONDS`` (0 turns the cache off).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.util import identity_key

from lms.accounts.models import ApiToken, Organization, User, UserRole
from lms.core import invalidation, pagecache
from lms.extensions import cache, db

GENERATION = invalidation.register_generation("accounts-principal")


def _user_key(user_id: int) -> str:
    return f"accounts:principal:{invalidation.generation(GENERATION)}:{user_id}"


def _token_key(token_hash: str) -> str:
    return f"accounts:token:{invalidation.generation(GENERATION)}:{token_hash}"


def _ttl() -> int:
    return int(current_app.config.get("PRINCIPAL_CACHE_SECONDS", 0))


def load_user(user_id: int) -> User | None:
    """The person with organization and roles: from the cache, else one query."""
    ttl = _ttl()
    # A person this session already holds (a request after a sign-in, say) is taken as is.
    if ttl and identity_key(User, user_id) not in db.session.identity_map:
        cached = cache.get(_user_key(user_id))
        if cached is not None:
            return db.session.merge(cached, load=False)
    user = db.session.get(User, user_id, options=[joinedload(User.role_rows)])
    if user is not None and ttl:
        cache.set(_user_key(user_id), user, timeout=ttl)
    return user


def token_owner(token_hash: str) -> tuple[int, int, object] | None:
    """(token id, user id, last used) of an unrevoked token, from the cache or one query."""
    ttl = _ttl()
    if ttl:
        cached = cache.get(_token_key(token_hash))
        if cached is not None:
            return cached
    row = db.session.execute(
        sa.select(ApiToken.id, ApiToken.user_id, ApiToken.last_used_at).where(
            ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None)
        )
    ).first()
    found = tuple(row) if row is not None else None
    if found is not None and ttl:
        cache.set(_token_key(token_hash), found, timeout=ttl)
    return found


#: Execution option for bulk statements that change nothing a cached copy holds.
UNCHANGED = {"principal_unchanged": True}


def remember_token_use(token_hash: str, found: tuple[int, int, object]) -> None:
    if _ttl():
        cache.set(_token_key(token_hash), found, timeout=_ttl())


# --- invalidation ---------------------------------------------------------------------------

_WATCHED = (User, UserRole, ApiToken, Organization)


@sa.event.listens_for(Session, "after_flush")
def _collect_changes(session: Session, flush_context) -> None:
    for obj in invalidation.changed(session, *_WATCHED):
        if isinstance(obj, Organization):
            invalidation.renew_after_commit(session, GENERATION)
        elif isinstance(obj, ApiToken):
            invalidation.delete_after_commit(session, _token_key(obj.token_hash))
        else:
            user_id = obj.id if isinstance(obj, User) else obj.user_id
            invalidation.delete_after_commit(session, _user_key(user_id))
            # Pages kept for this person show their name, roles and menu.
            pagecache.retire_after_commit(session, [user_id])


@sa.event.listens_for(Session, "do_orm_execute")
def _collect_bulk_changes(orm_execute_state) -> None:
    """UPDATE/DELETE statements on these tables bypass the objects: retire every copy."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    if orm_execute_state.execution_options.get("principal_unchanged"):
        return
    mapper = orm_execute_state.bind_mapper
    if mapper is not None and mapper.class_ in _WATCHED:
        invalidation.renew_after_commit(orm_execute_state.session, GENERATION)
