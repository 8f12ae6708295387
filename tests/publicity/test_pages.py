"""The staff pages: an editor writes through the form, the person confirms, a reviewer
publishes; refusals come back as field messages, never a 500."""

from __future__ import annotations

import io

from lms.extensions import db
from lms.publicity.models import MediaReport, Story, StoryStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_write_confirm_publish_through_the_pages(client, auth, world, column):
    auth.login(world["editor"])
    answer = client.post(
        "/publicity/stories/new",
        data={
            "column_id": column.id,
            "employee_no": world["hero"].employee_no,
            "title": "焊花里的青春",
            "body": "正文",
        },
    )
    assert answer.status_code == 302
    story = db.session.query(Story).one()
    assert (
        client.post(
            f"/publicity/stories/{story.id}/media",
            data={"file": (io.BytesIO(PNG), "a.png", "image/png"), "caption": "在车间"},
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    assert len(story.media) == 1
    client.post(f"/publicity/stories/{story.id}/submit")
    auth.logout()

    auth.login(world["hero"])
    page = client.get(f"/publicity/stories/{story.id}").get_data(as_text=True)
    assert "我同意公开这篇事迹" in page
    client.post(f"/publicity/stories/{story.id}/consent", data={"show_growth": "y"})
    auth.logout()

    auth.login(world["reviewer"])
    client.post(f"/publicity/stories/{story.id}/publish", data={"note": ""})
    db.session.refresh(story)
    assert story.status == StoryStatus.published and story.show_growth
    auth.logout()
    assert "焊花里的青春" in client.get(f"/stories/{story.id}").get_data(as_text=True)


def test_a_person_outside_scope_is_a_field_message(client, auth, world, column):
    auth.login(world["editor"])
    answer = client.post(
        "/publicity/stories/new",
        data={
            "column_id": column.id,
            "employee_no": world["far_hero"].employee_no,
            "title": "t",
            "body": "b",
        },
    )
    assert answer.status_code == 422
    assert "找不到您所辖范围内工号为" in answer.get_data(as_text=True)
    assert db.session.query(Story).count() == 0


def test_a_report_needs_a_link_or_a_scan_and_refuses_javascript(client, auth, world):
    auth.login(world["editor"])
    base = {"outlet": "江城日报", "published_on": "2026-11-01", "title": "报道"}
    answer = client.post("/publicity/reports/new", data=base)
    assert answer.status_code == 422 and "扫描件" in answer.get_data(as_text=True)
    answer = client.post("/publicity/reports/new", data={**base, "link": "javascript:alert(1)"})
    assert answer.status_code == 422
    answer = client.post(
        "/publicity/reports/new",
        data={**base, "link": "https://example.com/a", "people": world["hero"].employee_no},
    )
    assert answer.status_code == 302
    report = db.session.query(MediaReport).one()
    assert report.people == [world["hero"]]
    assert "江城日报" in client.get("/publicity/reports").get_data(as_text=True)


def test_a_non_editor_is_sent_to_their_own_stories(client, auth, world, draft):
    auth.login(world["hero"])
    answer = client.get("/publicity/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/publicity/mine")
    assert "焊花里的青春" in client.get("/publicity/mine").get_data(as_text=True)
