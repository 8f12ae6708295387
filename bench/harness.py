"""What the benchmarks share: PostgreSQL databases, and the platform's processes served as in
production (gunicorn, Celery workers and beat), each in its own process group.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name: str, admin_url: str = DEFAULT_DB) -> str:
    return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def admin_engine(admin_url: str = DEFAULT_DB) -> sa.Engine:
    return sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")


def drop_database(conn: sa.Connection, name: str) -> None:
    conn.execute(
        sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
        {"d": name},
    )
    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))


def migrate(url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade", "heads"],
        cwd=ROOT,
        check=True,
        env={
            **os.environ,
            "FLASK_APP": "wsgi",
            "DATABASE_URL": url,
            "LMS_ENV": "production",
            "SECRET_KEY": "bench-only-secret",
        },
        stdout=subprocess.DEVNULL,
    )


def fresh_database(name: str, admin_url: str = DEFAULT_DB) -> str:
    """Create (or recreate) a PostgreSQL database for a benchmark and migrate it."""
    admin = admin_engine(admin_url)
    with admin.connect() as conn:
        drop_database(conn, name)
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = database_url(name, admin_url)
    migrate(url)
    return url


class Processes:
    """Child processes started in their own process groups, stopped together."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict, log: Path) -> subprocess.Popen:
        out = open(log, "ab")  # noqa: SIM115 - the child keeps it
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs = []


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[2:4]} exited before serving") from None
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} in {seconds:.0f} s")


def wait_for_workers(url: str, workers: int, seconds: float = 300) -> None:
    """Until every gunicorn worker answers ``url`` (any HTTP status) within a second.

    The port opens as soon as the master binds it; each worker imports the app before it
    takes a request, which on a loaded machine can take longer than the load generator's
    30 s time-out, and the first people would then fail for the platform's start-up.
    """
    from concurrent.futures import ThreadPoolExecutor
    from urllib.error import HTTPError
    from urllib.request import urlopen

    def answers(wait: float) -> bool:
        try:
            with urlopen(url, timeout=wait):
                return True
        except HTTPError:
            return True
        except OSError:
            return False

    deadline = time.monotonic() + seconds
    if not answers(seconds):
        raise RuntimeError(f"{url} did not answer in {seconds:.0f} s")
    with ThreadPoolExecutor(workers) as pool:
        while time.monotonic() < deadline:
            if all(pool.map(answers, [1.0] * workers * 2)):
                return
            time.sleep(1)
    raise RuntimeError(f"not every worker answered {url} in {seconds:.0f} s")


def gunicorn(
    procs: Processes, target: str, env: dict, log: Path, workers: int, threads: int
) -> tuple[str, subprocess.Popen]:
    """Serve ``target`` with gunicorn as the deployment notes do; returns its URL."""
    port = free_port()
    proc = procs.start(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        env,
        log,
    )
    wait_for_port(port, proc)
    return f"http://127.0.0.1:{port}", proc


def celery(procs: Processes, args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return procs.start(
        [sys.executable, "-m", "celery", "-A", "celery_worker", *args, "--loglevel", "WARNING"],
        env,
        log,
    )
