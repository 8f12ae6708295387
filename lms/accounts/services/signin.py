"""Signing in with a password, changing it, the first-sign-in change, and language.

One answer for every failed sign-in: an unknown account, a wrong password and a locked
account read the same and cost the same (a password is verified in each case), so
nobody can learn which employee numbers or mobiles are registered.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.accounts.passwords import burn_time, hash_password, needs_rehash, verify_password
from lms.accounts.services.sessions import end_all_sessions
from lms.accounts.services.tokens import revoke_all_api_tokens
from lms.db import utcnow
from lms.errors import Forbidden, Invalid
from lms.extensions import db


class LoginFailed(Invalid):
    code = "login_failed"


class PasswordChangeRequired(Forbidden):
    """A person still on an initial password may only change it (or sign out)."""

    code = "password_change_required"


def find_by_login(login: str) -> User | None:
    """Workers sign in with their employee number or their mobile number."""
    login = login.strip()
    if not login:
        return None
    return db.session.scalar(
        sa.select(User).where(sa.or_(User.employee_no == login, User.mobile == login))
    )


def failed_sign_in_message() -> str:
    """The one answer to a failed sign-in, with the lock-out rule in general terms."""
    return _(
        "账号或密码不正确。连续输错 %(limit)d 次，账号将临时锁定 %(minutes)d 分钟；"
        "如已锁定，请稍后再试或联系本单位培训专员。",
        limit=current_app.config["LOGIN_MAX_FAILURES"],
        minutes=current_app.config["LOGIN_LOCK_MINUTES"],
    )


def authenticate(login: str, password: str) -> User:
    """Check a login; count failures and lock the account after too many.

    Raises LoginFailed with :func:`failed_sign_in_message` for an unknown account, a
    wrong password and a locked account alike; only the holder of the right password
    of a deactivated account is told it is deactivated.
    """
    user = find_by_login(login)
    now = utcnow()
    if user is None:
        burn_time(password)
        raise LoginFailed(failed_sign_in_message())
    password_ok = verify_password(user.password_hash, password)
    if user.locked_until and user.locked_until > now:
        raise LoginFailed(failed_sign_in_message())
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.commit()
        raise LoginFailed(failed_sign_in_message())
    if not user.active:
        raise LoginFailed(_("此账号已停用。如有疑问请联系本单位培训专员。"))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.commit()
    return user


def validate_password_strength(password: str) -> None:
    if len(password) < 8:
        raise Invalid(errors={"password": [_("密码至少 8 位。")]})
    if password.isdigit() or password.isalpha():
        raise Invalid(errors={"password": [_("密码需同时包含字母和数字。")]})


def change_password(
    user: User,
    current_password: str,
    new_password: str,
    *,
    keep_session: str | None = None,
    revoke_tokens: bool = False,
) -> None:
    """A person changes their own password.

    Every device of theirs is signed out but ``keep_session``, the one they are on, which
    stays signed in with the "stay signed in" choice it was signed in with.
    ``revoke_tokens`` also revokes their personal API tokens (the person is offered the
    choice).
    """
    if not verify_password(user.password_hash, current_password):
        raise Invalid(errors={"current_password": [_("当前密码不正确。")]})
    validate_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    end_all_sessions(user, keep=keep_session)
    if revoke_tokens:
        revoke_all_api_tokens(user)
    db.session.commit()


def require_password_changed(user: User) -> None:
    """Refuse everything but the password change to a person still on an initial password."""
    if user.is_authenticated and user.must_change_password:
        raise PasswordChangeRequired(_("首次登录请先修改初始密码，然后才能继续使用。"))


def set_locale(user: User, locale: str) -> None:
    if locale not in current_app.config["LANGUAGES"]:
        raise Invalid(errors={"locale": [_("不支持的语言。")]})
    user.locale = locale
    db.session.commit()
