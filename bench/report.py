"""The capacity benchmark's table, in markdown (``bench/results/peak.md``)."""

from __future__ import annotations

import csv
import os
import subprocess
import time
from pathlib import Path

from bench.harness import ROOT


def read_locust_csv(path: Path) -> dict:
    """The aggregated row of locust's ``--csv`` statistics."""
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                return {
                    "rps": float(row["Requests/s"]),
                    "p50": float(row["50%"]),
                    "p95": float(row["95%"]),
                    "p99": float(row["99%"]),
                    "failures": int(row["Failure Count"]),
                }
    raise RuntimeError(f"no aggregated row in {path}")


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def _queries(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".removesuffix(".0")


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def _data(manifest: dict) -> str:
    c = manifest["counts"]
    return (
        f"{c['users']:,} people, {c['courses']:,} courses, {c['lecture_progress']:,} progress "
        f"rows, {c['training_attendance']:,} attendance marks, {c['mentor_logs']:,} mentoring logs"
    )


def _cpu(step: dict) -> str:
    cpu = step["cpu"]
    return " / ".join(f"{cpu[k]:.2f}" for k in ("load_generator", "server", "celery", "machine"))


def args_burst(args) -> int:
    return min(args.burst_seconds, args.step_seconds)


def markdown(*, args, manifest, steps, point, held, tenth, bare, minutes: float) -> str:
    cores = os.cpu_count()
    lines = [
        "# Capacity: a city's peak on one machine",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at commit {_commit()}, "
        f"{cores} cores, {minutes:.0f} minutes. Data: {_data(manifest)}. gunicorn "
        f"{args.workers} workers × {args.threads} threads, Celery, PostgreSQL, Redis.",
        "",
    ]
    if point is None:
        lines.append("**No step was measured** (see the logs).")
        return "\n".join(lines)
    if held:
        lines.append(
            f"**Capacity: {point['users']:,} simultaneous people** — the largest step held "
            "with p95 ≤ 300 ms, p99 ≤ 1 s and no failure."
        )
    else:
        lines.append(
            f"**No step held** — even {point['users']:,} people missed p95 ≤ 300 ms, "
            "p99 ≤ 1 s or had failures; the figures below are for that step."
        )
    t = point["total"]
    checkins = sum(r["requests"] for r in point["endpoints"] if "(scan)" in r["name"])
    lines += [
        "",
        f"At that point: {checkins:,} check-ins within the {args_burst(args)} s burst; "
        f"{t['rps']:,.0f} requests/s, p50 {_ms(t['p50'])} ms, p95 "
        f"{_ms(t['p95'])} ms, p99 {_ms(t['p99'])} ms. Yardstick, the same gunicorn serving "
        f"bare Flask to 32 people with no pause: **{bare['rps']:,.0f} requests/s** "
        f"(p95 {_ms(bare['p95'])} ms).",
        "",
        "## The ramp",
        "",
        f"Each step measured for {args.step_seconds} s once everyone had arrived. CPU in cores "
        "used meanwhile: load generator (locust) / gunicorn / Celery / the whole machine "
        "(everything running on it, PostgreSQL and Redis included).",
    ]
    header = [
        "| people | req/s | p50 ms | p95 ms | p99 ms | failures | held | CPU gen / web / celery / all |",
        "|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    saturated = [s["users"] for s in steps if s["cpu"]["load_generator"] >= 0.9]
    if saturated:
        lines += [
            "",
            f"The load generator used a whole core at {saturated[0]:,} people and more: "
            "from there the figures measure it as much as the platform.",
        ]
    lines += ["", *header]
    for s in steps:
        t = s["total"]
        lines.append(
            f"| {s['users']:,} | {t['rps']:,.0f} | {_ms(t['p50'])} | {_ms(t['p95'])} | "
            f"{_ms(t['p99'])} | {t['failures']} | {'yes' if s['passed'] else 'no'} | {_cpu(s)} |"
        )
    small_rows = {}
    if tenth and tenth[1]:
        small_rows = {(r["method"], r["name"]): r for r in tenth[1]["endpoints"]}
    lines += [
        "",
        f"## Each endpoint at {point['users']:,} people",
        "",
        "Queries: SQL statements per request, counted in the server (`bench/instrumented.py`),"
        " at city scale and on tenth-size data"
        + (f" ({_data(tenth[0])})" if tenth else "")
        + "; they must not grow with the data.",
        "",
        "| endpoint | requests | p50 ms | p95 ms | p99 ms | failures | queries | queries at 1/10 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    grew = []
    for r in point["endpoints"]:
        small = small_rows.get((r["method"], r["name"]))
        big, little = r["queries"], small["queries"] if small else None
        mark = ""
        if big is not None and little is not None and big > little * 1.2 + 0.5:
            mark = " ↑"
            grew.append(r["name"])
        lines.append(
            f"| {r['name']} | {r['requests']:,} | {_ms(r['p50'])} | {_ms(r['p95'])} | "
            f"{_ms(r['p99'])} | {r['failures']} | {_queries(big)}{mark} | {_queries(little)} |"
        )
    if grew:
        lines += ["", "↑ more queries with more data: " + ", ".join(grew) + "."]
    if tenth and tenth[1]:
        t = tenth[1]["total"]
        lines += [
            "",
            f"Tenth-size data, the same {tenth[1]['users']:,} people: {t['rps']:,.0f} req/s, "
            f"p95 {_ms(t['p95'])} ms, p99 {_ms(t['p99'])} ms, {t['failures']} failures.",
        ]
    arrivals = [s for s in steps if s.get("arrival_failures")]
    if arrivals:
        lines += [
            "",
            "Requests that failed while people arrived (sign-in and first pages; they count "
            "against the step): "
            + ", ".join(f"{s['arrival_failures']} at {s['users']:,}" for s in arrivals)
            + ".",
        ]
    errors = [e for s in steps for e in s.get("errors", [])][:5]
    if errors:
        lines += ["", "First failures:", ""]
        lines += [f"- {e['name']}: {e['error']} (×{e['count']})" for e in errors]
    return "\n".join(lines)
