"""The five-links overview's figures, contributed by every package: ``figures.register(fn)``.

The overview (统筹) and the annual report show, for an organization's subtree and a period, the
figures of each link. They import no domain: each package registers a provider in its
``init_app`` that counts from its own tables.

A provider is ``provider(query) -> list[Figure]``. It counts what happened in
``[query.start, query.end]`` (local dates, both included) in the subtree whose organization
paths start with ``query.path`` (accounts' ``Organization.path``), and, for comparison between
organizations, the same figure per child subtree (``query.children``: id → path). Providers
count with a fixed number of queries (GROUP BY), never one per row, person or organization.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from lms.core.growth import LINKS

Number = int | float | Decimal


@dataclass(frozen=True)
class Query:
    organization_id: int
    path: str  # the subtree's path prefix, e.g. "/1/4/"
    start: date
    end: date
    children: dict[int, str] = field(default_factory=dict)  # child organization id → its path


@dataclass(frozen=True)
class Figure:
    link: str  # one of growth.LINKS
    key: str  # stable name, e.g. "training.person_times"; the report's templates use it
    label: str  # already translated
    value: Number
    unit: str = ""  # already translated: 人次, 人, 元 …
    drill_url: str | None = None  # the list behind the figure, filtered the same way
    by_month: dict[str, Number] = field(default_factory=dict)  # "2026-03" → value
    by_child: dict[int, Number] = field(default_factory=dict)  # child organization id → value
    order: int = 100


Provider = Callable[[Query], list[Figure]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def figures_for(query: Query) -> list[Figure]:
    """Every package's figures, grouped by link in the union's order."""
    found = [figure for provider in _PROVIDERS for figure in provider(query)]
    unknown = {figure.link for figure in found} - set(LINKS)
    if unknown:
        raise ValueError(f"figures for unknown links {sorted(unknown)}")
    return sorted(found, key=lambda f: (LINKS.index(f.link), f.order, f.key))
