"""Columns and stories: writing, the person's consent, review, publishing and withdrawal,
and the story's photos and videos.

The workflow: draft → review → published → withdrawn (→ draft again to revise). The editor
writes and submits; the person concerned confirms the text (an edit takes the consent back);
a reviewer publishes it — only with the consent — or sends it back with notes, and may
withdraw a published story with notes. The person may take back their consent at any time:
a published story is then withdrawn at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit.services import record
from lms.core import storage
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.publicity.models import Column, MediaKind, Story, StoryEvent, StoryMedia, StoryStatus
from lms.publicity.services.common import (
    Prefixed,
    clean,
    edits,
    is_editor,
    load,
    require_editor,
    require_reviewer,
    reviews,
)

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 300 * 1024 * 1024
MAX_BODY = 60_000

#: Leading bytes of the files a story accepts, by kind and content type.
_SIGNATURES = {
    "image/jpeg": (MediaKind.image, lambda h: h.startswith(b"\xff\xd8\xff")),
    "image/png": (MediaKind.image, lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    "image/gif": (MediaKind.image, lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    "image/webp": (MediaKind.image, lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
    "video/mp4": (MediaKind.video, lambda h: h[4:8] == b"ftyp"),
    "video/webm": (MediaKind.video, lambda h: h.startswith(b"\x1a\x45\xdf\xa3")),
}


# --- columns ---------------------------------------------------------------------------------


def columns() -> list[Column]:
    return list(db.session.scalars(sa.select(Column).order_by(Column.position, Column.id)))


def get_column(column_id: int) -> Column:
    column = db.session.get(Column, column_id)
    if column is None:
        raise NotFound()
    return column


def save_column(
    actor: User, column: Column | None = None, *, name: str, description=None, position: int = 0
) -> Column:
    require_reviewer(actor)
    name = clean(name, 60)
    if not name:
        raise Invalid(errors={"name": [_("请填写专栏名称，例如“劳模风采”。")]})
    clash = db.session.scalar(
        sa.select(Column.id).where(Column.name == name, Column.id != (column.id if column else 0))
    )
    if clash:
        raise Conflict(_("已有名为“%(name)s”的专栏，请换一个名称。", name=name))
    column = column or Column(created_by_id=actor.id)
    column.name = name
    column.description = clean(description, 500)
    column.position = int(position or 0)
    try:
        with db.session.begin_nested():
            db.session.add(column)
    except IntegrityError:
        raise Conflict(_("已有名为“%(name)s”的专栏，请换一个名称。", name=name)) from None
    db.session.commit()
    return column


# --- reading ---------------------------------------------------------------------------------


@dataclass
class StoryFilter:
    status: str | None = None
    column_id: int | None = None
    q: str | None = None


def stories_query(actor: User, filters: StoryFilter | None = None) -> sa.Select:
    """Stories the actor works on: editors and reviewers those of their subtree."""
    if not is_editor(actor):
        raise Forbidden(_("只有培训专员（宣传编辑）可以查看事迹稿件。"))
    filters = filters or StoryFilter()
    stmt = (
        sa.select(Story)
        .join(Organization, Story.organization_id == Organization.id)
        .where(scope.subtree_condition(actor))
        .options(selectinload(Story.person), selectinload(Story.column))
        .order_by(Story.updated_at.desc(), Story.id.desc())
    )
    if filters.status in StoryStatus.__members__:
        stmt = stmt.where(Story.status == StoryStatus(filters.status))
    if filters.column_id:
        stmt = stmt.where(Story.column_id == filters.column_id)
    if filters.q:
        stmt = stmt.where(Story.title.contains(filters.q))
    return stmt


def my_stories(actor: User) -> list[Story]:
    """Stories about the actor (or their team) that are not only drafts in the editor's hands."""
    return list(
        db.session.scalars(
            sa.select(Story)
            .where(Story.person_id == actor.id)
            .options(selectinload(Story.column))
            .order_by(Story.updated_at.desc())
            .limit(100)
        )
    )


def can_read(actor: User, story: Story) -> bool:
    return story.person_id == actor.id or edits(actor, story.organization)


def can_edit(actor: User, story: Story) -> bool:
    return edits(actor, story.organization) and story.status == StoryStatus.draft


def can_review(actor: User, story: Story) -> bool:
    return reviews(actor, story.organization)


def require_edits(actor: User, story: Story) -> None:
    if not edits(actor, story.organization):
        raise Forbidden(_("只能修改本单位范围内的事迹。"))


def get_story(actor: User, story_id: int, *, lock: bool = False) -> Story:
    story = load(Story, story_id, lock=lock)
    if story is None or not can_read(actor, story):
        raise NotFound()
    return story


def history(story: Story) -> list[StoryEvent]:
    return list(
        db.session.scalars(
            sa.select(StoryEvent)
            .where(StoryEvent.story_id == story.id)
            .options(selectinload(StoryEvent.actor))
            .order_by(StoryEvent.id)
        )
    )


def _event(story: Story, actor: User | None, action: str, note: str | None = None) -> None:
    db.session.add(
        StoryEvent(
            story_id=story.id, actor_id=actor.id if actor else None, action=action, note=note
        )
    )


# --- writing ---------------------------------------------------------------------------------


def _check_text(title, body, summary) -> tuple[str, str, str | None]:
    errors = {}
    title = clean(title, 120)
    if not title:
        errors["title"] = [_("请填写标题。")]
    body = (body or "").strip()
    if not body:
        errors["body"] = [_("请填写正文（支持 Markdown）。")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("正文最长 %(n)s 字，请精简或分篇。", n=MAX_BODY)]
    if errors:
        raise Invalid(errors=errors)
    return title, body, clean(summary, 300)


def create_story(
    actor: User,
    *,
    column: Column,
    person: User,
    title: str,
    body: str,
    summary: str | None = None,
    team_name: str | None = None,
    organization: Organization | None = None,
) -> Story:
    require_editor(actor)
    if not scope.org_in_scope(actor, person.organization):
        raise Invalid(errors={"person_id": [_("事迹主人公须在您所辖单位范围内。")]})
    organization = organization or person.organization
    if not edits(actor, organization):
        raise Forbidden(_("只能为本单位范围内的单位撰写事迹。"))
    title, body, summary = _check_text(title, body, summary)
    story = Story(
        column=column,
        organization=organization,
        person=person,
        team_name=clean(team_name, 80),
        title=title,
        summary=summary,
        body=body,
        author_id=actor.id,
        status=StoryStatus.draft,
    )
    db.session.add(story)
    db.session.flush()
    _event(story, actor, "create")
    db.session.commit()
    return story


def update_story(
    actor: User,
    story: Story,
    *,
    title: str,
    body: str,
    summary: str | None = None,
    team_name: str | None = None,
    column: Column | None = None,
) -> Story:
    """Change a draft's text. The person confirmed another text: their consent is taken back."""
    story = get_story(actor, story.id, lock=True)
    if not edits(actor, story.organization):
        raise Forbidden(_("只能修改本单位范围内的事迹。"))
    if story.status != StoryStatus.draft:
        raise Conflict(_("只能修改草稿。已提交或已发布的事迹请先退回或撤下，再修改。"))
    title, body, summary = _check_text(title, body, summary)
    changed = (title, body, summary, clean(team_name, 80)) != (
        story.title,
        story.body,
        story.summary,
        story.team_name,
    )
    story.title, story.body, story.summary = title, body, summary
    story.team_name = clean(team_name, 80)
    if column is not None:
        story.column = column
    if changed and story.consent_at is not None:
        story.consent_at = None
        story.show_growth = False
        _event(story, actor, "consent_reset", _("正文已修改，需要本人重新确认。"))
    _event(story, actor, "edit")
    db.session.commit()
    return story


def submit(actor: User, story: Story) -> Story:
    story = get_story(actor, story.id, lock=True)
    if not edits(actor, story.organization):
        raise Forbidden(_("只能提交本单位范围内的事迹。"))
    if story.status != StoryStatus.draft:
        raise Conflict(_("这篇事迹不是草稿，不能再提交审核。"))
    story.status = StoryStatus.review
    story.submitted_at = utcnow()
    _event(story, actor, "submit")
    db.session.commit()
    return story


def revise(actor: User, story: Story) -> Story:
    """A withdrawn story back to a draft, to be corrected and submitted again."""
    story = get_story(actor, story.id, lock=True)
    if not edits(actor, story.organization):
        raise Forbidden(_("只能修改本单位范围内的事迹。"))
    if story.status != StoryStatus.withdrawn:
        raise Conflict(_("只有已撤下的事迹可以重新修改。"))
    story.status = StoryStatus.draft
    _event(story, actor, "revise")
    db.session.commit()
    return story


# --- consent ---------------------------------------------------------------------------------


def give_consent(actor: User, story: Story, *, show_growth: bool) -> Story:
    """The person concerned confirms this text may be public, and whether their growth
    path (成长之路) is shown beside it."""
    story = get_story(actor, story.id, lock=True)
    if story.person_id != actor.id:
        raise Forbidden(_("只有事迹主人公本人可以确认。"))
    if story.status not in (StoryStatus.draft, StoryStatus.review):
        raise Conflict(_("这篇事迹已发布或已撤下，无需再确认。"))
    story.consent_at = utcnow()
    story.show_growth = bool(show_growth)
    _event(story, actor, "consent", _("同时公开成长之路") if show_growth else None)
    record(
        actor,
        "publicity.consent.give",
        "publicity_story",
        story.id,
        organization_id=story.organization_id,
        after={"show_growth": story.show_growth},
        summary=story.title,
    )
    db.session.commit()
    return story


def revoke_consent(actor: User, story: Story, *, note: str | None = None) -> Story:
    """The person takes their consent back; a published story is withdrawn at once."""
    story = get_story(actor, story.id, lock=True)
    if story.person_id != actor.id:
        raise Forbidden(_("只有事迹主人公本人可以撤回同意。"))
    if story.consent_at is None:
        raise Conflict(_("您尚未同意公开这篇事迹，无需撤回。"))
    was = story.status
    story.consent_at = None
    story.show_growth = False
    if was == StoryStatus.published:
        story.status = StoryStatus.withdrawn
        story.withdrawn_at = utcnow()
    elif was == StoryStatus.review:
        story.status = StoryStatus.draft
    _event(story, actor, "consent_revoked", clean(note, 2000))
    record(
        actor,
        "publicity.consent.revoke",
        "publicity_story",
        story.id,
        organization_id=story.organization_id,
        before={"status": str(was)},
        after={"status": str(story.status)},
        summary=story.title,
    )
    db.session.commit()
    return story


# --- review ----------------------------------------------------------------------------------


def _reviewed(actor: User, story_id: int, expected: StoryStatus, wrong: str) -> Story:
    require_reviewer(actor)
    story = get_story(actor, story_id, lock=True)
    if not reviews(actor, story.organization):
        raise NotFound()
    if story.status != expected:
        raise Conflict(wrong)
    return story


def publish(actor: User, story: Story, *, note: str | None = None) -> Story:
    story = _reviewed(actor, story.id, StoryStatus.review, _("只有待审核的事迹可以发布。"))
    if story.consent_at is None:
        raise Conflict(
            _(
                "%(name)s 本人尚未确认这篇事迹，不能发布。请提醒本人登录后在“我的事迹”中确认。",
                name=story.person.name,
            )
        )
    story.status = StoryStatus.published
    story.published_at = utcnow()
    story.reviewed_by_id = actor.id
    story.review_note = clean(note, 2000)
    _event(story, actor, "publish", story.review_note)
    record(
        actor,
        "publicity.story.publish",
        "publicity_story",
        story.id,
        organization_id=story.organization_id,
        after={"status": "published"},
        summary=story.title,
    )
    db.session.commit()
    return story


def _note_required(note: str | None) -> str:
    note = clean(note, 2000)
    if not note:
        raise Invalid(errors={"note": [_("请写明审核意见，编辑据此修改。")]})
    return note


def send_back(actor: User, story: Story, *, note: str | None) -> Story:
    """Back to the editor with the reviewer's notes."""
    note = _note_required(note)
    story = _reviewed(actor, story.id, StoryStatus.review, _("只有待审核的事迹可以退回。"))
    story.status = StoryStatus.draft
    story.reviewed_by_id = actor.id
    story.review_note = note
    _event(story, actor, "return", note)
    db.session.commit()
    return story


def withdraw(actor: User, story: Story, *, note: str | None) -> Story:
    note = _note_required(note)
    story = _reviewed(actor, story.id, StoryStatus.published, _("只有已发布的事迹可以撤下。"))
    story.status = StoryStatus.withdrawn
    story.withdrawn_at = utcnow()
    story.reviewed_by_id = actor.id
    story.review_note = note
    _event(story, actor, "withdraw", note)
    record(
        actor,
        "publicity.story.withdraw",
        "publicity_story",
        story.id,
        organization_id=story.organization_id,
        before={"status": "published"},
        after={"status": "withdrawn"},
        summary=story.title,
    )
    db.session.commit()
    return story


def review_queue(actor: User) -> sa.Select:
    require_reviewer(actor)
    return (
        stories_query(actor, StoryFilter(status=StoryStatus.review.value))
        .order_by(None)
        .order_by(Story.submitted_at, Story.id)
    )


# --- photos and videos -----------------------------------------------------------------------


def add_media(
    actor: User, story: Story, *, stream, filename: str, content_type: str, caption=None
) -> StoryMedia:
    story = get_story(actor, story.id)
    if not edits(actor, story.organization):
        raise Forbidden(_("只能修改本单位范围内的事迹。"))
    if story.status != StoryStatus.draft:
        raise Conflict(_("只能给草稿添加照片或视频。"))
    content_type = (content_type or "").split(";")[0].strip().lower()
    known = _SIGNATURES.get(content_type)
    head = stream.read(16)
    if known is None or not known[1](head):
        raise Invalid(errors={"file": [_("只接受 JPEG、PNG、GIF、WebP 图片或 MP4、WebM 视频。")]})
    kind = known[0]
    limit = MAX_IMAGE_BYTES if kind == MediaKind.image else MAX_VIDEO_BYTES
    key = storage.save(
        Prefixed(head, stream),
        max_bytes=limit,
        too_large_message=_("图片最大 10 MB，视频最大 300 MB。请压缩后再上传。"),
    )
    media = StoryMedia(
        story_id=story.id,
        kind=kind,
        storage_key=key,
        filename=(clean(filename, 200) or "file"),
        content_type=content_type,
        size=storage.path(key).stat().st_size,
        caption=clean(caption, 200),
    )
    db.session.add(media)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    return media


def remove_media(actor: User, media: StoryMedia) -> None:
    story = get_story(actor, media.story_id)
    if not edits(actor, story.organization):
        raise Forbidden(_("只能修改本单位范围内的事迹。"))
    if story.status != StoryStatus.draft:
        raise Conflict(_("只能删除草稿中的照片或视频。"))
    key = media.storage_key
    db.session.delete(media)
    db.session.commit()
    storage.delete(key)


def get_media(actor: User | None, media_id: int) -> StoryMedia:
    """A story's file: anyone for a published story; otherwise its editors, reviewers and
    the person concerned."""
    media = db.session.get(StoryMedia, media_id)
    if media is None:
        raise NotFound()
    story = media.story
    if story.status != StoryStatus.published and (
        actor is None or not actor.is_authenticated or not can_read(actor, story)
    ):
        raise NotFound()
    return media


def people_for(actor: User, q: str | None = None, limit: int = 50) -> list[User]:
    """People an editor may write about, by name or employee number."""
    require_editor(actor)
    stmt = (
        sa.select(User)
        .join(Organization, User.organization_id == Organization.id)
        .where(scope.subtree_condition(actor), User.active.is_(True))
        .order_by(User.name, User.id)
        .limit(limit)
    )
    if q:
        stmt = stmt.where(sa.or_(User.name.contains(q), User.employee_no.contains(q)))
    return list(db.session.scalars(stmt))
