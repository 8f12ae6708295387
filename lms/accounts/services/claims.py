"""Transitional: the names the courses heartbeat lane still imports, until it is removed.

The lane checked a sign-in claim inside its own SQL (a second copy of the sign-in rule).
That copy is gone: here no claim ever holds — :func:`request_claim` and
:func:`bearer_claim` answer None and :func:`claimed_user_id` is NULL — so every progress
save takes the usual path, signed in by :mod:`.sessions` like any request. Delete this
module, and its lines in ``__init__``, with ``courses/heartbeat.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True)
class Claim:
    session_id: str | None = None
    token_hash: str | None = None

    @property
    def kind(self) -> str:
        return "session" if self.session_id is not None else "token"

    def params(self) -> dict:
        return {}


def request_claim() -> Claim | None:
    return None


def bearer_claim(header: str) -> Claim | None:
    return None


def claimed_user_id(kind: str) -> sa.ScalarSelect:
    """NULL: matches nobody."""
    return sa.select(sa.null()).scalar_subquery()
