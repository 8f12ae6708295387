"""Public story page: SQL statements per view, and capacity under load from the cache.

    python -m bench.publicity [--stories 200] [--views 200] [--wrk 10] [--connections 16]

On PostgreSQL (BENCH_DATABASE_URL; the database ``bench_publicity`` is recreated and
migrated) with Redis as the cache (BENCH_REDIS_URL). ``--stories`` published stories with
consent are written through the services. Then, through the Flask test client as a visitor
without an account: the SQL statements of a story page's first view and of ``--views``
repeated views (the claim: 0 after the first — the body comes from the fragment cache and
the reach counter is one Redis increment), with median and 95th-percentile milliseconds.

With ``--wrk SECONDS`` (and wrk installed), the app is served by gunicorn as deployed
(2 workers × 4 threads) and wrk requests one story page for that long with
``--connections`` connections; reported: requests per second and latency, and the day's
counter after the reach flush against wrk's own count of answers (every view counted, no
query per view). Prints one table and writes it to bench/results/publicity.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench.harness import REDIS_URL, ROOT, Processes, fresh_database, gunicorn


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


def seed(app, stories: int) -> list[int]:
    from lms.accounts.models import OrgKind, Role
    from lms.accounts.services import create_organization, create_user
    from lms.publicity import services

    with app.app_context():
        union = create_organization(None, name="总工会", kind=OrgKind.federation, parent=None)
        plant = create_organization(None, name="机械厂", kind=OrgKind.enterprise, parent=union)
        reviewer = create_user(
            None,
            employee_no="R1",
            name="审核",
            organization=union,
            roles=[Role.officer],
            password="x" * 12,
        )
        editor = create_user(
            None,
            employee_no="E1",
            name="编辑",
            organization=plant,
            roles=[Role.officer],
            password="x" * 12,
        )
        column = services.save_column(reviewer, name="劳模风采")
        ids = []
        body = "\n\n".join(f"## 第{i}节\n\n" + "焊花飞溅，" * 80 for i in range(6))
        for i in range(stories):
            person = create_user(
                None,
                employee_no=f"P{i:05d}",
                name=f"劳模{i}",
                organization=plant,
                password="x" * 12,
            )
            story = services.create_story(
                editor, column=column, person=person, title=f"事迹{i}", body=body, summary="摘要"
            )
            services.give_consent(person, story, show_growth=True)
            services.submit(editor, story)
            services.publish(reviewer, story)
            ids.append(story.id)
        return ids


def per_view(app, counter: Counter, story_id: int, views: int) -> dict:
    client = app.test_client()
    with app.app_context():
        counter.n = 0
        t = time.perf_counter()
        assert client.get(f"/stories/{story_id}").status_code == 200
        first_ms, first_q = (time.perf_counter() - t) * 1000, counter.n
        queries, times = [], []
        for _ in range(views):
            counter.n = 0
            t = time.perf_counter()
            assert client.get(f"/stories/{story_id}").status_code == 200
            times.append((time.perf_counter() - t) * 1000)
            queries.append(counter.n)
    times.sort()
    return {
        "first_q": first_q,
        "first_ms": first_ms,
        "repeat_q": f"{min(queries)}–{max(queries)}",
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
    }


def under_load(url: str, seconds: int, connections: int, story_id: int, app) -> dict:
    from lms.publicity import services

    workdir = Path(tempfile.mkdtemp(prefix="bench-publicity-"))
    prefix = f"lms-bench-publicity-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LMS_ENV": "production",
        "SECRET_KEY": "bench-only-secret",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_URL,
        "LMS_INSTANCE_PATH": str(workdir / "instance"),
        "LMS_STORAGE_DIR": str(workdir / "storage"),
        "LMS_SESSION_COOKIE_SECURE": "false",
        "LMS_CACHE_KEY_PREFIX": app.config["CACHE_KEY_PREFIX"],
        "LMS_RATELIMIT_KEY_PREFIX": prefix,
    }
    procs = Processes()
    try:
        base, _proc = gunicorn(procs, "wsgi:app", env, workdir / "gunicorn.log", 2, 4)
        page = f"{base}/stories/{story_id}"
        subprocess.run(["curl", "-s", "-o", "/dev/null", page], check=True)  # fill the cache
        with app.app_context():
            services.flush_reach()
            before = _views(story_id)
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", page],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        procs.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    with app.app_context():
        services.flush_reach()
        counted = _views(story_id) - before
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": re.search(r"50%\s+(\S+)", out).group(1),
        "p99": re.search(r"99%\s+(\S+)", out).group(1),
        "answered": answered,
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "counted": counted,
    }


def _views(story_id: int) -> int:
    from lms.extensions import db
    from lms.publicity.models import StoryReach

    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(StoryReach.views), 0)).where(
                StoryReach.story_id == story_id
            )
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--wrk", type=int, default=0, help="seconds of wrk against gunicorn")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    from lms import create_app
    from lms.extensions import db

    url = fresh_database("bench_publicity")
    prefix = f"lms-bench-publicity-{uuid.uuid4().hex[:8]}:cache:"
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "REDIS_URL": REDIS_URL,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "RATELIMIT_ENABLED": False,
        },
    )
    with app.app_context():
        counter = Counter(db.engine)
    ids = seed(app, args.stories)
    story_id = ids[len(ids) // 2]
    figures = per_view(app, counter, story_id, args.views)
    lines = [
        "# Public story page (bench/publicity.py)",
        "",
        f"PostgreSQL + Redis cache, {args.stories} published stories; a visitor without an account.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| SQL statements, first view | {figures['first_q']} |",
        f"| first view, ms | {figures['first_ms']:.1f} |",
        f"| SQL statements, each of {args.views} repeated views | {figures['repeat_q']} |",
        f"| repeated view, median ms (test client) | {figures['median']:.2f} |",
        f"| repeated view, p95 ms (test client) | {figures['p95']:.2f} |",
    ]
    if args.wrk and shutil.which("wrk"):
        load = under_load(url, args.wrk, args.connections, story_id, app)
        lines += [
            f"| gunicorn 2×4, wrk {args.wrk} s, {args.connections} connections: requests/s | {load['rps']:.0f} |",
            f"| latency p50 / p99 | {load['p50']} / {load['p99']} |",
            f"| answers (non-2xx) | {load['answered']} ({load['errors']}) |",
            f"| views counted by the reach flush | {load['counted']} |",
        ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results" / "publicity.md"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
