"""Cached copies that are retired when the data under them changes — after the commit.

Packages cache what every request would otherwise read again (the signed-in person, the
catalog, the unread badge) and watch their own models with SQLAlchemy session events.
When a flush touches what a copy was made from, they call ``delete_after_commit`` or
``renew_after_commit``; nothing happens to the cache until the transaction commits (a
rolled-back change retires nothing), and then it happens once.

A *generation* is a counter that is part of a family of keys: moving it on retires the
whole family at once (``renew``). It is incremented atomically on Redis and never expires.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.db import after_commit
from lms.extensions import cache

_PENDING = "cache_invalidations"


def generation(name: str) -> int:
    return int(cache.get(f"generation:{name}") or 0)


def renew(name: str) -> None:
    # cachelib's inc: INCRBY on Redis (atomic, no expiry); get-and-set per process otherwise.
    cache.cache.inc(f"generation:{name}")


def _pending(session: Session) -> set[tuple[str, str]]:
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = set()
        after_commit(session, _apply, session)
    return pending


def delete_after_commit(session: Session, *keys: str) -> None:
    _pending(session).update(("delete", key) for key in keys)


def renew_after_commit(session: Session, *generations: str) -> None:
    _pending(session).update(("renew", name) for name in generations)


def _apply(session: Session) -> None:
    pending = session.info.pop(_PENDING, set())
    if not pending or not current_app:
        return
    for kind, name in pending:
        if kind == "renew":
            renew(name)
    keys = [name for kind, name in pending if kind == "delete"]
    if keys:
        cache.delete_many(*keys)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if not session.in_transaction():
        session.info.pop(_PENDING, None)


def changed(session: Session, *classes: type) -> list:
    """Objects of ``classes`` that this flush inserts, modifies or deletes (in after_flush)."""
    return [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, classes)
        and (obj not in session.dirty or obj in session.deleted or session.is_modified(obj))
    ]
