"""The five-links overview as the data grows tenfold: statements and time per request.

    python -m bench.overview [--scale 0.01] [--repeat 7]

On PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server; the database
``bench_overview_<n>`` is recreated and migrated). For a city at ``--scale`` and at ten times
that (``bench/citydata.py``: workers, courses with progress, finished classes with their
attendance marks, mentoring logs), the federation's officer signs in through the form and asks,
``--repeat`` times each after one warm-up: the overview page of the federation for this year,
the annual report (Word), and for comparison a plain page (the home page). Reported per
request: SQL statements (min–max) and the median and 95th-percentile milliseconds.

The claims checked: the overview's statements do not change when the data grows tenfold (one
GROUP BY per figure; no statement per row, person or organization), and its time as a share of
the plain page's, counted afresh and read from the figures the Celery beat task keeps counted
(``lms.overview.tasks.refresh_figures``). Writes bench/results/overview.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

import sqlalchemy as sa

from bench import citydata
from bench.harness import ROOT, fresh_database

LIGHT_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


def measure(scale: float, repeat: int, label: str) -> dict:
    from lms import create_app
    from lms.accounts.passwords import hash_password
    from lms.extensions import cache, db
    from lms.overview.services.overview import this_year

    url = fresh_database(f"bench_overview_{label}")
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "OVERVIEW_CACHE_SECONDS": 1800,
            **LIGHT_ARGON2,
        },
    )
    with app.app_context():
        manifest = citydata.build(db.session, scale, hash_password(citydata.datagen.BENCH_PASSWORD))
        db.session.remove()
        # Bulk-loaded tables get their statistics now, as autovacuum gives a live database.
        with db.engine.connect() as conn:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()
        counter = Counter(db.engine)
        client = app.test_client()
        response = client.post(
            "/login",
            data={"login": manifest["federation_officer"], "password": manifest["password"]},
        )
        assert response.status_code in (302, 303), response.status_code
        year = this_year()
        paths = {  # name → (path, counted afresh: the cache emptied before each request)
            "overview": (f"/overview?year={year}", True),
            "overview, cached": (f"/overview?year={year}", False),
            "annual report (docx)": (f"/overview/report.docx?year={year}", True),
            "plain page (home)": ("/", False),
        }
        row = {"scale": scale, "counts": manifest["counts"]}
        for name, (path, fresh) in paths.items():
            client.get(path)  # warm-up: templates, fonts
            statements, ms = [], []
            for _ in range(repeat):
                if fresh:
                    cache.clear()
                counter.n = 0
                t0 = time.perf_counter()
                response = client.get(path)
                ms.append((time.perf_counter() - t0) * 1000)
                statements.append(counter.n)
                assert response.status_code == 200, (path, response.status_code)
                db.session.remove()
            ms.sort()
            row[name] = (
                min(statements),
                max(statements),
                statistics.median(ms),
                ms[max(0, int(len(ms) * 0.95) - 1)],
            )
        db.session.remove()
        db.engine.dispose()
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = [
        measure(args.scale, args.repeat, "1"),
        measure(args.scale * 10, args.repeat, "10"),
    ]
    lines = [
        "# Overview: statements and time per request as the data grows tenfold (PostgreSQL)",
        "",
        "| scale | attendance marks | progress rows | request | SQL statements (min–max) "
        "| median ms | p95 ms |",
        "|---:|---:|---:|---|---:|---:|---:|",
    ]
    names = ("overview", "overview, cached", "annual report (docx)", "plain page (home)")
    for row in rows:
        for name in names:
            lo, hi, med, p95 = row[name]
            lines.append(
                f"| {row['scale']} | {row['counts']['training_attendance']:,} "
                f"| {row['counts']['lecture_progress']:,} | {name} | {lo}–{hi} | {med:.1f} "
                f"| {p95:.1f} |"
            )
    same = all(rows[0][n][:2] == rows[1][n][:2] for n in names[:3])
    share = [row["overview"][2] / row["plain page (home)"][2] for row in rows]
    cached = [row["overview, cached"][2] / row["plain page (home)"][2] for row in rows]
    lines += [
        "",
        f"overview and report statements unchanged at ×10 data: **{'yes' if same else 'NO'}**",
        f"overview median as a multiple of the plain page's, counted afresh: {share[0]:.1f}× and "
        f"{share[1]:.1f}×; from the figures the beat task keeps counted: {cached[0]:.1f}× and "
        f"{cached[1]:.1f}×",
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results" / "overview.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
