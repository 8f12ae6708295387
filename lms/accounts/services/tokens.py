"""Personal API tokens: creating, listing, revoking, and signing a request in with one.

A token is sent as ``Authorization: Bearer <token>``. Only its SHA-256 is stored. A
token is created from a signed-in browser session, never with another token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from lms.accounts.models import ApiToken, User
from lms.db import utcnow
from lms.errors import Forbidden, NotFound
from lms.extensions import db

TOKEN_PREFIX = "ca_"
#: ``last_used_at`` is written at most this often, so API traffic does not turn reads
#: into writes.
LAST_USED_EVERY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer_secret() -> str | None:
    """The token of the request's ``Authorization: Bearer`` header, if it has one.

    "" for a Bearer header without a token: such a request is still signed in by its
    header alone (and fails), never by its cookie.
    """
    if not has_request_context():
        return None
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the row and the token itself, which is shown once and never stored.

    Refused to a request signed in by a token (any request with a Bearer header is):
    tokens are made from a signed-in browser session.
    """
    if bearer_secret() is not None:
        raise Forbidden(_("请在浏览器中登录后创建令牌；不能用令牌创建新的令牌。"))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or _("未命名"),
        token_hash=token_digest(secret),
        prefix=secret[:10],
    )
    db.session.add(token)
    db.session.commit()
    return token, secret


def api_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def revoke_all_api_tokens(user: User) -> int:
    """Revoke every live token of ``user`` in the current transaction; how many there were."""
    result = db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def user_for_api_token(secret: str) -> User | None:
    """The active person an unrevoked token belongs to, in one indexed query."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    found = (
        db.session.execute(
            sa.select(ApiToken.id, ApiToken.last_used_at, User)
            .join(User, User.id == ApiToken.user_id)
            .where(
                ApiToken.token_hash == token_digest(secret),
                ApiToken.revoked_at.is_(None),
                User.active.is_(True),
            )
            .options(joinedload(User.role_rows))
        )
        .unique()
        .first()
    )
    if found is None:
        return None
    token_id, last_used_at, user = found
    now = utcnow()
    if last_used_at is None or now - last_used_at > LAST_USED_EVERY:
        db.session.execute(
            sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now),
            execution_options={"synchronize_session": False},
        )
        db.session.commit()
    user.device_session_id = None
    return user
