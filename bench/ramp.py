"""The ramp of the capacity benchmark: a locust load shape, and what it measures.

``PeakShape`` ramps through the plan's steps (``BENCH_PEAK_PLAN``, written by
``bench/peak.py``): it spawns the step's people, waits until every one has arrived (signed
in) and ``settle_seconds`` more, resets the statistics, starts a shift (the check-in burst),
measures for ``step_seconds`` and appends the step's figures to the plan's results file:
per endpoint p50/p95/p99, failures, SQL statements per request (the ``X-Bench-Queries``
header of ``bench.instrumented``), and the CPU used by the load generator, gunicorn, Celery
and the whole machine. It stops after the first step that misses the budget, or at the
deadline. The simulated people (``bench/people.py``) read the shared state below.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

import psutil
from locust import LoadTestShape, events

PLAN = (
    json.loads(Path(os.environ["BENCH_PEAK_PLAN"]).read_text())
    if "BENCH_PEAK_PLAN" in os.environ
    else {}
)
MANIFEST = PLAN.get("manifest", {})

# What the shape tells the people: the current shift (one per measured step).
SHIFT = {"index": -1, "started": 0.0}
# The QR link each instructor's screen shows now: class id -> (shift index, link).
SCREENS: dict[int, tuple[int, str]] = {}
READY = {"people": 0}  # people who have arrived (signed in, or failed to)
# Requests that failed while people were arriving (before a step's measured window): a
# person who cannot sign in is a failure of the step they arrived in.
ARRIVAL = {"measuring": False, "failures": 0}
QUERIES: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])


@events.request.add_listener
def _count_queries(request_type, name, response=None, exception=None, **_kw) -> None:
    if exception is not None and not ARRIVAL["measuring"]:
        ARRIVAL["failures"] += 1
    if response is None or exception is not None:
        return
    value = (response.headers or {}).get("X-Bench-Queries")
    if value is not None:
        entry = QUERIES[(request_type, name)]
        entry[0] += int(value)
        entry[1] += 1


def _tree_cpu(pids: list[int]) -> float:
    """CPU seconds used so far by these processes and their children."""
    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            continue
    return total


def _cpu_sample() -> dict:
    machine = psutil.cpu_times()
    return {
        "wall": time.monotonic(),
        "self": time.process_time(),
        "server": _tree_cpu(PLAN.get("server_pids", [])),
        "celery": _tree_cpu(PLAN.get("celery_pids", [])),
        "busy": machine.user + machine.system + machine.nice + machine.irq + machine.softirq,
        "all": sum(machine),
    }


def snapshot(stats, users: int, started: dict) -> dict:
    ended = _cpu_sample()
    wall = ended["wall"] - started["wall"]

    def row(entry) -> dict:
        count = entry.num_requests
        queries = QUERIES.get((entry.method, entry.name)) if entry.method else None
        return {
            "name": entry.name,
            "method": entry.method,
            "requests": count,
            "failures": entry.num_failures,
            "rps": count / wall if wall else 0,
            "p50": entry.get_response_time_percentile(0.5) if count else 0,
            "p95": entry.get_response_time_percentile(0.95) if count else 0,
            "p99": entry.get_response_time_percentile(0.99) if count else 0,
            "queries": queries[0] / queries[1] if queries and queries[1] else None,
        }

    cores = psutil.cpu_count() or 1
    return {
        "users": users,
        "seconds": wall,
        "total": row(stats.total),
        "endpoints": sorted(
            (row(e) for e in stats.entries.values() if e.num_requests),
            key=lambda r: r["name"],
        ),
        "errors": [
            {"name": e.name, "error": str(e.error)[:200], "count": e.occurrences}
            for e in list(stats.errors.values())[:10]
        ],
        "cpu": {
            "load_generator": (ended["self"] - started["self"]) / wall,
            "server": (ended["server"] - started["server"]) / wall,
            "celery": (ended["celery"] - started["celery"]) / wall,
            "machine": cores
            * (ended["busy"] - started["busy"])
            / max(1e-9, ended["all"] - started["all"]),
        },
    }


def within_budget(step: dict) -> bool:
    total = step["total"]
    return (
        total["requests"] > 0
        and total["failures"] == 0
        and step["arrival_failures"] == 0
        and total["p95"] <= PLAN["p95_ms"]
        and total["p99"] <= PLAN["p99_ms"]
    )


class PeakShape(LoadTestShape):
    """Ramp through the plan's steps; measure each once everyone has arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.step = 0
        self.phase = "spawn"
        self.since = 0.0
        self.cpu: dict = {}

    def tick(self):
        steps = PLAN["steps"]
        if self.step >= len(steps) or time.time() > PLAN["deadline"]:
            return None
        users, rate = steps[self.step], PLAN["spawn_rate"]
        now = time.monotonic()
        if self.phase == "spawn" and READY["people"] >= users:
            self.phase, self.since = "settle", now
        elif self.phase == "settle" and now - self.since >= PLAN["settle_seconds"]:
            self.runner.stats.reset_all()
            QUERIES.clear()
            ARRIVAL["measuring"] = True
            SHIFT.update(index=self.step, started=time.time())
            self.phase, self.since, self.cpu = "measure", now, _cpu_sample()
        elif self.phase == "measure" and now - self.since >= PLAN["step_seconds"]:
            result = snapshot(self.runner.stats, users, self.cpu)
            result["arrival_failures"] = ARRIVAL["failures"]
            result["passed"] = within_budget(result)
            ARRIVAL.update(measuring=False, failures=0)
            with open(PLAN["results"], "a") as out:
                out.write(json.dumps(result) + "\n")
            self.step += 1
            self.phase = "spawn"
            if not result["passed"] and PLAN.get("stop_on_fail", True):
                return None
            if self.step >= len(steps):
                return None
            users = steps[self.step]
        return users, rate
