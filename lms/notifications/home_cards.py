"""The home page card: unread notifications and the next reminders."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.core import home
from lms.notifications import services


def notifications_card(user: User) -> home.Card | None:
    unread = services.unread_count(user)
    upcoming = services.reminders_for(user, limit=3)
    if not unread and not upcoming:
        return None
    return home.Card(
        title=_("通知与提醒"),
        template="notifications/cards/notifications.html",
        context={"unread": unread, "upcoming": upcoming},
        order=20,
    )


def register() -> None:
    for role in Role:
        home.register_card(role, notifications_card)
