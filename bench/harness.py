"""Benchmark harness: serve the app and a bare Flask app the same way, load both, compare.

Both apps run under gunicorn with the same worker settings on the same machine, one
after the other, and are loaded by the same client (wrk when installed, otherwise a
keep-alive Python client). Figures are reported as a ratio to the bare endpoint, which
makes them comparable across machines; absolute numbers are printed too.

Queries per request are read from the ``X-Query-Count`` header, which the app adds when
``LMS_QUERY_COUNT_HEADER=true`` (never in production).

Usage from a benchmark module::

    from bench.harness import Endpoint, Server, bare_server, measure, print_table

    with bare_server() as bare, Server(env) as app:
        rows = [measure(bare, Endpoint("bare", "/bare"))]
        rows.append(measure(app, Endpoint("my learning", "/learn", headers={...})))
    print_table(rows)
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving ``wsgi:app`` (or another target) with the given environment."""

    def __init__(
        self, env: dict | None = None, target: str = "wsgi:app", workers: int = 2, threads: int = 1
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "LMS_ENV": "production",
            "SECRET_KEY": "bench-only-secret",
            "LMS_QUERY_COUNT_HEADER": "true",
            **(env or {}),
        }
        self.args = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            target,
        ]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("gunicorn exited before serving") from None
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start in 60 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


def bare_server(workers: int = 2, threads: int = 1) -> Server:
    return Server(target="bench.bare_app:app", workers=workers, threads=threads)


BODY_NUMBERS = 500


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: str | None = None  # JSON text for PUT/POST
    # When set, each request's body is this text with "{n}" replaced by a running number
    # below BODY_NUMBERS, so that writes really write (saving an unchanged value may cost
    # nothing).
    body_template: str | None = None
    # When set, requests take turns among these callers, each with its own path and
    # headers (many learners, each with their own session), instead of ``path``/``headers``.
    callers: list[tuple[str, dict]] | None = None

    def body_for(self, n: int) -> str | None:
        if self.body_template is None:
            return self.body
        return self.body_template.replace("{n}", str(n % BODY_NUMBERS))


@dataclass
class Result:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    queries: float | None
    errors: int
    scale: str = ""
    ratio: float | None = None
    # The bare endpoint's req/s measured right after this row (see ``measure_paired``).
    baseline: float | None = None


def request_once(server: Server, endpoint: Endpoint) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    path, headers = random.choice(endpoint.callers or [(endpoint.path, endpoint.headers)])
    headers = dict(headers)
    if endpoint.body is not None or endpoint.body_template is not None:
        headers.setdefault("Content-Type", "application/json")
    conn.request(
        endpoint.method,
        path,
        body=endpoint.body_for(random.randrange(BODY_NUMBERS)),
        headers=headers,
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def queries_per_request(server: Server, endpoint: Endpoint, samples: int = 5) -> float | None:
    counts = []
    for _ in range(samples):
        status, headers, body = request_once(server, endpoint)
        if status >= 400:
            raise RuntimeError(f"{endpoint.name}: HTTP {status}: {body[:300]!r}")
        if "X-Query-Count" in headers:
            counts.append(int(headers["X-Query-Count"]))
    return statistics.median(counts) if counts else None


def measure(
    server: Server, endpoint: Endpoint, seconds: int = 10, connections: int = 8, scale: str = ""
) -> Result:
    """Load one endpoint for ``seconds`` with ``connections`` keep-alive clients."""
    queries = queries_per_request(server, endpoint)
    if shutil.which("wrk"):
        result = _wrk(server, endpoint, seconds, connections)
    else:
        result = _python_load(server, endpoint, seconds, connections)
    result.queries = queries
    result.scale = scale
    return result


def measure_paired(
    server: Server,
    endpoint: Endpoint,
    bare: Server,
    bare_endpoint: Endpoint,
    seconds: int = 10,
    scale: str = "",
) -> Result:
    """Load ``endpoint``, then the bare endpoint at once, and take the ratio of the two.

    On a shared machine the load from other work drifts over a long run; a bare figure
    taken next to each row keeps the ratio honest where one taken at the start would not.
    """
    row = measure(server, endpoint, seconds, scale=scale)
    base = measure(bare, bare_endpoint, seconds)
    row.baseline = base.requests_per_s
    row.ratio = row.requests_per_s / base.requests_per_s if base.requests_per_s else None
    return row


def _wrk(server: Server, endpoint: Endpoint, seconds: int, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f"wrk.method = {json.dumps(endpoint.method)}\n")
        if endpoint.body is not None or endpoint.body_template is not None:
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
        if endpoint.body is not None:
            script.write(f"wrk.body = {json.dumps(endpoint.body)}\n")
        for key, value in endpoint.headers.items():
            script.write(f"wrk.headers[{json.dumps(key)}] = {json.dumps(value)}\n")
        if endpoint.callers:
            script.write(_callers_lua(endpoint))
        elif endpoint.body_template is not None:
            head, _sep, tail = endpoint.body_template.partition("{n}")
            # A different number for each request a connection sends.
            script.write(
                f"counter = math.random(0, {BODY_NUMBERS})\n"
                "request = function()\n"
                "  counter = counter + 1\n"
                f"  return wrk.format(nil, nil, nil, {json.dumps(head)} .. (counter % {BODY_NUMBERS})"
                f" .. "
                f"{json.dumps(tail)})\n"
                "end\n"
            )
        script.write(
            "done = function(summary, latency, requests)\n"
            '  io.write(string.format(\'JSON {"rps": %f, "p50": %f, "p99": %f, '
            '"errors": %d}\\n\', summary.requests / (summary.duration / 1e6), '
            "latency:percentile(50) / 1000, latency:percentile(99) / 1000, "
            "summary.errors.status + summary.errors.connect + summary.errors.read + "
            "summary.errors.write + summary.errors.timeout))\n"
            "end\n"
        )
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds}s",
                "-s",
                script.name,
                server.url + endpoint.path,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    data = json.loads(re.search(r"^JSON (.*)$", out, re.M).group(1))
    return Result(endpoint.name, data["rps"], data["p50"], data["p99"], None, data["errors"])


def _callers_lua(endpoint: Endpoint) -> str:
    """A wrk ``request`` function that takes the callers in turn, each with its headers."""
    lines = ["callers = {}"]
    for path, headers in endpoint.callers:
        fields = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        lines.append(
            f"table.insert(callers, {{path = {json.dumps(path)}, headers = {{{fields}}}}})"
        )
    head, _sep, tail = (endpoint.body_template or endpoint.body or "").partition("{n}")
    has_body = endpoint.body_template is not None or endpoint.body is not None
    body = f"{json.dumps(head)} .. (counter % {BODY_NUMBERS}) .. {json.dumps(tail)}"
    if endpoint.body_template is None:
        body = json.dumps(head) if has_body else "nil"
    lines += [
        f"counter = math.random(0, {BODY_NUMBERS})",
        "init = function(args)",  # the script's own headers go with every caller's
        "  for _, caller in ipairs(callers) do",
        "    for k, v in pairs(wrk.headers) do",
        "      if caller.headers[k] == nil then caller.headers[k] = v end",
        "    end",
        "  end",
        "end",
        "request = function()",
        "  counter = counter + 1",
        "  local caller = callers[counter % #callers + 1]",
        f"  return wrk.format(nil, caller.path, caller.headers, {body})",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _python_load(server: Server, endpoint: Endpoint, seconds: int, connections: int) -> Result:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    headers = dict(endpoint.headers)
    if endpoint.body is not None or endpoint.body_template is not None:
        headers.setdefault("Content-Type", "application/json")

    callers = [
        (path, {**headers, **own}) for path, own in endpoint.callers or [(endpoint.path, {})]
    ]

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        local, local_errors, sent = [], 0, random.randrange(100000)
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            sent += 1
            path, caller_headers = callers[sent % len(callers)]
            conn.request(
                endpoint.method, path, body=endpoint.body_for(sent), headers=caller_headers
            )
            response = conn.getresponse()
            response.read()
            local.append((time.perf_counter() - start) * 1000)
            local_errors += response.status >= 400
        with lock:
            latencies.extend(local)
            errors += local_errors

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return Result(endpoint.name, len(latencies) / elapsed, pick(0.5), pick(0.99), None, errors)


def with_ratios(rows: list[Result], bare: Result) -> list[Result]:
    for row in rows:
        row.ratio = row.requests_per_s / bare.requests_per_s if bare.requests_per_s else None
    return rows


def print_table(rows: list[Result], title: str = "") -> str:
    paired = any(r.baseline is not None for r in rows)
    header = (
        f"{'endpoint':<34} {'scale':>10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'× bare':>7} {'queries':>8} {'errors':>7}" + (f" {'bare req/s':>10}" if paired else "")
    )
    lines = [title, header, "-" * len(header)] if title else [header, "-" * len(header)]
    for r in rows:
        ratio = f"{r.ratio:.0%}" if r.ratio is not None else "—"
        queries = f"{r.queries:g}" if r.queries is not None else "—"
        lines.append(
            f"{r.name:<34} {r.scale:>10} {r.requests_per_s:>9.0f} {r.p50_ms:>8.1f} "
            f"{r.p99_ms:>8.1f} {ratio:>7} {queries:>8} {r.errors:>7}"
            + (f" {r.baseline:>10.0f}" if r.baseline is not None else (" " * 11 if paired else ""))
        )
    text = "\n".join(lines)
    print(text, flush=True)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out_dir / f"{stamp}-{re.sub(r'[^a-z0-9]+', '-', (title or 'bench').lower())}.txt").write_text(
        text + "\n"
    )
    return text


def fresh_database(name: str, admin_url: str = DEFAULT_DB) -> str:
    """Create (or recreate) a PostgreSQL database for a benchmark and migrate it."""
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
            {"d": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
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
    return url
