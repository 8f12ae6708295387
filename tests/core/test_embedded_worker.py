"""`make run`'s embedded mode: a real worker on the SQLite broker, no server installed."""

import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_on_the_embedded_sqlite_broker_runs_a_task(tmp_path):
    env = {
        **os.environ,
        "LMS_ENV": "development",
        "LMS_INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "embedded-test",
        "FLASK_APP": "wsgi",
        "LMS_WORKER_HEARTBEAT_SECONDS": "2",
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [*flask, "lms", "prepare-broker"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "celery_worker",
                "worker",
                "--beat",
                "--schedule",
                str(tmp_path / "beat-schedule"),
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # Beat sends the heartbeat task on start; the worker records it in the database.
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'lms.sqlite'}")
        deadline = time.monotonic() + 60
        seen = 0
        while time.monotonic() < deadline and not seen:
            time.sleep(1)
            with engine.connect() as conn:
                seen = conn.scalar(sa.text("SELECT count(*) FROM worker_heartbeats"))
        assert seen, log.read_text(errors="replace")[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
