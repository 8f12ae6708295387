"""Queries and server time per request for each endpoint of the peak mix, one request at a time.

    python -m bench.queries [--scale 0.1] [--repeat 20] [--profile "GET /"]

The capacity ramp (``bench/peak.py``) measures a crowd; this walks the same endpoints as the
same kinds of people (``bench/people.py``) with Flask's test client on a copy of the peak
template database, PostgreSQL and Redis as the platform runs, and prints per endpoint the
SQL statements per request (exact; SQLAlchemy's public ``before_cursor_execute`` event) and
the median wall and CPU time of this process per request (the test client's own share
included; loose on a shared machine, the CPU figure less so). ``--profile`` runs
pyinstrument over ``--repeat`` requests of the endpoints named and prints the call tree;
``--statements`` prints the SQL of the last request of the endpoints named.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
import uuid
from urllib.parse import urlencode, urlsplit

from bench.forms import csrf_meta, page_form
from bench.harness import REDIS_URL
from bench.peak import LIGHT_ARGON2, SECRET, copy_for_run, ensure_template

COURSE_LINK = re.compile(r'href="/courses/(\d+)"')
LECTURE_LINK = re.compile(r'href="/courses/lectures/(\d+)"')
PROGRESS_URL = re.compile(r'data-progress-url="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _app(url: str):
    from lms import create_app

    run = uuid.uuid4().hex[:8]
    os.environ["LMS_CELERY"] = json.dumps(
        {"broker_transport_options": {"global_keyprefix": f"lms-queries-{run}:"}}
    )
    return create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": SECRET,
            "REDIS_URL": REDIS_URL,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "CACHE_KEY_PREFIX": f"lms-queries-{run}:cache:",
            "RATELIMIT_KEY_PREFIX": f"lms-queries-{run}",
            "LOGIN_RATE_LIMIT_PER_ADDRESS": "1000000 per minute",
            "LOGIN_RATE_LIMIT_PER_ACCOUNT": "1000000 per minute",
            **LIGHT_ARGON2,
        },
    )


class Walker:
    def __init__(self, app, repeat: int, profile: set[str], show: set[str] = frozenset()) -> None:
        from sqlalchemy import event

        from lms.extensions import db

        self.app, self.repeat, self.profile, self.show = app, repeat, profile, show
        self.statements: list[str] = []
        self.rows: dict[str, tuple[list[int], list[float], list[float], int]] = {}
        self.count = 0
        self.profiler = None
        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _count(conn, cursor, statement, *_args) -> None:
            self.count += 1
            self.statements.append(" ".join(statement.split())[:300])

    def client(self, login: str, password: str):
        client = self.app.test_client()
        page = client.get("/login").get_data(as_text=True)
        form = page_form(page, needs="password")
        fields = {**(form.fields if form else {}), "login": login, "password": password}
        answer = client.post("/login", data=urlencode(fields), headers=FORM)
        if answer.status_code != 302:
            raise SystemExit(f"sign-in as {login}: HTTP {answer.status_code}")
        return client

    def hit(self, client, name: str, method: str, path: str, **kwargs):
        """``repeat`` requests after one to warm; returns the last answer."""
        answer = None
        counts, times, cpu = [], [], []
        for i in range(self.repeat + 1):
            if i == 1 and name in self.profile:
                from pyinstrument import Profiler

                self.profiler = self.profiler or Profiler(interval=0.0005)
                self.profiler.start()
            self.count, self.statements = 0, []
            started, used = time.perf_counter(), time.process_time()
            answer = client.open(path, method=method, **kwargs)
            elapsed, used = time.perf_counter() - started, time.process_time() - used
            if i:
                counts.append(self.count)
                times.append(elapsed * 1000)
                cpu.append(used * 1000)
        if name in self.profile:
            self.profiler.stop()
        self.rows[name] = (counts, times, cpu, answer.status_code)
        if name in self.show:
            print(f"{name}: {len(self.statements)} statements", *self.statements, sep="\n  ")
        return answer

    def table(self) -> str:
        lines = [
            f"{'endpoint':<48} {'status':>6} {'queries':>8} {'p50 ms':>8} {'CPU ms':>8}",
            "-" * 82,
        ]
        for name, (counts, times, cpu, status) in self.rows.items():
            q, wall, used = (
                statistics.mean(counts),
                statistics.median(times),
                statistics.median(cpu),
            )
            lines.append(f"{name:<48} {status:>6} {q:>8.1f} {wall:>8.1f} {used:>8.1f}")
        return "\n".join(lines)


def walk(w: Walker, manifest: dict) -> None:
    password = manifest["password"]
    spare = manifest["checkin_people"] + 7
    worker = w.client(f"B{spare:07d}", password)
    w.hit(worker, "GET /", "GET", "/")
    catalog = w.hit(worker, "GET /courses/", "GET", "/courses/").get_data(as_text=True)
    w.hit(worker, "GET /courses/?q=", "GET", "/courses/?" + urlencode({"q": "焊接"}))
    mine = w.hit(worker, "GET /courses/mine", "GET", "/courses/mine").get_data(as_text=True)
    course = (COURSE_LINK.findall(mine) or COURSE_LINK.findall(catalog) or ["1"])[0]
    page = w.hit(worker, "GET /courses/<id>", "GET", f"/courses/{course}").get_data(as_text=True)
    for lecture in LECTURE_LINK.findall(page):
        html = w.hit(worker, "GET /courses/lectures/<id>", "GET", f"/courses/lectures/{lecture}")
        html = html.get_data(as_text=True)
        found = PROGRESS_URL.search(html)
        if found:
            position = iter(range(10, 100000, 10))
            for _ in range(1):
                w.hit(
                    worker,
                    "PUT /api/v1/lectures/<id>/progress",
                    "PUT",
                    found.group(1),
                    json={"position_seconds": next(position) % 590, "duration_seconds": 600},
                    headers={"X-CSRFToken": csrf_meta(html) or ""},
                )
            break
    for path in ("/notifications", "/training/schedule", "/certificates"):
        w.hit(worker, f"GET {path}", "GET", path)

    screen = w.client(manifest["federation_officer"], password)
    klass = manifest["checkin_classes"][0]
    state = w.hit(
        screen,
        "GET /training/sessions/<id>/screen/state",
        "GET",
        f"/training/sessions/{klass['sessions'][0]}/screen/state",
    )
    scan = urlsplit(state.get_json()["scan_url"]).path
    shift = w.client(f"B{0:07d}", password)
    opened = w.hit(
        shift, "GET /training/c/<token> (scan)", "GET", scan, headers={"Sec-Fetch-Site": "none"}
    )
    form = page_form(opened.get_data(as_text=True))
    if form is not None:
        saved = w.client(f"B{0:07d}", password)  # checks in once; the repeats are refused
        answer = saved.post(
            form.action or scan,
            data=urlencode(form.fields),
            headers={**FORM, "Sec-Fetch-Site": "same-origin"},
        )
        location = answer.headers.get("Location")
        if location:
            w.hit(saved, "GET /training/sessions/<id>", "GET", urlsplit(location).path)

    mentor = w.client(manifest["mentors"][0], password)
    w.hit(mentor, "GET /mentoring", "GET", "/mentoring")
    log = w.hit(mentor, "GET /mentoring/log", "GET", "/mentoring/log").get_data(as_text=True)
    form = page_form(log, needs="topic")
    if form is not None:
        fields = dict(form.fields)
        if not fields.get("mentorship_id") and form.choices.get("mentorship_id"):
            fields["mentorship_id"] = form.choices["mentorship_id"][0]
        fields.update(topic="立焊练习", minutes="60")
        w.hit(
            mentor,
            "POST /mentoring/log",
            "POST",
            form.action or "/mentoring/log",
            data=urlencode(fields),
            headers=FORM,
        )

    officer = w.client(manifest["officers"][0], password)
    for name, path in (
        ("GET /training/reports/summary", "/training/reports/summary"),
        ("GET /training/warnings", "/training/warnings"),
        ("GET /mentorships", "/mentorships"),
        ("GET /people?q=", "/people?q=%E7%8E%8B"),
    ):
        w.hit(officer, name, "GET", path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="append", default=[], help="endpoint name")
    parser.add_argument("--statements", action="append", default=[], help="endpoint name")
    args = parser.parse_args()
    template, manifest = ensure_template(args.scale, regenerate=False)
    app = _app(copy_for_run(template, manifest))
    walker = Walker(app, args.repeat, set(args.profile), set(args.statements))
    walk(walker, manifest)
    print(walker.table(), flush=True)
    if walker.profiler is not None:
        print(walker.profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
