"""Mentorship benchmark: the mentor dashboard, the officer's list and the log-save API.

    python -m bench.mentorship [--mentorships 5000] [--logs-per 100] [--seconds 10] [--quick]

Builds, on PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server), mentors with
five apprentices each and ``logs-per`` mentoring logs per pairing (5,000 pairings and
500,000 logs by default), at a tenth of that size and at full size, then prints one table:
throughput as a ratio to bare Flask and queries per request, which must not grow with data.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from datetime import date, timedelta

from bench import datagen
from bench.harness import (
    Endpoint,
    Server,
    bare_server,
    fresh_database,
    measure_paired,
    print_table,
)

APPRENTICES_PER_MENTOR = 5


def generate(mentorships: int, logs_per: int, seed: int = 11) -> dict:
    """Pairings and logs in bulk INSERTs; returns the ids the endpoints need."""
    import sqlalchemy as sa

    from lms.accounts.models import Role, User, UserRole
    from lms.db import utcnow
    from lms.extensions import db
    from lms.mentorship.models import (
        LogKind,
        LogStatus,
        MentorLog,
        MentorProfile,
        Mentorship,
        MentorshipStatus,
    )
    from lms.mentorship.services import local_today

    rng = random.Random(seed)
    mentors_needed = math.ceil(mentorships / APPRENTICES_PER_MENTOR)
    people_needed = mentors_needed + mentorships
    generated = datagen.generate(max(1, math.ceil(people_needed / 1000)))
    people = generated.worker_ids[:people_needed]
    mentor_ids, apprentice_ids = people[:mentors_needed], people[mentors_needed:]
    org_of = dict(
        db.session.execute(
            sa.select(User.id, User.organization_id).where(User.id.in_(apprentice_ids))
        ).all()
    )
    db.session.execute(
        sa.insert(UserRole), [{"user_id": i, "role": Role.mentor} for i in mentor_ids]
    )
    db.session.execute(
        sa.insert(MentorProfile),
        [
            {"user_id": i, "capacity": APPRENTICES_PER_MENTOR, "updated_at": utcnow()}
            for i in mentor_ids
        ],
    )
    today = local_today()
    now = utcnow()
    rows = []
    for n, apprentice_id in enumerate(apprentice_ids):
        start = today - timedelta(days=rng.randint(120, 360))
        roll = rng.random()
        status = (
            MentorshipStatus.active
            if n < APPRENTICES_PER_MENTOR or roll < 0.8
            else MentorshipStatus.completed
            if roll < 0.9
            else MentorshipStatus.paused
        )
        rows.append(
            {
                "mentor_id": mentor_ids[n // APPRENTICES_PER_MENTOR],
                "apprentice_id": apprentice_id,
                "programme_key": 0,
                "organization_id": org_of[apprentice_id],
                "status": status,
                "requested_by_apprentice": False,
                "start_date": start,
                "planned_end": start + timedelta(days=365),
                "agreement": "师徒协议",
                "mentor_signed_at": now,
                "apprentice_signed_at": now,
                "early_graduation": False,
                "confirmed_minutes": 0,
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = db.session.scalars(sa.insert(Mentorship).returning(Mentorship.id), rows).all()
    db.session.commit()
    kinds = list(LogKind)
    batch: list[dict] = []
    for mentorship_id, row in zip(ids, rows, strict=True):
        span = (today - row["start_date"]).days
        for _ in range(logs_per):
            roll = rng.random()
            status = (
                LogStatus.confirmed
                if roll < 0.9
                else LogStatus.submitted
                if roll < 0.98
                else LogStatus.disputed
            )
            batch.append(
                {
                    "mentorship_id": mentorship_id,
                    "mentor_id": row["mentor_id"],
                    "session_date": row["start_date"] + timedelta(days=rng.randint(0, span)),
                    "minutes": rng.choice((30, 45, 60, 90, 120, 240)),
                    "kind": rng.choice(kinds),
                    "topic": "岗位带教",
                    "status": status,
                    "created_at": now,
                }
            )
        if len(batch) >= 20000:
            db.session.execute(sa.insert(MentorLog), batch)
            db.session.commit()
            batch = []
    if batch:
        db.session.execute(sa.insert(MentorLog), batch)
    db.session.execute(
        sa.text(
            "UPDATE mentorships m SET confirmed_minutes = s.total FROM ("
            " SELECT mentorship_id, SUM(minutes) AS total FROM mentor_logs"
            " WHERE status = 'confirmed' GROUP BY mentorship_id) s WHERE s.mentorship_id = m.id"
        )
    )
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    return {
        "mentor_id": mentor_ids[0],
        "officer_id": generated.officer_id,
        "mentorship_id": ids[0],
    }


def prepare(mentorships: int, logs_per: int) -> tuple[str, dict]:
    from lms import create_app
    from lms.extensions import db

    url = fresh_database(f"lms_bench_mentorship_{mentorships}")
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context(), app.test_request_context():
        ids = generate(mentorships, logs_per)
        ids["mentor_token"] = datagen.api_token_for(ids["mentor_id"])
        ids["officer_token"] = datagen.api_token_for(ids["officer_id"])
        db.engine.dispose()
    return url, ids


def endpoints(ids: dict) -> list[Endpoint]:
    # The machine's UTC date is never later than the installation's (Asia/Shanghai) date.
    mentor = {"Authorization": f"Bearer {ids['mentor_token']}"}
    officer = {"Authorization": f"Bearer {ids['officer_token']}"}
    log = {
        "session_date": date.today().isoformat(),
        "minutes": 60,
        "kind": "practice",
        "topic": "立焊练习",
    }
    return [
        Endpoint("GET /mentoring (mentor dashboard)", "/mentoring", headers=mentor),
        Endpoint("GET /mentorships (officer list)", "/mentorships", headers=officer),
        Endpoint(
            "POST /api/v1/…/logs (log save)",
            f"/api/v1/mentorships/{ids['mentorship_id']}/logs",
            method="POST",
            headers=mentor,
            body=json.dumps(log),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentorships", type=int, default=5000)
    parser.add_argument("--logs-per", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="only the tenth-size data set")
    args = parser.parse_args()

    sizes = [max(10, args.mentorships // 10)] + ([] if args.quick else [args.mentorships])
    rows = []
    bare_get = Endpoint("bare Flask GET /bare", "/bare")
    with bare_server() as bare:
        for size in sizes:
            url, ids = prepare(size, args.logs_per)
            label = f"{size:,}/{size * args.logs_per // 1000:,}k"
            with Server({"DATABASE_URL": url}) as app:
                for endpoint in endpoints(ids):
                    rows.append(measure_paired(app, endpoint, bare, bare_get, args.seconds, label))
    print_table(
        rows,
        title="Mentorship: pairings/logs, throughput as a ratio to bare Flask measured right "
        "after each row (gunicorn 2 workers)",
    )


if __name__ == "__main__":
    main()
