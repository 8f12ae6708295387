"""Signed-in devices: one ``UserSession`` row per sign-in, named by the signed cookie.

Flask-Login keeps the row's id in the session cookie (and in the remember-me cookie),
and every request loads the person through :func:`user_for_request`: one indexed
query for the device session, its person and their roles. Signing out revokes the row, so a copy of
the cookie stops working; "sign out everywhere", a password change and a reset by an
officer revoke the person's other rows.

A request with an ``Authorization: Bearer`` header is signed in by its token alone,
never by a cookie it also carries.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from lms.accounts.models import User, UserSession
from lms.accounts.services.tokens import bearer_secret, user_for_api_token
from lms.db import utcnow
from lms.extensions import db

#: ``last_seen_at`` is written at most this often.
LAST_SEEN_EVERY = timedelta(minutes=5)


def start_session(user: User, user_agent: str = "") -> str:
    """Open a device session for ``user`` (just authenticated); its id goes in the cookie."""
    row = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, user_agent=user_agent[:255])
    db.session.add(row)
    db.session.commit()
    user.device_session_id = row.id
    return row.id


def load_session_user(session_id: str) -> User | None:
    """The active person of a live, recently used device session, else None."""
    now = utcnow()
    idle = timedelta(days=current_app.config["SESSION_IDLE_DAYS"])
    # The person's roles come in the same statement (every page asks for them): one round
    # trip per request for the device session, its person, organization and roles.
    found = (
        db.session.execute(
            sa.select(UserSession.last_seen_at, User)
            .join(User, User.id == UserSession.user_id)
            .where(
                UserSession.id == session_id,
                UserSession.revoked_at.is_(None),
                UserSession.last_seen_at > now - idle,
                User.active.is_(True),
            )
            .options(joinedload(User.role_rows))
        )
        .unique()
        .first()
    )
    if found is None:
        return None
    last_seen_at, user = found
    if now - last_seen_at > LAST_SEEN_EVERY:
        db.session.execute(
            sa.update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()
    user.device_session_id = session_id
    return user


def user_for_request(session_id: str | None) -> User | None:
    """Flask-Login's loaders: the Bearer token if the request has the header, else the cookie."""
    secret = bearer_secret()
    if secret is not None:
        return user_for_api_token(secret)
    if session_id:
        return load_session_user(session_id)
    return None


def end_session(session_id: str | None) -> None:
    """Sign one device out on the server (its cookies stop working)."""
    if not session_id:
        return
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def end_all_sessions(user: User, keep: str | None = None) -> int:
    """Revoke every device session of ``user`` but ``keep``, in the current transaction."""
    stmt = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep:
        stmt = stmt.where(UserSession.id != keep)
    result = db.session.execute(
        stmt.values(revoked_at=utcnow()), execution_options={"synchronize_session": False}
    )
    return result.rowcount or 0


def signed_in_devices(user: User) -> list[UserSession]:
    """The person's live device sessions, most recently used first (for the account page)."""
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def sign_out_everywhere(user: User) -> int:
    """Revoke every device session of ``user``, this one included."""
    count = end_all_sessions(user)
    db.session.commit()
    return count
