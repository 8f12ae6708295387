"""A city's data for the capacity benchmark, made with set-based SQL in seconds to minutes.

At ``scale`` 1 (a city): 100,000 workers in 200 enterprises, 2,000 courses of 10 lectures,
one enrollment per worker with a progress row for each lecture (1,000,000 rows), 400
finished classes of 50 people × 50 sessions (1,000,000 attendance marks), 5,000 pairings
with 100 mentoring logs each (500,000 logs); plus what the simulated people need: classes
whose sessions start when the run starts, for the shift-start check-ins. ``scale`` 0.1 is
one tenth of everything.

Small tables go in as executemany of Core inserts (the models' Python-side defaults apply);
the large ones as one ``INSERT … SELECT`` each over rows already there or ``generate_series``. ``build`` returns the manifest
the simulated people read (their logins and the check-in classes).
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

import sqlalchemy as sa

from bench import datagen

LECTURES_PER_COURSE = 10
CLASS_SIZE = 50
SESSIONS_PER_FINISHED_CLASS = 50
APPRENTICES_PER_MENTOR = 5
LOGS_PER_PAIRING = 100
# Sessions of each check-in class, one per ramp step: a step's burst checks in to its own.
CHECKIN_SESSIONS = 60
TOPICS = ["焊接", "安全用电", "钳工", "数控编程", "起重作业", "仪表校验", "管道安装", "设备点检"]


def sizes(scale: float) -> dict:
    units = max(1, round(100 * scale))  # datagen's unit: 2 enterprises, 1,000 workers
    workers = units * 1000
    return {
        "units": units,
        "workers": workers,
        "courses": max(10, round(2000 * scale)),
        "finished_classes": max(1, round(400 * scale)),
        "pairings": max(APPRENTICES_PER_MENTOR, round(5000 * scale)),
        # People who check in at shift start: a tenth of the target crowd, within the city.
        "checkin_people": min(workers // 4, 2000),
    }


def _ids(conn, sql: str, **params) -> list[int]:
    return list(conn.execute(sa.text(sql), params).scalars())


def courses_and_progress(session, generated: datagen.Generated, count: int, rng) -> None:
    from courses.models import (
        Course,
        CourseStatus,
        Lecture,
        LectureKind,
        course_lecturers,
    )
    from lms.db import utcnow

    now = utcnow()
    rows = [
        {
            "title": f"{rng.choice(TOPICS)}实战第{i + 1}讲堂",
            "summary": f"劳模工匠讲{rng.choice(TOPICS)}：从入门到精通。",
            "trade": rng.choice(datagen.TRADES),
            "hours": 4.0,
            "organization_id": rng.choice(generated.enterprise_ids),
            "status": CourseStatus.published,
            "published_at": now,
        }
        for i in range(count)
    ]
    course_ids = session.scalars(sa.insert(Course).returning(Course.id), rows).all()
    session.execute(
        sa.insert(course_lecturers),
        [
            {"course_id": cid, "user_id": generated.mentor_ids[i % len(generated.mentor_ids)]}
            for i, cid in enumerate(course_ids)
        ],
    )
    kinds = [LectureKind.video, LectureKind.text] * 4 + [LectureKind.file, LectureKind.quiz]
    session.execute(
        sa.insert(Lecture),
        [
            {
                "course_id": cid,
                "position": p + 1,
                "title": f"第{p + 1}讲",
                "kind": kinds[p],
                "body": "正文",
                "video_url": "https://media.example.org/v.mp4" if kinds[p] == "video" else None,
                "duration_seconds": 600 if kinds[p] == "video" else None,
            }
            for cid in course_ids
            for p in range(LECTURES_PER_COURSE)
        ],
    )
    # One enrollment per worker, in course (n mod courses) taken in employee-number order.
    session.execute(
        sa.text(
            """
            INSERT INTO enrollments (user_id, course_id, status, created_at, seated_at,
                                     progress_percent, last_active_at, class_attended)
            SELECT u.id, c.ids[(u.n - 1) % cardinality(c.ids) + 1], 'enrolled', now(), now(),
                   50, now(), false
            FROM (SELECT id, row_number() OVER (ORDER BY employee_no) AS n
                  FROM users WHERE employee_no LIKE 'B%') u,
                 (SELECT array_agg(id ORDER BY id) AS ids FROM courses) c
            """
        )
    )
    session.execute(
        sa.text(
            "UPDATE courses SET seats_taken = e.n FROM (SELECT course_id, count(*) AS n "
            "FROM enrollments GROUP BY course_id) e WHERE e.course_id = courses.id"
        )
    )
    # A progress row for every lecture of every enrollment; the first half completed.
    session.execute(
        sa.text(
            """
            INSERT INTO lecture_progress (enrollment_id, lecture_id, position_seconds,
                                          completed, completed_at, updated_at)
            SELECT e.id, l.id, 120, l.position <= 5,
                   CASE WHEN l.position <= 5 THEN now() END, now()
            FROM enrollments e JOIN lectures l ON l.course_id = e.course_id
            """
        )
    )


def _classes(session, rows: list[dict]) -> list[int]:
    from lms.training.models import TrainingClass

    return session.scalars(sa.insert(TrainingClass).returning(TrainingClass.id), rows).all()


def _class_row(title: str, org_id: int, officer_id: int, feed: str, window: int) -> dict:
    return {
        "title": title,
        "organization_id": org_id,
        "officer_id": officer_id,
        "feed_token": feed,
        "registration_mode": "assigned",
        "checkin_window_minutes": window,
    }


def finished_classes(session, generated: datagen.Generated, count: int) -> None:
    """Classes of 50 × 50 sessions over the past year, every mark written: ~2,500 each."""
    from lms.db import utcnow
    from lms.training.models import ClassSession, RosterEntry

    now = utcnow()
    enterprises = generated.enterprise_ids
    officers = generated.enterprise_officer_ids
    class_ids = _classes(
        session,
        [
            _class_row(
                f"基准培训班{c}",
                enterprises[c % len(enterprises)],
                officers[c % len(officers)],
                f"bench-feed-{c}",
                30,
            )
            for c in range(count)
        ],
    )
    sessions = []
    for n, class_id in enumerate(class_ids):
        for s in range(SESSIONS_PER_FINISHED_CLASS):
            start = now - timedelta(days=360 - s * 7 - (n % 7), hours=2)
            sessions.append(
                {
                    "class_id": class_id,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=2),
                    "closed_at": start + timedelta(hours=2),
                }
            )
    session.execute(sa.insert(ClassSession), sessions)
    workers = generated.worker_ids
    session.execute(
        sa.insert(RosterEntry),
        [
            {
                "class_id": class_id,
                "user_id": workers[(n * CLASS_SIZE + k) % len(workers)],
                "status": "seated",
                "seated_at": now,
            }
            for n, class_id in enumerate(class_ids)
            for k in range(CLASS_SIZE)
        ],
    )
    # Every seated person gets a mark for every session of their class: one statement.
    session.execute(
        sa.text(
            """
            INSERT INTO training_attendance
                (session_id, user_id, status, checked_in_at, method, note, updated_at)
            SELECT s.id, r.user_id,
                   (ARRAY['present','present','present','late','absent'])[1 + (s.id + r.user_id) % 5],
                   s.starts_at, 'qr', '', now()
            FROM training_sessions s JOIN training_roster r ON r.class_id = s.class_id
            WHERE s.class_id = ANY(:classes)
            """
        ),
        {"classes": list(class_ids)},
    )


def checkin_classes(session, generated: datagen.Generated, people: int) -> list[dict]:
    """Classes of 50 of the first ``people`` workers, each with sessions for the bursts."""
    from lms.db import utcnow
    from lms.training.models import ClassSession, RosterEntry

    now = utcnow()
    members = generated.worker_ids[:people]
    groups = [members[i : i + CLASS_SIZE] for i in range(0, len(members), CLASS_SIZE)]
    class_ids = _classes(
        session,
        [
            _class_row(
                f"班前签到{c + 1}班",
                generated.enterprise_ids[c % len(generated.enterprise_ids)],
                generated.officer_id,
                f"bench-shift-{c}",
                720,
            )
            for c in range(len(groups))
        ],
    )
    session.execute(
        sa.insert(RosterEntry),
        [
            {"class_id": cid, "user_id": uid, "status": "seated", "seated_at": now}
            for cid, group in zip(class_ids, groups, strict=True)
            for uid in group
        ],
    )
    out = []
    for cid in class_ids:
        ids = session.scalars(
            sa.insert(ClassSession).returning(ClassSession.id, sort_by_parameter_order=True),
            [
                {"class_id": cid, "starts_at": now, "ends_at": now + timedelta(hours=2)}
                for _ in range(CHECKIN_SESSIONS)
            ],
        ).all()
        out.append({"class_id": cid, "sessions": list(ids)})
    return out


def mentoring(session, generated: datagen.Generated, pairings: int, rng) -> list[int]:
    """Mentors (the generated ``M…`` people) with five apprentices each, 100 logs a pairing."""
    from lms.accounts.models import User
    from lms.db import utcnow
    from lms.mentorship.models import LogKind, MentorProfile, Mentorship, MentorshipStatus

    now = utcnow()
    today = now.date()
    mentors = generated.mentor_ids[: math.ceil(pairings / APPRENTICES_PER_MENTOR)]
    apprentices = generated.worker_ids[-pairings:]
    org_of = dict(
        session.execute(
            sa.select(User.id, User.organization_id).where(User.id.in_(apprentices))
        ).all()
    )
    session.execute(
        sa.insert(MentorProfile),
        [{"user_id": i, "capacity": APPRENTICES_PER_MENTOR} for i in mentors],
    )
    rows = []
    for n, apprentice in enumerate(apprentices):
        start = today - timedelta(days=rng.randint(120, 360))
        rows.append(
            {
                "mentor_id": mentors[n // APPRENTICES_PER_MENTOR],
                "apprentice_id": apprentice,
                "organization_id": org_of[apprentice],
                "status": MentorshipStatus.active,
                "requested_by_apprentice": False,
                "start_date": start,
                "planned_end": start + timedelta(days=365),
                "agreement": "师徒协议",
                "mentor_signed_at": now,
                "apprentice_signed_at": now,
                "early_graduation": False,
            }
        )
    session.execute(sa.insert(Mentorship), rows)
    # 100 logs a pairing, spread from its start to today; a few waiting or disputed.
    session.execute(
        sa.text(
            """
            INSERT INTO mentor_logs (mentorship_id, mentor_id, session_date, minutes, kind,
                                     topic, status, created_at)
            SELECT m.id, m.mentor_id, m.start_date + (n * (CURRENT_DATE - m.start_date)) / 101,
                   30 + (n % 4) * 30, (CAST(:kinds AS text[]))[1 + n % 4], '岗位带教',
                   CASE WHEN n % 50 = 0 THEN 'submitted' WHEN n % 97 = 0 THEN 'disputed'
                        ELSE 'confirmed' END,
                   now()
            FROM mentorships m CROSS JOIN generate_series(1, :logs) AS n
            """
        ),
        {"kinds": [k.value for k in LogKind], "logs": LOGS_PER_PAIRING},
    )
    session.execute(
        sa.text(
            "UPDATE mentorships m SET confirmed_minutes = s.total FROM ("
            " SELECT mentorship_id, SUM(minutes) AS total FROM mentor_logs"
            " WHERE status = 'confirmed' GROUP BY mentorship_id) s WHERE s.mentorship_id = m.id"
        )
    )
    logins = session.scalars(
        sa.select(User.employee_no).where(User.id.in_(mentors)).order_by(User.employee_no)
    ).all()
    return list(logins)


def build(session, scale: float, password_hash: str, seed: int = 11) -> dict:
    """Everything at ``scale``; returns the manifest (ids and logins) for the run."""
    from lms.accounts.models import User

    rng = random.Random(seed)
    size = sizes(scale)
    generated = datagen.generate(size["units"], password_hash=password_hash)
    # Worker ids in employee-number order, so index k is login B{k:07d}.
    generated.worker_ids = list(
        session.scalars(
            sa.select(User.id).where(User.employee_no.like("B%")).order_by(User.employee_no)
        )
    )
    courses_and_progress(session, generated, size["courses"], rng)
    session.commit()
    finished_classes(session, generated, size["finished_classes"])
    session.commit()
    checkin = checkin_classes(session, generated, size["checkin_people"])
    mentors = mentoring(session, generated, size["pairings"], rng)
    session.commit()
    officers = session.scalars(
        sa.select(User.employee_no)
        .where(User.id.in_(generated.enterprise_officer_ids))
        .order_by(User.employee_no)
    ).all()
    counts = {
        name: session.scalar(sa.text(f"SELECT count(*) FROM {name}"))
        for name in (
            "users",
            "courses",
            "lectures",
            "enrollments",
            "lecture_progress",
            "training_attendance",
            "mentor_logs",
        )
    }
    return {
        "scale": scale,
        "counts": counts,
        "workers": size["workers"],
        "checkin_people": size["checkin_people"],
        "checkin_classes": checkin,
        "mentors": mentors,
        "officers": list(officers),
        "federation_officer": "S0000000",
        "password": datagen.BENCH_PASSWORD,
    }
