"""A person's growth record (成长档案), contributed by every package: ``growth.register(fn)``.

The growth record page, its PDF and the growth path on a published story list what a person did
across the five links. None of them imports a domain: each package registers a provider in its
``init_app`` that returns that person's entries from its own tables.

A provider is ``provider(user_id, audience) -> list[Entry]``:
- ``audience`` is ``"self"`` (the person), ``"officer"`` (an officer in scope, audited by the
  caller) or ``"public"`` (a story the person consented to; only what may be shown to anyone);
- entries marked ``private`` (care received) are dropped here for every audience but ``"self"``,
  so a provider cannot leak them by mistake; a provider still leaves out whatever its own rules
  keep from officers or the public.
Providers read with a fixed number of queries, whatever the length of the person's record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

#: The five links, in the order the union names them. ``Entry.link`` is one of these.
LINKS = ("service", "publicity", "cultivation", "competition", "selection")
AUDIENCES = ("self", "officer", "public")


@dataclass(frozen=True)
class Entry:
    link: str  # one of LINKS
    kind: str  # what sort of record, e.g. "course_completed", "title_conferred"
    title: str  # what, already translated
    on: date  # when, a local date
    detail: str = ""  # e.g. "12 学时", "第一名 · 首席技工"
    url: str | None = None  # the record's page, for the person and officers (never shown publicly)
    hours: float | None = None  # learning hours it counts for (courses, classes, mentoring)
    private: bool = False  # shown to the person only (care received)


Provider = Callable[[int, str], list[Entry]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def entries_for(user_id: int, audience: str) -> list[Entry]:
    """Everything every package records of the person, newest first."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    entries = [entry for provider in _PROVIDERS for entry in provider(user_id, audience)]
    if audience != "self":
        entries = [entry for entry in entries if not entry.private]
    if audience == "public":
        entries = [Entry(**{**entry.__dict__, "url": None}) for entry in entries]
    return sorted(entries, key=lambda entry: (entry.on, entry.link, entry.kind), reverse=True)
