"""The home page is made of cards that each package contributes for each role.

A package registers a provider in its ``init_app``::

    home.register_card(Role.worker, my_classes_today_card)

A provider receives the current user and returns ``Card`` or None (nothing to show).
The home page shows cards for every role the person holds, in registration order.
Roles are their names (``Role`` is a string enum), so this module needs no accounts import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Card:
    title: str
    template: str  # rendered with ``card`` and ``context`` in scope
    context: dict = field(default_factory=dict)
    order: int = 100


CardProvider = Callable[[Any], Card | None]
_PROVIDERS: dict[str, list[CardProvider]] = {}


def register_card(role: str, provider: CardProvider) -> None:
    providers = _PROVIDERS.setdefault(str(role), [])
    if provider not in providers:
        providers.append(provider)


def cards_for(user) -> list[Card]:
    """The cards for every role the person holds (``user.roles``: role names)."""
    seen: set[CardProvider] = set()
    cards = []
    for role, providers in _PROVIDERS.items():
        if role not in user.roles:
            continue
        for provider in providers:
            if provider in seen:
                continue
            seen.add(provider)
            card = provider(user)
            if card is not None:
                cards.append(card)
    return sorted(cards, key=lambda c: c.order)
