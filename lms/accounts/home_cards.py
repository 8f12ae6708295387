"""What the accounts package puts on each role's home page."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import services
from lms.accounts.models import Role, User
from lms.core import home
from lms.extensions import db


def profile_card(user: User) -> home.Card:
    return home.Card(
        title=_("我的资料"),
        template="accounts/cards/profile.html",
        context={"user": user},
        order=900,
    )


def officer_people_card(user: User) -> home.Card:
    stmt = services.users_query(user).with_only_columns(sa.func.count()).order_by(None)
    count = db.session.scalar(stmt)
    return home.Card(
        title=_("我管理的学员"),
        template="accounts/cards/people.html",
        context={"count": count},
        order=50,
    )


def admin_card(user: User) -> home.Card:
    from lms.core.services import readiness

    return home.Card(
        title=_("系统状态"),
        template="accounts/cards/admin.html",
        context={"state": readiness()},
        order=10,
    )


def register() -> None:
    home.register_card(Role.worker, profile_card)
    home.register_card(Role.mentor, profile_card)
    home.register_card(Role.officer, officer_people_card)
    home.register_card(Role.admin, admin_card)
