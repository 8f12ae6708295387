"""Capacity: how many people in a city's peak-hour mix one machine serves within the budget.

    python -m bench.peak [--scale 1] [--max-users 12000] [--steps 12] [--step-seconds 120]
                         [--time-bound 3600] [--no-tenth] [--regenerate]

1. Data: a city (``--scale 1``: 100,000 workers, 2,000 courses, 1,000,000 progress rows,
   1,000,000 attendance marks, 500,000 mentoring logs; ``bench/citydata.py``) and the same
   at one tenth, each generated once into a template database on PostgreSQL
   (``BENCH_DATABASE_URL``) and copied for every run (``CREATE DATABASE … TEMPLATE …``). A
   template is rebuilt when the migrations or the generator change, or with ``--regenerate``.
2. Served as the deployment notes run it: gunicorn (``--workers``, ``--threads``; the app from
   ``bench.instrumented``, which only adds a count of SQL statements per response), Celery
   workers for ``default,email`` and ``pdf`` and beat, Redis (``BENCH_REDIS_URL``) as cache,
   broker and rate-limit store, mail to a counting SMTP sink.
3. The yardstick: bare Flask (``bench/bare_app.py``) under the same gunicorn, loaded by the
   same locust with no pause: requests per second of this machine, today.
4. The ramp: locust (``bench/people.py``) brings in ``--steps`` equal steps up to
   ``--max-users`` simulated people (or ``--users 500,1000,…``), each signing in through the
   sign-in form; every step is measured for ``--step-seconds`` once everyone has arrived,
   and the ramp stops after the first step that misses p95 ≤ 300 ms, p99 ≤ 1 s or has a
   failure, or at ``--time-bound`` seconds.
5. The largest step held is run again on the tenth-size data (queries per request must
   not grow with the data).

Prints a markdown table and writes it to ``bench/results/peak.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from bench import citydata, report
from bench.harness import (
    REDIS_URL,
    ROOT,
    Processes,
    admin_engine,
    celery,
    database_url,
    drop_database,
    free_port,
    gunicorn,
    migrate,
    wait_for_workers,
)
from bench.smtp_sink import SinkProcess

RESULTS = ROOT / "bench" / "results"
CACHE = RESULTS / "cache"
RUN_DB = "lms_peak_run"
SECRET = "bench-only-secret"
# Generated people's passwords are hashed light and the server checks them with the same
# settings: each simulated person signs in once when they arrive, far more sign-ins than a
# real peak has (phones stay signed in), and the ramp should not measure Argon2.
LIGHT_ARGON2 = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}


def scale_tag(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def fingerprint() -> str:
    """Changes when the schema or the generator changes: the template is rebuilt then."""
    digest = hashlib.sha256()
    files = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    files += [ROOT / "bench" / "datagen.py", ROOT / "bench" / "citydata.py"]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _existing_databases(conn: sa.Connection, prefix: str) -> list[str]:
    """Templates of one scale, whatever their fingerprint, and half-built ones."""
    names = conn.execute(sa.text("SELECT datname FROM pg_database")).scalars()
    return [n for n in names if re.fullmatch(re.escape(prefix) + r"[0-9a-f]{10}(_building)?", n)]


def ensure_template(scale: float, regenerate: bool) -> tuple[str, dict]:
    """The template database at ``scale`` and its manifest, built if missing or stale."""
    prefix = f"lms_peak_tpl_{scale_tag(scale)}_"
    name = prefix + fingerprint()
    manifest_path = CACHE / f"{name}.json"
    admin = admin_engine()
    with admin.connect() as conn:
        existing = _existing_databases(conn, prefix)
        if name in existing and manifest_path.exists() and not regenerate:
            admin.dispose()
            return name, json.loads(manifest_path.read_text())
        for old in existing:  # stale templates and a half-built one
            drop_database(conn, old)
        building = name + "_building"
        drop_database(conn, building)
        conn.execute(sa.text(f'CREATE DATABASE "{building}"'))
    started = time.monotonic()
    print(f"generating the data at scale {scale:g} (once; kept as {name}) …", flush=True)
    url = database_url(building)
    migrate(url)
    manifest = _generate(url, scale)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
    admin.dispose()
    manifest["generated_seconds"] = round(time.monotonic() - started)
    CACHE.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest))
    print(f"  {manifest['counts']} in {manifest['generated_seconds']} s", flush=True)
    return name, manifest


def _generate(url: str, scale: float) -> dict:
    from lms import create_app
    from lms.accounts.passwords import hash_password
    from lms.extensions import db

    app = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "CACHE_TYPE": "NullCache",
            **LIGHT_ARGON2,
        },
    )
    with app.app_context():
        manifest = citydata.build(db.session, scale, hash_password(citydata.datagen.BENCH_PASSWORD))
        db.session.remove()
        db.engine.dispose()
    return manifest


def copy_for_run(template: str, manifest: dict) -> str:
    """A fresh database from the template, its check-in sessions starting now."""
    admin = admin_engine()
    with admin.connect() as conn:
        drop_database(conn, RUN_DB)
        conn.execute(sa.text(f'CREATE DATABASE "{RUN_DB}" TEMPLATE "{template}"'))
    admin.dispose()
    url = database_url(RUN_DB)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE training_sessions SET starts_at = now() + interval '30 minutes', "
                "ends_at = now() + interval '150 minutes' WHERE class_id = ANY(:ids)"
            ),
            {"ids": [c["class_id"] for c in manifest["checkin_classes"]]},
        )
    engine.dispose()
    return url


class Platform:
    """gunicorn + Celery workers + beat on one database, with Redis and an SMTP sink."""

    def __init__(self, url: str, args: argparse.Namespace, workdir: Path, label: str) -> None:
        run = uuid.uuid4().hex[:8]
        self.sink_port = free_port()
        self.sink = SinkProcess(self.sink_port)
        storage = workdir / f"storage-{label}"
        storage.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "LMS_ENV": "production",
            "SECRET_KEY": SECRET,
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "LMS_INSTANCE_PATH": str(workdir / "instance"),
            "LMS_STORAGE_DIR": str(storage),
            "LMS_MAIL_SERVER": "127.0.0.1",
            "LMS_MAIL_PORT": str(self.sink_port),
            # Plain HTTP on the loopback stands for the TLS-terminating proxy in front.
            "LMS_SESSION_COOKIE_SECURE": "false",
            "LMS_REMEMBER_COOKIE_SECURE": "false",
            # Every simulated person comes from 127.0.0.1, where real people come from many
            # addresses; and several simulated people share an account where the data has
            # fewer mentors or officers than the crowd (every check-in screen is the
            # federation officer's). The limits are still checked, only never reached.
            "LMS_LOGIN_RATE_LIMIT_PER_ADDRESS": "1000000 per minute",
            "LMS_LOGIN_RATE_LIMIT_PER_ACCOUNT": "1000000 per minute",
            "LMS_CACHE_KEY_PREFIX": f"lms-peak-{run}:cache:",
            "LMS_RATELIMIT_KEY_PREFIX": f"lms-peak-{run}",
            "LMS_CELERY": json.dumps(
                {"broker_transport_options": {"global_keyprefix": f"lms-peak-{run}:"}}
            ),
            **{f"LMS_{k}": str(v) for k, v in LIGHT_ARGON2.items()},
        }
        self.args, self.workdir, self.label = args, workdir, label
        self.procs = Processes()
        self.url = ""
        self.server_pid = 0
        self.celery_pids: list[int] = []

    def __enter__(self) -> Platform:
        self.sink.start()
        log = self.workdir / f"platform-{self.label}.log"
        a = self.args
        self.url, server = gunicorn(
            self.procs, "bench.instrumented:app", self.env, log, a.workers, a.threads
        )
        self.server_pid = server.pid
        wait_for_workers(self.url + "/healthz", a.workers)
        beat_file = self.workdir / f"celerybeat-{self.label}"
        self.celery_pids = [
            celery(
                self.procs,
                ["worker", "--queues", "default,email", "--concurrency", str(a.celery_concurrency)]
                + ["--hostname", f"peak-{self.label}@%h"],
                self.env,
                log,
            ).pid,
            celery(
                self.procs,
                ["worker", "--queues", "pdf", "--concurrency", "2"]
                + ["--hostname", f"peak-pdf-{self.label}@%h"],
                self.env,
                log,
            ).pid,
            celery(self.procs, ["beat", "--schedule", str(beat_file)], self.env, log).pid,
        ]
        return self

    def __exit__(self, *exc) -> None:
        self.procs.stop()
        self.sink.stop()


def run_locust(
    locustfile: str, url: str, env: dict, log: Path, bound: float, extra: list[str] | None = None
) -> None:
    args = [sys.executable, "-m", "locust", "-f", locustfile, "--headless", "--host", url]
    args += ["--only-summary", "--loglevel", "WARNING", *(extra or [])]
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            proc.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)


def yardstick(args: argparse.Namespace, workdir: Path) -> dict:
    """Bare Flask under the same gunicorn, loaded with no pause for ``--yardstick-seconds``."""
    procs = Processes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        url, _proc = gunicorn(
            procs,
            "bench.bare_app:app",
            env,
            workdir / "bare.log",
            args.workers,
            args.threads,
        )
        prefix = workdir / "bare"
        seconds = args.yardstick_seconds
        run_locust(
            "bench/yardstick.py",
            url,
            env,
            workdir / "locust-bare.log",
            seconds + 60,
            ["-u", "32", "-r", "32", "-t", f"{seconds}s", "--csv", str(prefix)],
        )
    finally:
        procs.stop()
    return report.read_locust_csv(Path(f"{prefix}_stats.csv"))


def ramp(
    platform: Platform, manifest: dict, steps: list[int], args, workdir: Path, label: str
) -> list[dict]:
    results = workdir / f"steps-{label}.jsonl"
    plan = {
        "manifest": manifest,
        "steps": steps,
        "spawn_rate": args.spawn_rate,
        "settle_seconds": args.settle_seconds,
        "step_seconds": args.step_seconds,
        "burst_seconds": min(args.burst_seconds, args.step_seconds),
        "deadline": time.time() + args.time_bound,
        "results": str(results),
        "p95_ms": 300,
        "p99_ms": 1000,
        "stop_on_fail": not args.keep_going,
        "server_pids": [platform.server_pid],
        "celery_pids": platform.celery_pids,
    }
    plan_path = workdir / f"plan-{label}.json"
    plan_path.write_text(json.dumps(plan))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_PEAK_PLAN": str(plan_path)}
    print(f"{label}: ramping through {steps} people …", flush=True)
    run_locust(
        "bench/people.py",
        platform.url,
        env,
        workdir / f"locust-{label}.log",
        args.time_bound + 300,
    )
    if not results.exists():
        raise SystemExit(f"locust measured nothing; see {workdir}/locust-{label}.log")
    rows = [json.loads(line) for line in results.read_text().splitlines() if line]
    for row in rows:
        t = row["total"]
        print(
            f"  {row['users']:>6} people: {t['rps']:.0f} req/s, p95 {t['p95']:.0f} ms, "
            f"p99 {t['p99']:.0f} ms, {t['failures']} failures — "
            + ("held" if row["passed"] else "missed"),
            flush=True,
        )
    return rows


def plan_steps(args: argparse.Namespace) -> list[int]:
    if args.users:
        return [int(n) for n in args.users.split(",")]
    return [max(1, round(args.max_users * k / args.steps)) for k in range(1, args.steps + 1)]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--scale", type=float, default=1.0, help="1 = a city (default)")
    p.add_argument("--max-users", type=int, default=12000)
    p.add_argument("--steps", type=int, default=12, help="equal steps up to --max-users")
    p.add_argument("--users", help="explicit steps instead, e.g. 2000,4000,6000")
    p.add_argument("--step-seconds", type=int, default=120, help="measured time of each step")
    p.add_argument("--settle-seconds", type=int, default=10)
    p.add_argument("--spawn-rate", type=float, default=20, help="people arriving per second")
    p.add_argument("--burst-seconds", type=int, default=120, help="the check-in burst's window")
    p.add_argument("--time-bound", type=int, default=3600, help="seconds for the whole ramp")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    p.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    p.add_argument("--celery-concurrency", type=int, default=4)
    p.add_argument("--yardstick-seconds", type=int, default=15)
    p.add_argument("--no-tenth", action="store_true", help="skip the run on tenth-size data")
    p.add_argument("--keep-going", action="store_true", help="run every step even after a miss")
    p.add_argument("--regenerate", action="store_true", help="rebuild the template databases")
    p.add_argument("--out", default=str(RESULTS / "peak.md"))
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="lms-peak-"))
    os.environ.setdefault("LMS_INSTANCE_PATH", str(workdir / "instance"))
    templates = {"city": ensure_template(args.scale, args.regenerate)}
    if not args.no_tenth:
        templates["tenth"] = ensure_template(args.scale / 10, args.regenerate)
    bare = yardstick(args, workdir)
    print(f"bare Flask: {bare['rps']:.0f} req/s", flush=True)

    template, manifest = templates["city"]
    with Platform(copy_for_run(template, manifest), args, workdir, "city") as platform:
        steps = ramp(platform, manifest, plan_steps(args), args, workdir, "city")
    held = [s for s in steps if s["passed"]]
    point = held[-1] if held else (steps[0] if steps else None)

    tenth = None
    if "tenth" in templates and point is not None:
        template, small = templates["tenth"]
        with Platform(copy_for_run(template, small), args, workdir, "tenth") as platform:
            measured = ramp(platform, small, [point["users"]], args, workdir, "tenth")
        tenth = (small, measured[0] if measured else None)

    text = report.markdown(
        args=args,
        manifest=manifest,
        steps=steps,
        point=point,
        held=bool(held),
        tenth=tenth,
        bare=bare,
        minutes=(time.monotonic() - began) / 60,
    )
    print(text, flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    print(f"written to {out}; logs in {workdir}", flush=True)


if __name__ == "__main__":
    main()
