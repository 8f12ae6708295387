"""Main navigation, contributed by packages: ``nav.register(...)`` in their ``init_app``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import get_locale


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when shown
    roles: frozenset[str] | None  # role names; None: everyone signed in
    order: int = 100


_ITEMS: list[NavItem] = []


def register(endpoint: str, label, roles=None, order: int = 100) -> None:
    item = NavItem(endpoint, label, frozenset(roles) if roles else None, order)
    if all(existing.endpoint != endpoint for existing in _ITEMS):
        _ITEMS.append(item)


def items_for(user) -> list[dict]:
    """The menu of a person: it depends only on their roles and the language, so each
    combination is worked out once per process (every page shows the menu)."""
    if user is None or not user.is_authenticated:
        return []
    key = (frozenset(user.roles), str(get_locale()), request.script_root)
    cached = current_app.extensions.setdefault("nav_menus", {})
    if key not in cached:
        cached[key] = [
            {"endpoint": item.endpoint, "url": url_for(item.endpoint), "label": str(item.label)}
            for item in sorted(_ITEMS, key=lambda i: i.order)
            if item.roles is None or user.roles & item.roles
        ]
    return cached[key]
