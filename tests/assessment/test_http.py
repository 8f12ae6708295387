"""The pages and the API as a candidate and an officer use them."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from lms.assessment import services
from lms.assessment.models import BankQuestion, Sitting
from lms.extensions import db
from tests.assessment.helpers import build, exam, freeze


@pytest.fixture
def world(app):
    return build()


def _right(item):
    q = item.question
    if q.kind == "fill":
        return {"text": q.key[0]}
    return {"choices": sorted(item.order.index(k) for k in q.key)}


def test_a_worker_sits_on_the_page_and_sees_the_result(world, client, auth):
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 4}])
    worker = world.workers[0]
    auth.login(worker)
    assert e.title in client.get("/assessment/").get_data(as_text=True)
    started = client.post(f"/assessment/exams/{e.id}/start")
    assert started.status_code == 302
    sitting = db.session.scalars(sa.select(Sitting)).one()
    page = client.get(f"/assessment/sittings/{sitting.id}").get_data(as_text=True)
    assert "data-seconds-left" in page and "✓" not in page and "钛钙" not in page
    form = {}
    for item in sitting.items:
        given = _right(item)
        if "text" in given:
            form[f"t{item.position}"] = given["text"]
        else:
            form[f"q{item.position}"] = [str(c) for c in given["choices"]]
    saved = client.post(f"/assessment/sittings/{sitting.id}/answers", data=form)
    assert saved.status_code == 302
    done = client.post(
        f"/assessment/sittings/{sitting.id}/answers",
        data={"action": "submit"},
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert "data-percent>100.00<" in text and "✓" in text  # no closing time: shown at once
    again = client.post(f"/assessment/sittings/{sitting.id}/answers", data={"action": "submit"})
    assert again.status_code == 302
    assert db.session.get(Sitting, sitting.id).percent == 100


def test_the_api_never_shows_a_key_before_the_sitting_closes(world, client, auth):
    e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 8}])
    auth.login(world.workers[0])
    body = client.post(f"/api/v1/assessment/exams/{e.id}/sitting").get_json()
    assert body["closed_at"] is None and body["seconds_left"] > 0
    assert all(not i["right"] and not i["accepted"] and i["mark"] is None for i in body["items"])
    assert "钛钙" not in str(body)
    sid = body["id"]
    answer = client.put(
        f"/api/v1/assessment/sittings/{sid}/answers/1", json={"choices": [0], "text": "x"}
    )
    assert answer.status_code == 200 and answer.get_json()["saved"] is True
    closed = client.post(f"/api/v1/assessment/sittings/{sid}/submit").get_json()
    assert closed["closed_by"] == "submit" and closed["revealed"] is True
    assert all(i["right"] or i["accepted"] for i in closed["items"])
    refused = client.put(f"/api/v1/assessment/sittings/{sid}/answers/2", json={"choices": [0]})
    assert refused.status_code == 409 and "已交卷" in refused.get_json()["message"]


def test_an_answer_after_the_deadline_is_a_409_with_a_clear_message(
    world, client, auth, monkeypatch
):
    clock = freeze(monkeypatch)
    e = exam(world, duration_minutes=5)
    auth.login(world.workers[0])
    sid = client.post(f"/api/v1/assessment/exams/{e.id}/sitting").get_json()["id"]
    clock.move(minutes=5, seconds=1)
    late = client.put(f"/api/v1/assessment/sittings/{sid}/answers/1", json={"choices": [0]})
    assert late.status_code == 409
    assert late.get_json()["message"].startswith("考试时间已到")
    assert client.get(f"/api/v1/assessment/sittings/{sid}").get_json()["closed_by"] == "timeout"


def test_another_candidate_cannot_read_or_answer_a_sitting(world, client, auth):
    e = exam(world)
    sitting = services.start(world.workers[0], e.id)
    auth.login(world.workers[1])
    assert client.get(f"/api/v1/assessment/sittings/{sitting.id}").status_code == 404
    assert client.get(f"/assessment/sittings/{sitting.id}").status_code == 404
    put = client.put(f"/api/v1/assessment/sittings/{sitting.id}/answers/1", json={"choices": [0]})
    assert put.status_code == 404
    assert client.get(f"/api/v1/assessment/exams/{e.id}/results").status_code == 404


def test_a_bad_import_on_the_page_lists_rows_and_imports_nothing(world, client, auth):
    book = Workbook()
    book.active.append(["题型", "知识点", "难度", "题干", "选项A", "选项B", "答案"])
    book.active.append(["单选", "安全", "易", "新题一", "甲", "乙", "A"])
    book.active.append(["单选", "安全", "易", "新题二", "甲", "乙", "C"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    auth.login(world.officer)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(BankQuestion))
    answer = client.post(
        f"/assessment/banks/{world.bank.id}/import",
        data={"file": (data, "题库.xlsx")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert "第 3 行（答案）：正确答案不在选项之中。" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BankQuestion)) == before


def test_an_officer_creates_a_bank_and_an_exam_through_the_api(world, client, auth):
    auth.login(world.officer)
    bank = client.post(
        "/api/v1/assessment/banks", json={"organization_id": world.plant.id, "name": "钳工题库"}
    ).get_json()
    for i in range(3):
        made = client.post(
            f"/api/v1/assessment/banks/{bank['id']}/questions",
            json={
                "kind": "single",
                "text": f"题{i}",
                "topic": "量具",
                "options": ["甲", "乙"],
                "answer": [1],
            },
        )
        assert made.status_code == 201, made.get_json()
    short = client.post(
        "/api/v1/assessment/exams",
        json={
            "bank_id": bank["id"],
            "title": "钳工考试",
            "blueprint": [{"topic": "量具", "count": 4}],
            "duration_minutes": 30,
            "opens_at": "2026-01-01T08:00:00+08:00",
        },
    )
    assert short.status_code == 422
    assert "不够抽 4 道" in short.get_json()["errors"]["blueprint"][0]
    ok = client.post(
        "/api/v1/assessment/exams",
        json={
            "bank_id": bank["id"],
            "title": "钳工考试",
            "blueprint": [{"topic": "量具", "count": 3}],
            "duration_minutes": 30,
            "opens_at": "2026-01-01T08:00:00+08:00",
            "closes_at": "2036-01-01T08:00:00+08:00",
        },
    )
    assert ok.status_code == 201 and ok.get_json()["question_count"] == 3


def test_answer_save_and_submit_do_not_grow_with_the_bank(app, query_counter):
    counts = []
    for per_pool in (4, 40):
        world = build(per_pool=per_pool)
        e = exam(world, blueprint=[{"topic": "安全", "difficulty": 1, "count": 4}])
        worker = world.workers[0]
        sitting_id = services.start(worker, e.id).id
        _ = worker.id, worker.roles  # the signed-in person, loaded once per request anyway
        with query_counter() as save:
            services.save_answer(worker, sitting_id, 2, choices=[0], text="钛钙")
        _ = worker.id, worker.roles
        with query_counter() as submit:
            services.submit(worker, sitting_id)
        counts.append((len(save), len(submit)))
    assert counts[0] == counts[1], counts
    # save: lock the sitting, read the item, write it; submit: lock, the exam's rule, the
    # items, their marks (one executemany), the sitting, the contests' listener
    assert counts[0][0] <= 3 and counts[0][1] <= 6, counts


def test_the_api_imports_a_base64_file_or_lists_its_rows(world, client, auth):
    import base64

    auth.login(world.officer)
    good = "题型,知识点,答案,题干,选项A,选项B\n单选,量具,B,卡尺精度,0.1,0.02\n".encode()
    url = f"/api/v1/assessment/banks/{world.bank.id}/import"
    made = client.post(url, json={"filename": "q.csv", "content": base64.b64encode(good).decode()})
    assert made.status_code == 201 and made.get_json()["created"] == 1
    bad = "题型,知识点,答案,题干\n问答,量具,B,什么\n".encode()
    refused = client.post(
        url, json={"filename": "q.csv", "content": base64.b64encode(bad).decode()}
    )
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["rows"] == [
        "第 2 行（题型）：题型应为单选、多选、判断或填空。"
    ]
    assert client.post(url, json={"filename": "q.csv", "content": "%%%"}).status_code == 422
