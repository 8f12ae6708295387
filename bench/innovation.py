"""Innovation: queries and time of submission, the officer's queue and the statistics page as
the items grow tenfold; the duplicate check's time against a plain page's.

    python -m bench.innovation [--scale 1.0] [--requests 20]

On PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server; the database
``bench_innovation`` is recreated and migrated). The seed's scale (``--scale 1``): 15,000
suggestions and 502 technical innovations over two enterprises of five workshops each, spread
over the last year in every stage, and 10 studios; the data is written in bulk (this is the
generator, not the product). Then the same again ×10 (items and studios). At each size, as a
worker and an officer of the first enterprise over HTTP (Flask test client, session cookie):

- ``submit``: POST /api/v1/innovation/items (the JSON submission endpoint);
- ``queue``: GET /innovation/review (the officer's queue, first page);
- ``stats``: GET /innovation/stats (the whole year of the enterprise, charts included);
- ``similar``: GET /api/v1/innovation/similar (the duplicate check shown on submission);
- ``plain``: GET /innovation/ (the worker's own list: a plain page, the yardstick).

Reported per request kind: SQL statements (min–max) and the median and 95th-percentile ms;
then the duplicate check's median as a multiple of the plain page's. The claims: submit,
queue and stats statements do not grow at ×10, and the duplicate check stays within a set
multiple of a plain page (it reads a bounded number of candidates, whatever the table's size).
Writes bench/results/innovation.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import timedelta

import sqlalchemy as sa

from bench.harness import ROOT, fresh_database

SUGGESTIONS, TECHNICAL, STUDIOS = 15_000, 502, 10
WORDS = ["焊接", "夹具", "变形", "返工", "电缆", "照明", "巡检", "测温", "螺栓", "扭矩", "烘干",
         "焊条", "坡口", "叉车", "油耗", "噪声", "粉尘", "工装", "刀具", "磨损"]  # fmt: skip
STAGES = ["review"] * 3 + ["adopted"] * 3 + ["trial", "not_adopted", "not_adopted", "opinion"]
SMALLS = ["small_invention", "small_innovation", "small_modification", "small_design",
          "small_suggestion"]  # fmt: skip
PASSWORD = "Bench-pass-2026"


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


def _people():
    from lms.accounts.models import OrgKind, Role
    from lms.accounts.services import create_organization, create_user

    root = create_organization(None, "总工会", OrgKind.federation, None)
    plants, workshops, authors = [], [], []
    for p in range(2):
        plant = create_organization(None, f"企业{p}", OrgKind.enterprise, root)
        plants.append(plant)
        for w in range(5):
            shop = create_organization(None, f"车间{p}{w}", OrgKind.workshop, plant)
            workshops.append(shop)
            for i in range(20):
                authors.append(
                    create_user(
                        None,
                        organization=shop,
                        password=PASSWORD,
                        employee_no=f"W{p}{w}{i:03d}",
                        name=f"职工{p}{w}{i}",
                        mobile=f"135{p}{w}{i:06d}",
                    )
                )
    officer = create_user(
        None,
        organization=plants[0],
        roles=[Role.officer],
        password=PASSWORD,
        employee_no="T0001",
        name="专员",
        mobile="13900000002",
    )
    return plants, workshops, authors, officer


def _grow(n_suggestions: int, n_technical: int, n_studios: int, authors, seed: int) -> None:
    """Items in bulk (one INSERT per thousand rows) with realistic stages and dates."""
    from lms.db import utcnow
    from lms.extensions import db
    from lms.innovation.models import Innovation, Studio

    rnd = random.Random(seed)
    now = utcnow()
    rows = []
    for i in range(n_suggestions + n_technical):
        author_id, organization_id = authors[rnd.randrange(len(authors))]
        stage = rnd.choice(STAGES)
        submitted = now - timedelta(days=rnd.uniform(1, 365))
        kind = "technical" if i < n_technical else rnd.choice(["suggestion"] * 3 + SMALLS)
        words = rnd.sample(WORDS, 4)
        rows.append(
            {
                "kind": kind,
                "title": f"{words[0]}{words[1]}改进{seed}-{i}",
                "problem": f"{words[0]}时{words[2]}，{words[3]}多，影响效率。",
                "method": None if stage == "opinion" else f"改进{words[1]}，减少{words[2]}。",
                "author_id": author_id,
                "organization_id": organization_id,
                "stage": stage,
                "submitted_at": submitted,
                "due_at": submitted + timedelta(days=60),
                "decided_at": submitted + timedelta(days=rnd.uniform(5, 80))
                if stage in ("adopted", "trial", "not_adopted")
                else None,
                "actual_benefit": rnd.randrange(1000, 200_000) if stage == "adopted" else None,
                "benefit_verified_at": now if stage == "adopted" and i % 3 == 0 else None,
            }
        )
    for start in range(0, len(rows), 1000):
        db.session.execute(sa.insert(Innovation), rows[start : start + 1000])
    for s in range(n_studios):
        lead_id, organization_id = authors[rnd.randrange(len(authors))]
        db.session.add(
            Studio(
                name=f"创新工作室{seed}-{s}",
                lead_id=lead_id,
                organization_id=organization_id,
                level="city",
                year=now.year,
                status="named",
            )
        )
    db.session.commit()


def _measure(app, counter, worker, officer, requests: int) -> dict:
    timings: dict[str, list[float]] = {}
    statements: dict[str, list[int]] = {}
    clients = {}
    for who in (worker, officer):
        client = app.test_client()
        response = client.post("/login", data={"login": who, "password": PASSWORD})
        assert response.status_code in (302, 303), response.status_code
        clients[who] = client

    def call(kind, who, method, path, **body):
        counter.n = 0
        t0 = time.perf_counter()
        response = clients[who].open(path, method=method, **body)
        timings.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        statements.setdefault(kind, []).append(counter.n)
        assert response.status_code < 300, (path, response.status_code)

    for i in range(requests):
        call("plain", worker, "GET", "/innovation/")
        call(
            "similar",
            worker,
            "GET",
            "/api/v1/innovation/similar",
            query_string={"title": "焊接夹具改进", "problem": "焊接时变形，返工多"},
        )
        call(
            "submit",
            worker,
            "POST",
            "/api/v1/innovation/items",
            json={
                "kind": "suggestion",
                "title": f"基准建议{i}",
                "problem": "焊接时工件变形，返工多。",
                "method": "增加定位夹具。",
            },
        )
        call("queue", officer, "GET", "/innovation/review")
        call("stats", officer, "GET", "/innovation/stats")
    row = {}
    for kind, ms in timings.items():
        ms = sorted(ms)
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
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    from lms import create_app
    from lms.extensions import db

    url = fresh_database("bench_innovation")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})

    @app.teardown_request
    def _forget_request_state(exc):
        from flask import g

        g.pop("_login_user", None)
        db.session.expire_all()

    base = (int(SUGGESTIONS * args.scale), int(TECHNICAL * args.scale), STUDIOS)
    rows = []
    with app.app_context():
        counter = Counter(db.engine)
        _plants, _shops, people, officer = _people()
        db.session.commit()
        authors = [(p.id, p.organization_id) for p in people]
        worker, officer = people[0].employee_no, officer.employee_no
        total = 0
        for n, factor in enumerate((1, 9)):  # the seed's scale, then ten times it
            started = time.perf_counter()
            _grow(base[0] * factor, base[1] * factor, base[2] * factor, authors, seed=n)
            total += (base[0] + base[1]) * factor
            seconds = time.perf_counter() - started
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            rows.append((total, seconds, _measure(app, counter, worker, officer, args.requests)))
            db.session.remove()
        db.engine.dispose()

    lines = [
        f"# Innovation: submission, queue, statistics and the duplicate check as items grow "
        f"(scale {args.scale:g} of the seed's 15,000 suggestions + 502 innovations; "
        f"{args.requests} requests each; PostgreSQL)",
        "",
        "| items | written s | request | n | SQL statements (min–max) | median ms | p95 ms |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for total, seconds, row in rows:
        for kind in ("submit", "queue", "stats", "similar", "plain"):
            lo, hi, med, p95, n = row[kind]
            lines.append(
                f"| {total} | {seconds:.1f} | {kind} | {n} | {lo}–{hi} | {med:.1f} | {p95:.1f} |"
            )
    # bounded: the most statements any request made does not grow with the items
    same = all(rows[1][2][k][1] <= rows[0][2][k][1] for k in ("submit", "queue", "stats"))
    ratios = [row["similar"][2] / row["plain"][2] for _t, _s, row in rows]
    lines += [
        "",
        f"submit, queue and stats statements no more at ×10 items: **{'yes' if same else 'NO'}**",
        "duplicate check's median / plain page's median: "
        + ", ".join(
            f"**{r:.2f}×** at {t} items" for r, (t, _s, _r) in zip(ratios, rows, strict=True)
        ),
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results" / "innovation.md"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
