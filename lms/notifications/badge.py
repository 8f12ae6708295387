"""The unread count in every page's header, cached per person.

Every page shows it, so it is read far more often than it changes. The copy is dropped
when a notification of that person is created or read (after the commit); statements that
change many rows at once retire every copy by moving the generation.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.core import invalidation
from lms.extensions import cache, db
from lms.notifications.models import Notification

GENERATION = invalidation.register_generation("notifications-badge")


def _key(user_id: int, generation: str | None = None) -> str:
    return f"notifications:unread:{generation or invalidation.generation(GENERATION)}:{user_id}"


def unread_count(user: User) -> int:
    ttl = current_app.config.get("NOTIFICATION_BADGE_CACHE_SECONDS", 0)
    if ttl:
        cached = cache.get(_key(user.id))
        if cached is not None:
            return cached
    count = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )
    if ttl:
        cache.set(_key(user.id), count, timeout=ttl)
    return count


def retire_after_commit(session: Session, user_ids) -> None:
    """These people's cached badges are retired when the session's transaction commits."""
    user_ids = set(user_ids)
    if user_ids:
        # The generation is read once: outside a request each read is a round trip to the
        # cache, and a dispatch batch retires hundreds of badges.
        generation = invalidation.generation(GENERATION)
        invalidation.delete_after_commit(session, *(_key(uid, generation) for uid in user_ids))


@sa.event.listens_for(Session, "after_flush")
def _collect_changes(session: Session, flush_context) -> None:
    retire_after_commit(session, {n.user_id for n in invalidation.changed(session, Notification)})


@sa.event.listens_for(Session, "do_orm_execute")
def _collect_bulk_changes(orm_execute_state) -> None:
    if orm_execute_state.is_select:
        return
    mapper = orm_execute_state.bind_mapper
    if mapper is None or mapper.class_ is not Notification:
        return
    session = orm_execute_state.session
    rows = orm_execute_state.parameters
    if orm_execute_state.is_insert and rows:
        rows = rows if isinstance(rows, list) else [rows]
        if all("user_id" in row for row in rows):
            retire_after_commit(session, {row["user_id"] for row in rows})
            return
    invalidation.renew_after_commit(session, GENERATION)
