"""Demo data, so that ``make run`` shows the platform in use.

Each package adds a loader with ``register_loader(order, fn)``; loaders run in order in
one transaction, and receive the ``DemoData`` built so far (people by handle, orgs by
handle) so later packages can refer to the same invented people.
People and organizations are invented; none is from the union's real report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "demo1234"


@dataclass
class DemoData:
    orgs: dict[str, Any] = field(default_factory=dict)  # accounts' Organization rows
    people: dict[str, Any] = field(default_factory=dict)  # accounts' User rows
    extra: dict = field(default_factory=dict)


_LOADERS: list[tuple[int, Callable[[DemoData], None]]] = []


def register_loader(order: int, loader: Callable[[DemoData], None]) -> None:
    if all(existing is not loader for _o, existing in _LOADERS):
        _LOADERS.append((order, loader))


def load_all() -> DemoData:
    from lms.extensions import db

    data = DemoData()
    for _order, loader in sorted(_LOADERS, key=lambda item: item[0]):
        loader(data)
        db.session.flush()
    db.session.commit()
    return data
