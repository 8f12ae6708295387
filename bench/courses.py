"""Courses benchmark: catalog, course page, my learning and the progress save, against bare Flask.

    python -m bench.courses [--scale 1] [--seconds 10] [--only-full]

Data at scale s (s = 10 is the issue's size): 200·s courses of 10 lectures each, the
foundation generator's 10,000·s workers, one enrollment per worker and a progress row
for every lecture of it (100,000·s rows). Runs at ``scale`` and at 10 × ``scale`` on
PostgreSQL (BENCH_DATABASE_URL) under gunicorn, with Redis (BENCH_REDIS_URL) as the
shared cache as in production, and prints one table; each row shows queries per request,
which must not grow with the data. Pages are loaded by one signed-in learner, so they are
served from the copy kept for that session (``lms.core.pagecache``) after the first
request; the rows marked "not kept" load the same pages from a server with that cache off,
so that every request renders the page (the catalog's shared body stays cached). Progress
saves are answered by the heartbeat lane (``courses.heartbeat``) as in production; the row
marked "route, no lane" sends them to the Flask route instead. Every progress save sends a
new position, so each one really writes; the bare PUT receives the same bodies. Each row's
ratio is to the bare endpoint loaded right after it, so that other work on the machine
skews both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

import sqlalchemy as sa

from bench import datagen
from bench.harness import (
    Endpoint,
    Server,
    bare_server,
    fresh_database,
    measure_paired,
    print_table,
)

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
LECTURES_PER_COURSE = 10
LEARNERS = 16  # the progress-save rows with many learners at once
# The player's save: a new position each time, as a learner watching sends it.
POSITION = '{"position_seconds": {n}}'
TOPICS = ["焊接", "安全用电", "钳工", "数控编程", "起重作业", "仪表校验", "管道安装", "设备点检"]


def generate_courses(generated: datagen.Generated, courses: int, seed: int = 11) -> dict:
    """Bulk-insert published courses, lectures, enrollments and progress rows."""
    from courses.models import (
        Course,
        CourseStatus,
        Enrollment,
        EnrollmentStatus,
        Lecture,
        LectureKind,
        course_lecturers,
    )
    from lms.db import utcnow
    from lms.extensions import db

    rng = random.Random(seed)
    now = utcnow()
    rows = [
        {
            "title": f"{rng.choice(TOPICS)}实战第{i + 1}讲堂",
            "summary": f"劳模工匠讲{rng.choice(TOPICS)}：从入门到精通。",
            "trade": rng.choice(datagen.TRADES),
            "hours": 4.0,
            "organization_id": rng.choice(generated.enterprise_ids),
            "visibility": "everyone",
            "status": CourseStatus.published,
            "self_enroll": True,
            "seats_taken": 0,
            "waitlisted": 0,
            "published_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(courses)
    ]
    course_ids = db.session.scalars(sa.insert(Course).returning(Course.id), rows).all()
    db.session.execute(
        sa.insert(course_lecturers),
        [
            {"course_id": cid, "user_id": generated.mentor_ids[i % len(generated.mentor_ids)]}
            for i, cid in enumerate(course_ids)
        ],
    )
    kinds = [LectureKind.video, LectureKind.text] * 4 + [LectureKind.file, LectureKind.quiz]
    lecture_rows = [
        {
            "course_id": cid,
            "position": p + 1,
            "title": f"第{p + 1}讲",
            "kind": kinds[p],
            "required": True,
            "body": "正文",
            "video_url": "https://media.example.org/v.mp4" if kinds[p] == "video" else None,
            "duration_seconds": 600 if kinds[p] == "video" else None,
            "pass_mark": 60,
            "created_at": now,
            "updated_at": now,
        }
        for cid in course_ids
        for p in range(LECTURES_PER_COURSE)
    ]
    for start in range(0, len(lecture_rows), 10000):
        db.session.execute(sa.insert(Lecture), lecture_rows[start : start + 10000])
    enrollment_rows = [
        {
            "user_id": uid,
            "course_id": course_ids[i % len(course_ids)],
            "status": EnrollmentStatus.enrolled,
            "created_at": now,
            "seated_at": now,
            "progress_percent": 50,
            "class_attended": False,
        }
        for i, uid in enumerate(generated.worker_ids)
    ]
    # The benchmark's learner takes 20 courses, so "my learning" has a full page.
    learner = generated.worker_ids[0]
    enrollment_rows += [
        {**enrollment_rows[0], "course_id": cid, "user_id": learner} for cid in course_ids[1:20]
    ]
    for start in range(0, len(enrollment_rows), 20000):
        db.session.execute(sa.insert(Enrollment), enrollment_rows[start : start + 20000])
    db.session.execute(
        sa.text(
            "UPDATE courses SET seats_taken = e.n FROM (SELECT course_id, count(*) AS n "
            "FROM enrollments GROUP BY course_id) e WHERE e.course_id = courses.id"
        )
    )
    # One progress row per lecture of every enrollment; half of them completed.
    db.session.execute(
        sa.text(
            "INSERT INTO lecture_progress (enrollment_id, lecture_id, position_seconds, "
            "completed, completed_at, updated_at) "
            "SELECT e.id, l.id, 120, l.position <= 5, CASE WHEN l.position <= 5 THEN now() END, "
            "now() FROM enrollments e JOIN lectures l ON l.course_id = e.course_id"
        )
    )
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    course_id = course_ids[0]
    video_id = db.session.scalar(
        sa.select(Lecture.id)
        .where(Lecture.course_id == course_id, Lecture.kind == LectureKind.video)
        .order_by(Lecture.position)
        .limit(1)
    )
    counts = {
        name: db.session.scalar(sa.text(f"SELECT count(*) FROM {name}"))
        for name in ("courses", "lectures", "users", "enrollments", "lecture_progress")
    }
    return {"course_id": course_id, "video_id": video_id, "learner": learner, "counts": counts}


def save_endpoint(name: str, path: str, headers: dict) -> Endpoint:
    """The player's save of a new position each time, as a learner watching sends it."""
    return Endpoint(name, path, "PUT", headers=headers, body_template=POSITION)


def _cookies(headers: list[tuple[str, str]], jar: dict) -> dict:
    for key, value in headers:
        if key.lower() == "set-cookie":
            name, _sep, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


def browser_session(server: Server, login: str, password: str) -> dict:
    """Headers of a signed-in browser: session cookie and CSRF token, as the player sends."""
    import http.client
    import re
    from urllib.parse import urlencode

    jar: dict = {}

    def call(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        conn.request(method, path, body=body, headers={**(headers or {}), "Cookie": cookie})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        _cookies(response.getheaders(), jar)
        conn.close()
        return response.status, text

    _status, page = call("GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    status, _text = call(
        "POST",
        "/login",
        urlencode({"login": login, "password": password, "csrf_token": token}),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302:
        raise RuntimeError(f"sign-in failed: HTTP {status}")
    _status, page = call("GET", "/courses/mine")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    return {"Cookie": cookie, "X-CSRFToken": csrf}


def prepare(scale: int) -> tuple[str, dict]:
    from lms import create_app
    from lms.accounts.models import User
    from lms.extensions import db

    url = fresh_database(f"lms_bench_courses_{scale}")
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        started = time.monotonic()
        generated = datagen.generate(scale * 10)
        info = generate_courses(generated, courses=200 * scale)
        info["token"] = datagen.api_token_for(info["learner"])
        info["login"] = db.session.get(User, info["learner"]).employee_no
        info["learners"] = _other_learners(generated.worker_ids[1 : 1 + LEARNERS])
        info["seconds"] = round(time.monotonic() - started)
        db.engine.dispose()
    return url, info


def _other_learners(user_ids: list[int]) -> list[dict]:
    """Learners each watching the first video of their own course (a row each)."""
    from courses.models import Enrollment, Lecture, LectureKind
    from lms.accounts.models import User
    from lms.extensions import db

    first_video = (
        sa.select(sa.func.min(Lecture.id))
        .where(Lecture.course_id == Enrollment.course_id, Lecture.kind == LectureKind.video)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(User.id, User.employee_no, first_video)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(User.id.in_(user_ids))
    ).all()
    return [
        {"login": login, "video_id": video, "token": datagen.api_token_for(uid)}
        for uid, login, video in rows
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--only-full", action="store_true", help="run only at 10 × scale")
    args = parser.parse_args()

    rows = []
    bare_get = Endpoint("bare Flask GET /bare", "/bare")
    bare_put = Endpoint("bare Flask PUT /bare", "/bare", "PUT", body_template=POSITION)
    scales = [args.scale * 10] if args.only_full else [args.scale, args.scale * 10]
    with bare_server() as bare:
        for scale in scales:
            url, info = prepare(scale)
            counts = info["counts"]
            print(
                f"scale {scale}: {json.dumps(counts)} generated in {info['seconds']} s", flush=True
            )
            label = f"{counts['lecture_progress'] // 1000:,}k prog"
            # Served as in production: PostgreSQL, and Redis for the shared cache and limits.
            with Server({"DATABASE_URL": url, "REDIS_URL": REDIS_URL}) as app:
                # Pages and the player's save use the browser's session cookie (and CSRF token).
                auth = browser_session(app, info["login"], datagen.BENCH_PASSWORD)
                progress = f"/api/v1/lectures/{info['video_id']}/progress"
                token = {"Authorization": f"Bearer {info['token']}"}
                for endpoint, base in (
                    (Endpoint("GET /courses/ (catalog)", "/courses/", headers=auth), bare_get),
                    (
                        Endpoint(
                            "GET /courses/?q=焊接 (search)",
                            "/courses/?q=%E7%84%8A%E6%8E%A5",
                            headers=auth,
                        ),
                        bare_get,
                    ),
                    (
                        Endpoint(
                            "GET /courses/<id> (course page)",
                            f"/courses/{info['course_id']}",
                            headers=auth,
                        ),
                        bare_get,
                    ),
                    (
                        Endpoint("GET /courses/mine (my learning)", "/courses/mine", headers=auth),
                        bare_get,
                    ),
                    (save_endpoint("PUT /api/v1/lectures/<id>/progress", progress, auth), bare_put),
                    (save_endpoint("PUT …/progress (API token)", progress, token), bare_put),
                ):
                    rows.append(measure_paired(app, endpoint, bare, base, args.seconds, label))
                # Many learners at once, each saving on their own row with their own session
                # (one learner alone makes every save wait for the row the last one wrote).
                learners = info["learners"]
                paths = [f"/api/v1/lectures/{x['video_id']}/progress" for x in learners]
                signed_in = [
                    (path, browser_session(app, x["login"], datagen.BENCH_PASSWORD))
                    for path, x in zip(paths, learners, strict=True)
                ]
                tokens = [
                    (path, {"Authorization": f"Bearer {x['token']}"})
                    for path, x in zip(paths, learners, strict=True)
                ]
                for name, callers in (
                    (f"PUT …/progress ({len(learners)} learners)", signed_in),
                    (f"PUT …/progress ({len(learners)}, token)", tokens),
                ):
                    endpoint = Endpoint(
                        name, progress, "PUT", body_template=POSITION, callers=callers
                    )
                    rows.append(measure_paired(app, endpoint, bare, bare_put, args.seconds, label))
            # The same pages rendered on every request (what a first visit costs), and the
            # save answered by the Flask route rather than the heartbeat lane.
            cold = {
                "DATABASE_URL": url,
                "REDIS_URL": REDIS_URL,
                "LMS_PERSONAL_PAGE_CACHE_SECONDS": "0",
                "LMS_COURSE_HEARTBEAT_LANE": "false",
            }
            with Server(cold) as app:
                auth = browser_session(app, info["login"], datagen.BENCH_PASSWORD)
                for endpoint, base in (
                    (
                        Endpoint(
                            "GET /courses/<id> (not kept)",
                            f"/courses/{info['course_id']}",
                            headers=auth,
                        ),
                        bare_get,
                    ),
                    (
                        Endpoint("GET /courses/mine (not kept)", "/courses/mine", headers=auth),
                        bare_get,
                    ),
                    (save_endpoint("PUT …/progress (route, no lane)", progress, auth), bare_put),
                ):
                    rows.append(measure_paired(app, endpoint, bare, base, args.seconds, label))
    print_table(
        rows,
        title="Courses: throughput as a ratio to bare Flask measured right after each row "
        "(gunicorn 2 workers; PUT vs bare PUT)",
    )


if __name__ == "__main__":
    main()
