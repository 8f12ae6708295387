"""Cached copies that are retired when the data under them changes — after the commit.

Packages cache what every request would otherwise read again (the signed-in person, the
catalog, the unread badge) and watch their own models with SQLAlchemy session events.
When a flush touches what a copy was made from, they call ``delete_after_commit`` or
``renew_after_commit``; nothing happens to the cache until the transaction commits (a
rolled-back change retires nothing), and then it happens once.

A *generation* is a random value that is part of a family of keys: replacing it retires the
whole family at once (``renew``). It never expires, and a lost one is replaced, never reset.
"""

from __future__ import annotations

import secrets

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.db import after_commit
from lms.extensions import cache

_PENDING = "cache_invalidations"
_RETIRED_SECONDS = 60


#: Every generation in use, read together once per request (one round trip to Redis).
_NAMES: set[str] = set()


def register_generation(name: str) -> str:
    _NAMES.add(name)
    return name


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> str:
    """The current value of a generation; every registered one is read in the same round
    trip and kept for the rest of the request."""
    known = g.get("cache_generations") if has_request_context() else None
    if known is None or name not in known:
        known = _read(sorted(_NAMES | {name}))
    return known[name]


def _read(names: list[str]) -> dict[str, str]:
    values = cache.get_many(*(_generation_key(n) for n in names))
    known = {n: v if v is not None else _start(n) for n, v in zip(names, values, strict=True)}
    if has_request_context():
        g.cache_generations = known
    return known


def _start(name: str) -> str:
    # A generation that is missing (never set, or evicted from a bounded file cache) starts
    # afresh with a value no earlier copy was stored under, so losing it retires copies
    # rather than bringing old ones back.
    cache.add(_generation_key(name), secrets.token_hex(8), timeout=0)
    return cache.get(_generation_key(name))


def renew(name: str) -> None:
    """Retire every copy stored under the current generation (a new random value, no expiry)."""
    cache.set(_generation_key(name), secrets.token_hex(8), timeout=0)
    if has_app_context():
        g.pop("cache_generations", None)


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
    if len(keys) == 1:
        cache.delete(keys[0])
    elif keys:
        # Retired by overwriting with None, which ``cache.get`` answers as for a missing key,
        # until the short expiry drops it: ``set_many`` is one pipelined round trip to Redis,
        # where cachelib's ``delete_many`` asks again for every key whether it is gone (a
        # dispatch batch retires the badges of thousands of people).
        cache.set_many(dict.fromkeys(keys), timeout=_RETIRED_SECONDS)


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
