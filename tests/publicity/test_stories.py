"""Stories: who writes, who reviews, the person's consent, and the workflow's rules."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from lms.audit.models import AuditEntry
from lms.core import storage
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.publicity import services
from lms.publicity.models import StoryMedia, StoryStatus
from tests.publicity.conftest import published

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_only_reviewers_keep_columns(world):
    with pytest.raises(Forbidden):
        services.save_column(world["editor"], name="工匠故事")
    column = services.save_column(world["admin"], name="工匠故事")
    with pytest.raises(Conflict):
        services.save_column(world["reviewer"], name="工匠故事")
    with pytest.raises(Invalid) as refused:
        services.save_column(world["reviewer"], column, name="  ")
    assert "name" in refused.value.errors


def test_editor_writes_only_in_scope(world, column):
    with pytest.raises(Forbidden):
        services.create_story(
            world["worker"], column=column, person=world["hero"], title="t", body="b"
        )
    with pytest.raises(Invalid) as refused:
        services.create_story(
            world["editor"], column=column, person=world["far_hero"], title="t", body="b"
        )
    assert "person_id" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        services.create_story(
            world["editor"], column=column, person=world["hero"], title="", body=""
        )
    assert set(refused.value.errors) == {"title", "body"}


def test_story_is_not_found_outside_scope(world, draft):
    assert services.get_story(world["hero"], draft.id) == draft
    for outsider in ("other_editor", "worker"):
        with pytest.raises(NotFound):
            services.get_story(world[outsider], draft.id)
    ids = db.session.scalars(services.stories_query(world["other_editor"])).all()
    assert draft not in ids


def test_publishing_needs_the_persons_consent(world, draft):
    services.submit(world["editor"], draft)
    with pytest.raises(Conflict) as refused:
        services.publish(world["reviewer"], draft)
    assert "高铁军" in refused.value.message
    services.give_consent(world["hero"], draft, show_growth=True)
    services.publish(world["reviewer"], draft, note="文字朴实")
    assert draft.status == StoryStatus.published
    assert draft.review_note == "文字朴实"
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "publicity.consent.give" in actions and "publicity.story.publish" in actions


def test_only_the_person_consents(world, draft):
    for someone in ("editor", "reviewer", "worker"):
        with pytest.raises((Forbidden, NotFound)):
            services.give_consent(world[someone], draft, show_growth=False)
    assert draft.consent_at is None


def test_editors_cannot_publish_and_far_reviewers_cannot_see(world, draft):
    services.submit(world["editor"], draft)
    services.give_consent(world["hero"], draft, show_growth=False)
    with pytest.raises(Forbidden):
        services.publish(world["editor"], draft)
    with pytest.raises(Forbidden):
        services.publish(world["other_editor"], draft)
    services.publish(world["admin"], draft)
    assert draft.status == StoryStatus.published


def test_an_edit_takes_the_consent_back(world, draft):
    services.give_consent(world["hero"], draft, show_growth=True)
    services.update_story(world["editor"], draft, title=draft.title, body="改过的正文")
    assert draft.consent_at is None and draft.show_growth is False
    services.submit(world["editor"], draft)
    with pytest.raises(Conflict):
        services.publish(world["reviewer"], draft)


def test_an_edit_that_changes_nothing_keeps_the_consent(world, draft):
    services.give_consent(world["hero"], draft, show_growth=True)
    services.update_story(
        world["editor"], draft, title=draft.title, body=draft.body, summary=draft.summary
    )
    assert draft.consent_at is not None


def test_only_drafts_are_edited(world, draft):
    services.submit(world["editor"], draft)
    with pytest.raises(Conflict):
        services.update_story(world["editor"], draft, title="新标题", body="正文")
    with pytest.raises(Conflict):
        services.submit(world["editor"], draft)


def test_send_back_needs_notes_and_returns_a_draft(world, draft):
    services.submit(world["editor"], draft)
    with pytest.raises(Invalid) as refused:
        services.send_back(world["reviewer"], draft, note=" ")
    assert "note" in refused.value.errors
    services.send_back(world["reviewer"], draft, note="请补充获奖经历")
    assert draft.status == StoryStatus.draft
    assert [e.action for e in services.history(draft)][-1] == "return"
    assert services.history(draft)[-1].note == "请补充获奖经历"


def test_withdraw_then_revise(world, draft):
    published(world, draft)
    with pytest.raises(Invalid):
        services.withdraw(world["reviewer"], draft, note="")
    services.withdraw(world["reviewer"], draft, note="信息有误")
    assert draft.status == StoryStatus.withdrawn
    with pytest.raises(Conflict):
        services.withdraw(world["reviewer"], draft, note="again")
    services.revise(world["editor"], draft)
    assert draft.status == StoryStatus.draft


def test_taking_consent_back_withdraws_a_published_story(world, draft):
    published(world, draft)
    services.revoke_consent(world["hero"], draft, note="不想公开")
    assert draft.status == StoryStatus.withdrawn
    assert draft.consent_at is None
    with pytest.raises(NotFound):
        services.published_story(draft.id)


def test_the_database_refuses_a_published_story_without_consent(world, draft):
    draft.status = StoryStatus.published
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_media_checks_the_file_kind(world, draft):
    with pytest.raises(Invalid) as refused:
        services.add_media(
            world["editor"],
            draft,
            stream=io.BytesIO(b"<script>alert(1)</script>"),
            filename="x.png",
            content_type="image/png",
        )
    assert "file" in refused.value.errors
    media = services.add_media(
        world["editor"], draft, stream=io.BytesIO(PNG), filename="a.png", content_type="image/png"
    )
    assert storage.path(media.storage_key).read_bytes() == PNG
    assert media.size == len(PNG)
    with pytest.raises(NotFound):  # not public while a draft
        services.get_media(None, media.id)
    assert services.get_media(world["hero"], media.id) == media
    published(world, draft)
    assert services.get_media(None, media.id) == media
    with pytest.raises(Conflict):
        services.remove_media(world["editor"], media)


def test_removing_media_deletes_the_file(world, draft):
    media = services.add_media(
        world["editor"], draft, stream=io.BytesIO(PNG), filename="a.png", content_type="image/png"
    )
    key = media.storage_key
    services.remove_media(world["editor"], media)
    assert not storage.exists(key)
    assert db.session.get(StoryMedia, media.id) is None
