"""The courses API as an outside client reads it: quiz questions, nullable fields."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import Question, Visibility
from lms.extensions import db


def _quiz(questions):
    return {"kind": "quiz", "title": "安全小测验二", "pass_mark": 60, "questions": questions}


def test_quiz_questions_are_written_through_the_api(client, auth, world):
    auth.login(world.mentor)
    response = client.post(
        f"/api/v1/courses/{world.course.id}/lectures",
        json=_quiz(
            [
                {
                    "text": "焊接作业区多少米内不得有易燃物？",
                    "options": [{"text": "10 米", "correct": True}, {"text": "1 米"}],
                },
                {
                    "text": "焊前要检查哪些？",
                    "multiple": True,
                    "options": [
                        {"text": "焊机接地", "correct": True},
                        {"text": "焊把线绝缘", "correct": True},
                        {"text": "午饭菜单"},
                    ],
                },
            ]
        ),
    )
    assert response.status_code == 201, response.get_json()
    quiz_id = response.get_json()["id"]
    detail = client.get(f"/api/v1/lectures/{quiz_id}").get_json()
    assert [q["text"] for q in detail["questions"]] == [
        "焊接作业区多少米内不得有易燃物？",
        "焊前要检查哪些？",
    ]
    assert "correct" not in detail["questions"][0]["options"][0]  # learners never see answers

    replaced = client.patch(
        f"/api/v1/lectures/{quiz_id}",
        json={
            "questions": [
                {"text": "新题", "options": [{"text": "对", "correct": True}, {"text": "错"}]}
            ]
        },
    )
    assert replaced.status_code == 200
    texts = client.get(f"/api/v1/lectures/{quiz_id}").get_json()["questions"]
    assert [q["text"] for q in texts] == ["新题"]


def test_a_question_without_a_right_answer_is_refused_in_chinese(client, auth, world):
    auth.login(world.mentor)
    response = client.patch(
        f"/api/v1/lectures/{world.quiz.id}",
        json={"questions": [{"text": "哪个对？", "options": [{"text": "甲"}, {"text": "乙"}]}]},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["questions"] == [
        "第 1 题：请至少标出一个正确答案（在选项前加 *）。"
    ]
    single = client.patch(
        f"/api/v1/lectures/{world.quiz.id}",
        json={
            "questions": [
                {
                    "text": "单选",
                    "options": [{"text": "甲", "correct": True}, {"text": "乙", "correct": True}],
                }
            ]
        },
    )
    assert "单选题只能有一个正确答案" in single.get_json()["errors"]["questions"][0]
    questions_of_text = client.patch(
        f"/api/v1/lectures/{world.text.id}",
        json={
            "questions": [
                {"text": "题", "options": [{"text": "甲", "correct": True}, {"text": "乙"}]}
            ]
        },
    )
    assert questions_of_text.status_code == 422
    count = sa.select(sa.func.count(Question.id)).where(Question.lecture_id == world.text.id)
    assert db.session.scalar(count) == 0


def test_fields_that_can_be_null_are_documented_as_nullable(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]

    def nullable(schema: str, field: str) -> bool:
        spec = schemas[schema]["properties"][field]
        kinds = spec.get("type")
        return spec.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)

    for schema in ("Lecture", "LectureDetail"):
        for field in ("file_name", "file_size", "media_url", "video_url", "duration_seconds"):
            assert nullable(schema, field), (schema, field)
    assert nullable("Course", "published_at")


def test_patch_changes_only_the_fields_sent(client, auth, world):
    world.course.visibility = Visibility.organizations
    world.course.organizations = [world.enterprise]
    world.course.self_enroll = False
    db.session.commit()
    auth.login(world.officer)
    response = client.patch(f"/api/v1/courses/{world.course.id}", json={"hours": 8})
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert world.course.hours == 8 and world.course.visibility == Visibility.organizations
    assert world.course.organizations == [world.enterprise] and world.course.self_enroll is False
    document = client.get("/api/v1/openapi.json").get_json()
    assert "title" not in document["components"]["schemas"]["LectureUpdate"].get("required", [])
