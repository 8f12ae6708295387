"""The publicity API: the same workflow and refusals as the pages, with field errors."""

from __future__ import annotations


def test_the_workflow_over_the_api(client, auth, world, column):
    auth.login(world["editor"])
    made = client.post(
        "/api/v1/publicity/stories",
        json={
            "column_id": column.id,
            "person_id": world["hero"].id,
            "title": "焊花",
            "body": "正文",
        },
    )
    assert made.status_code == 201, made.get_json()
    story_id = made.get_json()["id"]
    assert (
        client.post(f"/api/v1/publicity/stories/{story_id}/submit").get_json()["status"] == "review"
    )
    refused = client.post(f"/api/v1/publicity/stories/{story_id}/consent", json={})
    assert refused.status_code == 403
    auth.logout()

    auth.login(world["hero"])
    mine = client.get("/api/v1/publicity/me/stories").get_json()
    assert [s["id"] for s in mine] == [story_id] and mine[0]["consented"] is False
    agreed = client.post(
        f"/api/v1/publicity/stories/{story_id}/consent", json={"show_growth": True}
    )
    assert agreed.get_json()["consented"] is True
    auth.logout()

    auth.login(world["reviewer"])
    answer = client.post(f"/api/v1/publicity/stories/{story_id}/publish", json={"note": "好"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "published"
    back = client.post(f"/api/v1/publicity/stories/{story_id}/withdraw", json={})
    assert back.status_code == 422 and "note" in back.get_json()["errors"]


def test_field_errors_and_scope(client, auth, world, column, draft):
    auth.login(world["editor"])
    answer = client.post(
        "/api/v1/publicity/stories",
        json={"column_id": column.id, "person_id": world["far_hero"].id, "title": "t", "body": "b"},
    )
    assert answer.status_code == 422 and "person_id" in answer.get_json()["errors"]
    answer = client.post(
        "/api/v1/publicity/stories",
        json={"column_id": 999, "person_id": world["hero"].id, "title": "t", "body": "b"},
    )
    assert answer.status_code == 422 and "column_id" in answer.get_json()["errors"]
    answer = client.post(
        "/api/v1/publicity/reports",
        json={"outlet": "日报", "published_on": "2026-01-01", "title": "t", "link": "javascript:x"},
    )
    assert answer.status_code == 422 and "link" in answer.get_json()["errors"]
    auth.logout()
    auth.login(world["other_editor"])
    assert client.get(f"/api/v1/publicity/stories/{draft.id}").status_code == 404
    assert (
        client.patch(f"/api/v1/publicity/stories/{draft.id}", json={"title": "x"}).status_code
        == 404
    )


def test_an_api_edit_takes_the_consent_back(client, auth, world, draft):
    from lms.publicity import services

    services.give_consent(world["hero"], draft, show_growth=True)
    auth.login(world["editor"])
    answer = client.patch(f"/api/v1/publicity/stories/{draft.id}", json={"body": "新的正文"})
    assert answer.status_code == 200
    assert answer.get_json()["consented"] is False and answer.get_json()["body"] == "新的正文"
