"""Collections (报告文学集): an editor selects published stories of their subtree into a book;
a Celery task makes its PDF and EPUB and reports its progress (0–100) as it goes.

The task is idempotent: a collection already done is left as it is; a failed or interrupted
one is built again from the start. Files are stored through ``lms.core.storage``.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.core import storage
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.publicity.models import BookStatus, Collection, Story, StoryStatus, collection_stories
from lms.publicity.services.common import clean, edits, require_editor

MAX_STORIES = 100


def collections_query(actor: User) -> sa.Select:
    require_editor(actor)
    return (
        sa.select(Collection)
        .join(Organization, Collection.organization_id == Organization.id)
        .where(scope.subtree_condition(actor))
        .order_by(Collection.id.desc())
    )


def get_collection(actor: User, collection_id: int) -> Collection:
    collection = db.session.get(Collection, collection_id)
    if collection is None or not edits(actor, collection.organization):
        raise NotFound()
    return collection


def publishable_stories(actor: User) -> list[Story]:
    """Published stories of the actor's subtree, newest first: what a collection may hold."""
    require_editor(actor)
    return list(
        db.session.scalars(
            sa.select(Story)
            .join(Organization, Story.organization_id == Organization.id)
            .where(scope.subtree_condition(actor), Story.status == StoryStatus.published)
            .options(selectinload(Story.person))
            .order_by(Story.published_at.desc())
            .limit(500)
        )
    )


def create_collection(
    actor: User, *, title: str, story_ids: list[int], subtitle: str | None = None
) -> Collection:
    require_editor(actor)
    errors = {}
    title = clean(title, 120)
    if not title:
        errors["title"] = [_("请填写文集的书名。")]
    ids = list(dict.fromkeys(int(i) for i in story_ids or []))
    allowed = {s.id for s in publishable_stories(actor)}
    if not ids:
        errors["story_ids"] = [_("请至少选择一篇已发布的事迹。")]
    elif len(ids) > MAX_STORIES:
        errors["story_ids"] = [_("一本文集最多收录 %(n)d 篇事迹。", n=MAX_STORIES)]
    elif any(i not in allowed for i in ids):
        errors["story_ids"] = [_("只能收录您所辖单位范围内已发布的事迹。")]
    if errors:
        raise Invalid(errors=errors)
    collection = Collection(
        organization_id=actor.organization_id,
        title=title,
        subtitle=clean(subtitle, 200),
        created_by_id=actor.id,
    )
    db.session.add(collection)
    db.session.flush()
    db.session.execute(
        collection_stories.insert(),
        [{"collection_id": collection.id, "story_id": i, "position": n} for n, i in enumerate(ids)],
    )
    db.session.commit()
    from lms.publicity.tasks import build_collection

    build_collection.delay(collection.id)
    return collection


def _progress(collection_id: int, value: int) -> None:
    db.session.execute(
        sa.update(Collection).where(Collection.id == collection_id).values(progress=value)
    )
    db.session.commit()


def build(collection_id: int) -> None:
    """Make the collection's PDF and EPUB (called by the task)."""
    from lms.publicity import books

    collection = db.session.get(Collection, collection_id)
    if collection is None or collection.status == BookStatus.done:
        return
    collection.status, collection.progress, collection.error = BookStatus.running, 0, None
    db.session.commit()
    stories = list(collection.stories)
    done = [0]

    def step():
        done[0] += 1
        _progress(collection_id, min(90, int(90 * done[0] / max(1, len(stories)))))

    try:
        pdf = books.pdf(collection.title, collection.subtitle, stories, step)
        epub = books.epub_book(
            collection.title, collection.subtitle, stories, f"lms-collection-{collection.id}"
        )
    except books.FontMissing as exc:
        collection.status, collection.error = BookStatus.failed, str(exc)[:500]
        db.session.commit()
        return
    old = (collection.pdf_key, collection.epub_key)
    collection.pdf_key, collection.epub_key = storage.save(pdf), storage.save(epub)
    collection.status, collection.progress = BookStatus.done, 100
    db.session.commit()
    for key in old:
        storage.delete(key)
