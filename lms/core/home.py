"""The home page is made of cards that each package contributes for each role.

A package registers a provider in its ``init_app``::

    home.register_card(Role.worker, my_classes_today_card)

A provider receives the current user and returns ``Card`` or None (nothing to show).
The home page shows cards for every role the person holds, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lms.accounts.models import Role, User


@dataclass
class Card:
    title: str
    template: str  # rendered with ``card`` and ``context`` in scope
    context: dict = field(default_factory=dict)
    order: int = 100


CardProvider = Callable[[User], Card | None]
_PROVIDERS: dict[Role, list[CardProvider]] = {role: [] for role in Role}


def register_card(role: Role, provider: CardProvider) -> None:
    if provider not in _PROVIDERS[role]:
        _PROVIDERS[role].append(provider)


def cards_for(user: User) -> list[Card]:
    seen: set[CardProvider] = set()
    cards = []
    for role in Role:
        if role not in user.roles:
            continue
        for provider in _PROVIDERS[role]:
            if provider in seen:
                continue
            seen.add(provider)
            card = provider(user)
            if card is not None:
                cards.append(card)
    return sorted(cards, key=lambda c: c.order)
