"""Assessment engine: queries and time per answer-save and per submit as the bank grows.

    python -m bench.assessment [--bank 300] [--candidates 20] [--questions 50]

On PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server; the database
``bench_assessment`` is recreated and migrated). For a bank of ``--bank`` questions and then
ten times as many (imported from a CSV through the engine's importer, all rows in one
statement), ``--candidates`` people each start an exam of ``--questions`` questions drawn by
blueprint, save every answer one request at a time (PUT …/answers/<n>) and submit, all through
the JSON API with a Bearer token. Reported per request kind: SQL statements (min–max over
every request) and the median and 95th-percentile milliseconds; the import's seconds.

The claim checked: the statements of an answer-save and of a submit do not change when the
bank grows tenfold (a save touches the sitting and one item; a submit the sitting and its own
items, never the bank). Prints one table and writes it to bench/results/assessment.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

import sqlalchemy as sa

from bench.harness import ROOT, fresh_database

TOPICS = ["安全规程", "焊接工艺", "焊接材料", "识图", "设备"]


def _csv(n: int, start: int) -> bytes:
    rows = ["题型,知识点,难度,题干,选项A,选项B,选项C,选项D,答案,分值"]
    for i in range(start, start + n):
        topic, difficulty = TOPICS[i % 5], (i // 5) % 3 + 1
        kind = ("单选", "多选", "判断", "填空")[i % 4]
        if kind == "单选":
            rows.append(f"{kind},{topic},{difficulty},题{i},甲,乙,丙,丁,B,1")
        elif kind == "多选":
            rows.append(f"{kind},{topic},{difficulty},题{i},甲,乙,丙,丁,ACD,2")
        elif kind == "判断":
            rows.append(f"{kind},{topic},{difficulty},题{i},,,,,对,1")
        else:
            rows.append(f"{kind},{topic},{difficulty},题{i},,,,,答{i},1")
    return ("\n".join(rows) + "\n").encode()


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


def run(bank_size: int, candidates: int, questions: int, app, counter, label: str) -> dict:  # noqa: PLR0915 - one scenario read top to bottom
    from lms.accounts.models import OrgKind, Role
    from lms.accounts.services import create_api_token, create_organization, create_user
    from lms.assessment import services
    from lms.db import utcnow
    from lms.extensions import db

    root = create_organization(None, f"总工会{label}", OrgKind.federation, None)
    plant = create_organization(None, f"机械厂{label}", OrgKind.enterprise, root)
    officer = create_user(
        None,
        organization=plant,
        roles=[Role.officer],
        password="Bench-pass-2026",
        employee_no=f"BO{label}",
        name="专员",
        mobile=f"1370000{label:0>4}"[:11],
    )
    bank = services.create_bank(officer, plant, f"题库{label}")
    started = time.perf_counter()
    result = services.import_questions(officer, bank, "bank.csv", _csv(bank_size, 0))
    import_seconds = time.perf_counter() - started
    assert not result.errors, result.messages()[:3]
    per = questions // 5
    exam = services.create_exam(
        officer,
        bank,
        title="基准考试",
        blueprint=[{"topic": t, "difficulty": None, "count": per} for t in TOPICS],
        duration_minutes=600,
        opens_at=utcnow() - timedelta(minutes=1),
    )
    tokens = []
    for i in range(candidates):
        person = create_user(
            None,
            organization=plant,
            password="Bench-pass-2026",
            employee_no=f"B{label}{i:04d}",
            name=f"考生{i}",
            mobile=f"136{label:0>4}{i:04d}"[:11],
        )
        tokens.append(create_api_token(person, "bench")[1])
    db.session.commit()
    clients = {}
    timings: dict[str, list[float]] = {"start": [], "save": [], "submit": []}
    statements: dict[str, list[int]] = {"start": [], "save": [], "submit": []}

    def call(kind, method, path, headers, **body):
        counter.n = 0
        t0 = time.perf_counter()
        client = clients.setdefault(headers["Authorization"], app.test_client())  # one each
        response = client.open(path, method=method, headers=headers, **body)
        timings[kind].append((time.perf_counter() - t0) * 1000)
        statements[kind].append(counter.n)
        assert response.status_code < 300, (path, response.status_code, response.get_data()[:200])
        return response.get_json()

    for secret in tokens:
        headers = {"Authorization": f"Bearer {secret}"}
        sitting = call("start", "POST", f"/api/v1/assessment/exams/{exam.id}/sitting", headers)
        for item in sitting["items"]:
            body = {"text": "答"} if item["kind"] == "fill" else {"choices": [0]}
            call(
                "save",
                "PUT",
                f"/api/v1/assessment/sittings/{sitting['id']}/answers/{item['position']}",
                headers,
                json=body,
            )
        done = call(
            "submit", "POST", f"/api/v1/assessment/sittings/{sitting['id']}/submit", headers
        )
        assert done["closed_by"] == "submit"
    row = {"bank": bank_size, "import_s": import_seconds}
    for kind in timings:
        ms = sorted(timings[kind])
        row[kind] = (
            min(statements[kind]),
            max(statements[kind]),
            statistics.median(ms),
            ms[max(0, int(len(ms) * 0.95) - 1)],
            len(ms),
        )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bank", type=int, default=300)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()

    from lms import create_app
    from lms.extensions import db

    url = fresh_database("bench_assessment")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})

    @app.teardown_request
    def _forget_request_state(exc):
        # The benchmark keeps one app context open (as the tests do); each request must
        # still find its own signed-in person, not the previous request's.
        from flask import g

        g.pop("_login_user", None)
        db.session.expire_all()

    rows = []
    with app.app_context():
        counter = Counter(db.engine)
        for n, size in enumerate((args.bank, args.bank * 10)):
            rows.append(run(size, args.candidates, args.questions, app, counter, str(n + 1)))
            db.session.remove()
        db.engine.dispose()

    lines = [
        f"# Assessment: answer-save and submit as the bank grows ({args.candidates} candidates, "
        f"{args.questions}-question papers, PostgreSQL)",
        "",
        "| bank questions | import s | request | n | SQL statements (min–max) | median ms | p95 ms |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        for kind in ("start", "save", "submit"):
            lo, hi, med, p95, n = row[kind]
            lines.append(
                f"| {row['bank']} | {row['import_s']:.2f} | {kind} | {n} | {lo}–{hi} | {med:.1f} | {p95:.1f} |"
            )
    same = all(rows[0][k][:2] == rows[1][k][:2] for k in ("save", "submit"))
    lines += [
        "",
        f"answer-save and submit statements unchanged at ×10 bank: **{'yes' if same else 'NO'}**",
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results" / "assessment.md"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
