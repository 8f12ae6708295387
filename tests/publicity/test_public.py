"""The public pages: what a visitor without an account sees, the cache that serves repeated
views without a query, the reach counters, and the growth path shown only with consent."""

from __future__ import annotations

import io
from datetime import date

import pytest

from lms.core import growth
from lms.extensions import db
from lms.publicity import services
from lms.publicity.models import StoryReach
from tests.publicity.conftest import published

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def path_entries():
    """A growth provider standing for the other packages' records."""

    def provider(user_id, audience):
        return [
            growth.Entry("cultivation", "course_completed", "课程结业：焊接工艺", date(2020, 5, 1)),
            growth.Entry("service", "care", "帮扶记录", date(2021, 1, 1), private=True),
        ]

    growth.register(provider)
    yield
    growth._PROVIDERS.remove(provider)


def test_a_visitor_reads_a_published_story_with_its_growth_path(client, world, draft, path_entries):
    published(world, draft, show_growth=True)
    page = client.get(f"/stories/{draft.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "焊花里的青春" in html and "<strong>学徒</strong>" in html
    assert "成长之路" in html and "课程结业：焊接工艺" in html
    assert "帮扶记录" not in html  # private entries never reach the public
    assert f"/stories/{draft.id}/qr.svg" in html
    home = client.get("/stories/").get_data(as_text=True)
    assert "劳模风采" in home and "焊花里的青春" in home


def test_no_growth_path_without_that_consent(client, world, draft, path_entries):
    published(world, draft, show_growth=False)
    html = client.get(f"/stories/{draft.id}").get_data(as_text=True)
    assert "焊花里的青春" in html and "成长之路" not in html


def test_unpublished_stories_are_not_found(client, world, draft):
    assert client.get(f"/stories/{draft.id}").status_code == 404
    services.submit(world["editor"], draft)
    services.give_consent(world["hero"], draft, show_growth=True)
    assert client.get(f"/stories/{draft.id}").status_code == 404
    services.publish(world["reviewer"], draft)
    assert client.get(f"/stories/{draft.id}").status_code == 200
    services.withdraw(world["reviewer"], draft, note="核实中")
    assert client.get(f"/stories/{draft.id}").status_code == 404  # the cached copy is retired


def test_a_repeated_view_runs_no_query(client, world, draft, query_counter):
    published(world, draft)
    pages = [f"/stories/{draft.id}", "/stories/", f"/stories/columns/{draft.column_id}"]
    for url in pages:
        with query_counter() as first:
            assert client.get(url).status_code == 200
        assert first, url  # the first view reads the database …
        with query_counter() as again:
            assert client.get(url).status_code == 200
        assert again == [], url  # … a repeated one does not


def test_an_edit_of_the_title_shows_at_once(client, world, draft):
    published(world, draft)
    client.get(f"/stories/{draft.id}")
    services.withdraw(world["reviewer"], draft, note="改标题")
    services.revise(world["editor"], draft)
    services.update_story(world["editor"], draft, title="新的标题", body=draft.body)
    published(world, draft)
    assert "新的标题" in client.get(f"/stories/{draft.id}").get_data(as_text=True)


def test_views_are_counted_per_day_and_flushed_idempotently(client, world, draft):
    published(world, draft)
    for _ in range(3):
        client.get(f"/stories/{draft.id}")
    assert services.flush_reach() == 1
    assert services.flush_reach() == 1
    rows = db.session.query(StoryReach).all()
    assert [(r.story_id, r.views) for r in rows] == [(draft.id, 3)]
    today = services.local_today()
    assert services.most_read(today.year, today.month) == [(draft, 3)]


def test_markdown_images_only_from_the_stories_own_media(client, world, column):
    story = services.create_story(
        world["editor"],
        column=column,
        person=world["hero"],
        title="图片",
        body="![x](https://tracker.example/p.gif)\n\n![y](/stories/media/7)\n\n<script>alert(1)</script>",
    )
    published(world, story)
    html = client.get(f"/stories/{story.id}").get_data(as_text=True)
    assert "tracker.example" not in html
    assert 'src="/stories/media/7"' in html
    assert "<script>alert" not in html


def test_media_of_a_published_story_is_public(client, world, draft):
    media = services.add_media(
        world["editor"], draft, stream=io.BytesIO(PNG), filename="a.png", content_type="image/png"
    )
    assert client.get(f"/stories/media/{media.id}").status_code == 404
    published(world, draft)
    answer = client.get(f"/stories/media/{media.id}")
    assert answer.status_code == 200 and answer.data == PNG
    assert answer.headers["Content-Type"] == "image/png"


def test_qr_code_is_an_svg_of_the_story_link(client, world, draft):
    answer = client.get(f"/stories/{draft.id}/qr.svg")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in answer.data
