"""What visitors without an account read: published stories by column, a story with its
growth path (only with the person's consent), and how often each story was read.

The public pages' bodies are kept in the shared cache under the ``publicity-public``
generation: any committed change to a column, a story or its media moves the generation and
retires every copy at once; the growth path, drawn from other packages' records, is kept at
most ``PUBLICITY_CACHE_SECONDS``. A repeated view reads the cache only.

Reach: a view adds one to a per-story, per-day counter in the cache (an atomic increment on
Redis) — nothing about the reader. The beat task ``flush_reach`` copies today's and
yesterday's counters into ``StoryReach`` (the value, not an increment, so running it twice
changes nothing).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, selectinload

from lms.accounts.models import User
from lms.core import growth, invalidation
from lms.db import is_postgres
from lms.errors import NotFound
from lms.extensions import cache, db
from lms.publicity.models import Column, MediaReport, Story, StoryMedia, StoryReach, StoryStatus
from lms.publicity.services.common import local_today

PUBLIC_GENERATION = invalidation.register_generation("publicity-public")


def public_generation() -> str:
    return invalidation.generation(PUBLIC_GENERATION)


@sa.event.listens_for(Session, "after_flush")
def _watch_public(session: Session, flush_context) -> None:
    if invalidation.changed(session, Column, Story, StoryMedia, MediaReport) or any(
        sa.inspect(u).attrs["name"].history.has_changes()
        for u in invalidation.changed(session, User)
    ):
        invalidation.renew_after_commit(session, PUBLIC_GENERATION)


def cache_seconds() -> int:
    return int(current_app.config.get("PUBLICITY_CACHE_SECONDS", 600))


def cached_body(parts: list, render) -> str:
    """The body of a public page, rendered once per generation and ``parts`` (what the
    page depends on: the page, its arguments, the language)."""
    timeout = cache_seconds()
    key = "publicity:public:" + ":".join([public_generation(), *map(str, parts)])
    body = cache.get(key) if timeout else None
    if body is None:
        body = render()
        if timeout:
            cache.set(key, body, timeout=timeout)
    return body


# --- reading ---------------------------------------------------------------------------------


def _published():
    return Story.status == StoryStatus.published


def home(per_column: int = 4) -> list[tuple[Column, list[Story]]]:
    """Every column with its latest published stories (two queries)."""
    cols = list(db.session.scalars(sa.select(Column).order_by(Column.position, Column.id)))
    ranked = (
        sa.select(
            Story.id,
            sa.func.row_number()
            .over(
                partition_by=Story.column_id, order_by=(Story.published_at.desc(), Story.id.desc())
            )
            .label("n"),
        )
        .where(_published())
        .subquery()
    )
    stories = db.session.scalars(
        sa.select(Story)
        .join(ranked, ranked.c.id == Story.id)
        .where(ranked.c.n <= per_column)
        .options(selectinload(Story.person), selectinload(Story.media))
        .order_by(Story.published_at.desc(), Story.id.desc())
    ).all()
    by_column: dict[int, list[Story]] = {}
    for story in stories:
        by_column.setdefault(story.column_id, []).append(story)
    return [(c, by_column.get(c.id, [])) for c in cols]


def column_stories(column: Column) -> sa.Select:
    return (
        sa.select(Story)
        .where(_published(), Story.column_id == column.id)
        .options(selectinload(Story.person), selectinload(Story.media))
        .order_by(Story.published_at.desc(), Story.id.desc())
    )


def published_story(story_id: int) -> Story:
    story = db.session.scalar(
        sa.select(Story)
        .where(Story.id == story_id, _published())
        .options(selectinload(Story.person), selectinload(Story.media), selectinload(Story.column))
    )
    if story is None:
        raise NotFound()
    return story


def growth_path(story: Story) -> list[growth.Entry]:
    """The person's path across the five links, for anyone to read — only when they agreed."""
    if story.status != StoryStatus.published or not story.show_growth:
        return []
    return growth.entries_for(story.person_id, "public")


# --- reach -----------------------------------------------------------------------------------


def _reach_key(story_id: int, day: date) -> str:
    return f"publicity:reach:{day.isoformat()}:{story_id}"


def count_view(story_id: int) -> None:
    """One more view of the story today: a counter in the cache, no query, no reader."""
    key = _reach_key(story_id, local_today())
    backend = cache.cache
    backend.add(key, 0, timeout=3 * 24 * 3600)  # a new day's counter, kept for the flush
    backend.inc(key)


def flush_reach(days: int = 2) -> int:
    """Copy the cache's counters of the last ``days`` days into ``StoryReach``; returns the
    number of rows written. Idempotent: the stored value is the counter's value."""
    today = local_today()
    ids = list(db.session.scalars(sa.select(Story.id).where(Story.published_at.is_not(None))))
    written = 0
    for offset in range(days):
        day = today - timedelta(days=offset)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            values = cache.get_many(*(_reach_key(i, day) for i in chunk))
            counts = {i: int(v) for i, v in zip(chunk, values, strict=True) if v}
            if counts:
                written += _store(day, counts)
    db.session.commit()
    return written


def _store(day: date, counts: dict[int, int]) -> int:
    rows = [{"story_id": i, "day": day, "views": n} for i, n in counts.items()]
    if is_postgres(db.session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(StoryReach).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["story_id", "day"],
        set_={"views": sa.func.max(stmt.excluded.views, StoryReach.views)}
        if not is_postgres(db.session)
        else {"views": sa.func.greatest(stmt.excluded.views, StoryReach.views)},
    )
    db.session.execute(stmt)
    return len(rows)


def most_read(year: int, month: int, limit: int = 10) -> list[tuple[Story, int]]:
    """The stories most read in a month (local days), with their views."""
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    total = sa.func.sum(StoryReach.views).label("views")
    rows = db.session.execute(
        sa.select(Story, total)
        .join(StoryReach, StoryReach.story_id == Story.id)
        .where(StoryReach.day >= start, StoryReach.day < end)
        .group_by(Story.id)
        .order_by(total.desc(), Story.id)
        .limit(limit)
        .options(selectinload(Story.person))
    ).all()
    return [(story, int(views)) for story, views in rows]


def views_of(story_ids: list[int]) -> dict[int, int]:
    """Total recorded views per story."""
    if not story_ids:
        return {}
    rows = db.session.execute(
        sa.select(StoryReach.story_id, sa.func.sum(StoryReach.views))
        .where(StoryReach.story_id.in_(story_ids))
        .group_by(StoryReach.story_id)
    )
    return {i: int(n) for i, n in rows}
