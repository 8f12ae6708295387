"""Training benchmark: a crowd checking in to one session, and reports over 1,000,000 marks.

    python -m bench.training [--workers 2000] [--connections 16] [--seconds 10] [--marks 1000000]

1. ``--workers`` people on one class's roster check in to one session over real HTTP
   (gunicorn on PostgreSQL, each with their own API token, the QR token refreshed as the
   instructor's screen would). Prints check-ins per second as a ratio to bare Flask and
   the p99 latency, then checks every worker was recorded exactly once — also after the
   whole crowd tries a second time.
2. With about ``--marks`` attendance rows, loads the organization summary and a class
   matrix of 40 workers × 50 sessions, printing their time and queries per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import threading
import time
from datetime import timedelta

import sqlalchemy as sa

from bench import datagen
from bench.harness import (
    Endpoint,
    Result,
    Server,
    bare_server,
    fresh_database,
    measure,
    print_table,
    with_ratios,
)

SECRET = "bench-only-secret"


def _app(url: str):
    from lms import create_app

    return create_app("production", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})


def prepare_checkin(url: str, workers: int) -> dict:
    """One class with ``workers`` seated, one session starting now, an API token each."""
    from lms.accounts.models import ApiToken
    from lms.accounts.services import TOKEN_PREFIX, _token_digest
    from lms.db import utcnow
    from lms.extensions import db
    from lms.training.models import ClassSession, RosterEntry, RosterStatus, TrainingClass

    app = _app(url)
    with app.app_context():
        generated = datagen.generate(max(1, workers // 1000 + 1))
        ids = generated.worker_ids[:workers]
        klass = TrainingClass(
            title="基准测试签到班",
            organization_id=generated.enterprise_ids[0],
            officer_id=generated.officer_id,
            feed_token="bench-class-feed",
            checkin_window_minutes=60,
        )
        db.session.add(klass)
        db.session.flush()
        now = utcnow()
        session = ClassSession(class_id=klass.id, starts_at=now, ends_at=now + timedelta(hours=2))
        db.session.add(session)
        db.session.flush()
        db.session.execute(
            sa.insert(RosterEntry),
            [
                {
                    "class_id": klass.id,
                    "user_id": i,
                    "status": RosterStatus.seated,
                    "seated_at": now,
                }
                for i in ids
            ],
        )
        secrets_by_user = {i: f"{TOKEN_PREFIX}bench-{i:08d}-{'x' * 20}" for i in ids}
        db.session.execute(
            sa.insert(ApiToken),
            [
                {
                    "user_id": i,
                    "name": "bench",
                    "token_hash": _token_digest(s),
                    "prefix": s[:10],
                    "created_at": now,
                }
                for i, s in secrets_by_user.items()
            ],
        )
        db.session.commit()
        state = {
            "session_id": session.id,
            "class_id": klass.id,
            "tokens": list(secrets_by_user.values()),
        }
        db.engine.dispose()
    return state


class TokenSource:
    """The QR token the instructor's screen shows, refreshed every few seconds."""

    def __init__(self, url: str, session_id: int):
        self.app = _app(url)
        self.session_id = session_id
        self.token = self._make()

    def _make(self) -> str:
        from lms.training.services import checkin_token

        with self.app.app_context():
            return checkin_token(self.session_id)

    def refresh_forever(self, stop: threading.Event) -> None:
        while not stop.wait(3):
            self.token = self._make()


def crowd(
    server: Server, state: dict, source: TokenSource, connections: int
) -> tuple[Result, dict]:
    """Every worker checks in once; returns the load figures and the status counts."""
    todo: queue.Queue = queue.Queue()
    for token in state["tokens"]:
        todo.put(token)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    path = f"/api/v1/training/sessions/{state['session_id']}/checkin"

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        local, codes = [], {}
        while True:
            try:
                api_token = todo.get_nowait()
            except queue.Empty:
                break
            body = json.dumps({"token": source.token})
            start = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=body,
                headers={
                    "Authorization": f"Bearer {api_token}",
                    "Content-Type": "application/json",
                },
            )
            response = conn.getresponse()
            response.read()
            local.append((time.perf_counter() - start) * 1000)
            codes[response.status] = codes.get(response.status, 0) + 1
        with lock:
            latencies.extend(local)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def pick(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    errors = sum(n for code, n in statuses.items() if code not in (201, 409))
    result = Result(
        f"POST check-in ({len(latencies)} people)",
        len(latencies) / elapsed,
        pick(0.5),
        pick(0.99),
        None,
        errors,
    )
    return result, {"statuses": statuses, "seconds": elapsed}


def recorded(url: str, session_id: int) -> tuple[int, int]:
    from lms.extensions import db
    from lms.training.models import Attendance

    app = _app(url)
    with app.app_context():
        rows = db.session.scalar(
            sa.select(sa.func.count(Attendance.id)).where(Attendance.session_id == session_id)
        )
        people = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Attendance.user_id))).where(
                Attendance.session_id == session_id
            )
        )
        db.engine.dispose()
    return rows, people


def prepare_reports(url: str, marks: int) -> dict:
    """Classes of 50 workers × 50 sessions (2,500 marks each), plus one class of 40 × 50."""
    from lms.db import utcnow
    from lms.extensions import db
    from lms.training.models import ClassSession, RosterEntry, TrainingClass

    app = _app(url)
    with app.app_context():
        generated = datagen.generate(2)
        workers = generated.worker_ids
        now = utcnow()
        classes = max(1, marks // 2500)
        class_rows = [
            {
                "title": f"基准培训班{c}",
                "organization_id": generated.enterprise_ids[c % len(generated.enterprise_ids)],
                "officer_id": generated.officer_id,
                "feed_token": f"bench-feed-{c}",
                "description": "",
                "location": "",
                "online_url": "",
                "registration_mode": "assigned",
                "late_threshold_minutes": 10,
                "checkin_window_minutes": 30,
                "completion_rate": 0.8,
                "low_attendance_rate": 0.8,
                "low_attendance_min_sessions": 3,
                "created_at": now,
                "updated_at": now,
            }
            for c in range(classes + 1)
        ]
        class_ids = db.session.scalars(
            sa.insert(TrainingClass).returning(TrainingClass.id), class_rows
        ).all()
        session_rows = []
        roster_rows = []
        for n, class_id in enumerate(class_ids):
            size = 40 if n == 0 else 50
            for s in range(50):
                start = now - timedelta(days=400 - s * 7 - (n % 7), hours=2)
                session_rows.append(
                    {
                        "class_id": class_id,
                        "starts_at": start,
                        "ends_at": start + timedelta(hours=2),
                        "room": "",
                        "status": "scheduled",
                        "cancel_reason": "",
                        "sequence": 0,
                        "closed_at": start + timedelta(hours=2),
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            for k in range(size):
                roster_rows.append(
                    {
                        "class_id": class_id,
                        "user_id": workers[(n * 50 + k) % len(workers)],
                        "status": "seated",
                        "seated_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
        for start in range(0, len(session_rows), 5000):
            db.session.execute(sa.insert(ClassSession), session_rows[start : start + 5000])
        for start in range(0, len(roster_rows), 5000):
            db.session.execute(sa.insert(RosterEntry), roster_rows[start : start + 5000])
        # Every seated person gets a mark for every session of their class: one statement.
        db.session.execute(
            sa.text(
                """
                INSERT INTO training_attendance
                    (session_id, user_id, status, checked_in_at, method, note, updated_at)
                SELECT s.id, r.user_id,
                       (ARRAY['present','present','present','late','absent'])[1 + (s.id + r.user_id) % 5],
                       s.starts_at, 'qr', '', now()
                FROM training_sessions s JOIN training_roster r ON r.class_id = s.class_id
                """
            )
        )
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))  # as autovacuum would after a bulk load
        db.session.commit()
        total = db.session.scalar(sa.text("SELECT count(*) FROM training_attendance"))
        officer_token = datagen.api_token_for(generated.officer_id)
        state = {
            "matrix_class": class_ids[0],
            "federation": generated.federation_id,
            "token": officer_token,
            "marks": total,
        }
        db.engine.dispose()
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--marks", type=int, default=1_000_000)
    args = parser.parse_args()

    with bare_server() as bare:
        bare_row = measure(
            bare, Endpoint("bare Flask GET /bare", "/bare"), args.seconds, args.connections
        )
    bare_row.scale = "—"

    url = fresh_database("lms_bench_training_checkin")
    state = prepare_checkin(url, args.workers)
    source = TokenSource(url, state["session_id"])
    stop = threading.Event()
    refresher = threading.Thread(target=source.refresh_forever, args=(stop,), daemon=True)
    refresher.start()
    with Server({"DATABASE_URL": url}) as app:
        first, first_info = crowd(app, state, source, args.connections)
        first.scale = f"{args.workers:,} wkr"
        again, again_info = crowd(app, state, source, args.connections)
        again.name = "POST check-in again (all refused)"
        again.scale = first.scale
    stop.set()
    rows, people = recorded(url, state["session_id"])

    url = fresh_database("lms_bench_training_reports")
    reports = prepare_reports(url, args.marks)
    headers = {"Authorization": f"Bearer {reports['token']}"}
    report_rows = []
    with Server({"DATABASE_URL": url}) as app:
        for endpoint in (
            Endpoint(
                "GET summary (federation, 2 years)",
                f"/api/v1/training/reports/summary?organization_id={reports['federation']}"
                "&start=2025-01-01&end=2026-12-31",
                headers=headers,
            ),
            Endpoint(
                "GET class matrix 40×50",
                f"/api/v1/training/classes/{reports['matrix_class']}/matrix",
                headers=headers,
            ),
        ):
            row = measure(app, endpoint, args.seconds, min(4, args.connections))
            row.scale = f"{reports['marks'] / 1e6:.1f}M marks"
            report_rows.append(row)

    print_table(
        with_ratios([bare_row, first, again, *report_rows], bare_row),
        title="Training: check-ins and reports as a ratio to bare Flask (gunicorn 2 workers)",
    )
    print(
        f"check-in: {args.workers} people in {first_info['seconds']:.1f} s, "
        f"HTTP {first_info['statuses']}; second attempt HTTP {again_info['statuses']}; "
        f"rows recorded {rows} for {people} people "
        f"({'exactly once' if rows == people == args.workers else 'MISMATCH'})"
    )


if __name__ == "__main__":
    main()
