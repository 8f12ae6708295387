"""Public events — lecture tours, forums, online lectures (宣讲会、座谈会、云宣讲) — contributed
by the packages that run them: ``events.register(fn)``.

Training sessions and live lectures already have sign-up, check-in and reminders; the publicity
pages list the ones marked as public events, upcoming and past with replays, without importing
either package. A provider is ``provider(start, end, limit) -> list[Event]``: the public events
that start in ``[start, end)`` (aware datetimes), at most ``limit`` of them, soonest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Event:
    source: str  # "training", "courses" …: who runs it
    title: str
    starts_at: datetime  # aware UTC
    ends_at: datetime | None
    place: str  # a hall's name, or "" when online
    online: bool
    speakers: tuple[str, ...]  # the model workers who speak (names, public)
    url: str  # its page: sign-up, check-in, or the lecture
    replay_url: str | None = None  # the recording, once there is one


Provider = Callable[[datetime, datetime, int], list[Event]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def events_between(start: datetime, end: datetime, limit: int = 50) -> list[Event]:
    found = [event for provider in _PROVIDERS for event in provider(start, end, limit)]
    return sorted(found, key=lambda event: event.starts_at)[:limit]
