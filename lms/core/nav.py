"""Main navigation, contributed by packages: ``nav.register(...)`` in their ``init_app``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from lms.accounts.models import Role, User


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when shown
    roles: frozenset[Role] | None  # None: everyone signed in
    order: int = 100


_ITEMS: list[NavItem] = []


def register(endpoint: str, label, roles=None, order: int = 100) -> None:
    item = NavItem(endpoint, label, frozenset(roles) if roles else None, order)
    if all(existing.endpoint != endpoint for existing in _ITEMS):
        _ITEMS.append(item)


def items_for(user: User | None) -> list[dict]:
    visible = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if user is None or not user.is_authenticated:
            continue
        if item.roles is None or user.roles & item.roles:
            visible.append(
                {"endpoint": item.endpoint, "url": url_for(item.endpoint), "label": str(item.label)}
            )
    return visible
