"""Selection at city scale: nominations flowing up three levels, the review queues' SQL
statements as the nominations grow tenfold, and the public notice page from the cache.

    python -m bench.selection [--nominations 2000] [--views 200]

On PostgreSQL (BENCH_DATABASE_URL; the database ``bench_selection`` is recreated and
migrated) with Redis as the cache (BENCH_REDIS_URL). People come from ``bench.datagen``
(ten enterprises of four workshops); each workshop gets an officer. Every nomination goes
through the services: the workshop officer nominates and sends it up, the enterprise officer
approves it up to the city, where it waits in the organizer's queue. The statements of each
queue page (the enterprise's and the city's, and the organizer's campaign page) are counted
at a tenth of ``--nominations`` and again at all of them: the claim is the same count. Then
the organizer accepts 100 onto the list and publishes the notice; the public page is viewed
as a visitor without an account: the first view reads the database, each repeated view runs
no statement. Prints one table and writes it to bench/results/selection.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import timedelta

import sqlalchemy as sa

from bench.datagen import BENCH_PASSWORD, generate
from bench.harness import REDIS_URL, ROOT, fresh_database


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


def workshop_officers(gen) -> dict[int, int]:
    """One officer per workshop (the first level that nominates)."""
    from lms.accounts.models import Role, User, UserRole
    from lms.extensions import db

    password_hash = db.session.scalar(
        sa.select(User.password_hash).where(User.id == gen.officer_id)
    )
    rows = [
        {
            "employee_no": f"WS{w:05d}",
            "name": f"车间专员{w}",
            "organization_id": w,
            "password_hash": password_hash,
            "active": True,
            "failed_logins": 0,
            "must_change_password": False,
        }
        for w in gen.workshop_ids
    ]
    ids = db.session.scalars(sa.insert(User).returning(User.id), rows).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": i, "role": Role.officer} for i in ids])
    db.session.commit()
    return dict(zip(gen.workshop_ids, ids, strict=True))


def flow(campaign_id: int, gen, shop_officers: dict, candidates: list[int]) -> float:
    """Nominate, send up and approve each candidate to the city; returns seconds."""
    from lms.accounts.models import User
    from lms.extensions import db
    from lms.selection import services
    from lms.selection.models import Campaign

    enterprise_officer = {
        db.session.get(User, i).organization_id: db.session.get(User, i)
        for i in gen.enterprise_officer_ids
    }
    started = time.perf_counter()
    for user_id in candidates:
        campaign = db.session.get(Campaign, campaign_id)
        person = db.session.get(User, user_id)
        shop_officer = db.session.get(User, shop_officers[person.organization_id])
        dossier = services.nominate(
            shop_officer,
            campaign,
            person,
            summary="技术革新能手",
            achievements="事迹材料",
            frontline=True,
        )
        services.submit(shop_officer, dossier)
        services.approve(enterprise_officer[person.organization.parent_id], dossier)
    return time.perf_counter() - started


def statements(app, counter: Counter, login: str, urls: list[str]) -> list[int]:
    client = app.test_client()
    client.post("/login", data={"login": login, "password": BENCH_PASSWORD})
    counts = []
    for url in urls:
        client.get(url)  # the first view of a session also reads the session row
        counter.n = 0
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(counter.n)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nominations", type=int, default=2000)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--listed", type=int, default=100)
    args = parser.parse_args()

    from lms import create_app
    from lms.accounts.models import User
    from lms.extensions import db
    from lms.selection import services
    from lms.selection.models import Campaign, Dossier, DossierStatus

    url = fresh_database("bench_selection")
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "REDIS_URL": REDIS_URL,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": f"lms-bench-selection-{uuid.uuid4().hex[:8]}:cache:",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
            "PROPAGATE_EXCEPTIONS": True,
        },
    )
    with app.app_context():
        counter = Counter(db.engine)
        gen = generate(scale=5, workers_per_enterprise=400)
        shops = workshop_officers(gen)
        organizer = db.session.get(User, gen.officer_id)
        today = services.local_today()
        campaign = services.create_campaign(
            organizer,
            organizer.organization,
            title="基准评选",
            honour_kind="model_worker",
            honour_level="city",
            year=2030,
            places=args.listed,
            nominate_until=today + timedelta(days=30),
            review_until=today + timedelta(days=60),
        )
        cid = campaign.id
        enterprise_login = db.session.get(User, gen.enterprise_officer_ids[0]).employee_no
        organizer_login = organizer.employee_no
        pool = gen.worker_ids[: args.nominations]
    pages = [f"/selection/{cid}/queue", f"/selection/{cid}/queue?tab=all", f"/selection/{cid}"]
    tenth = args.nominations // 10
    with app.app_context():
        seconds = flow(cid, gen, shops, pool[:tenth])
    small = statements(app, counter, enterprise_login, pages[:2]) + statements(
        app, counter, organizer_login, pages
    )
    with app.app_context():
        seconds += flow(cid, gen, shops, pool[tenth:])
    large = statements(app, counter, enterprise_login, pages[:2]) + statements(
        app, counter, organizer_login, pages
    )
    with app.app_context():
        organizer = db.session.get(User, gen.officer_id)
        waiting = db.session.scalars(
            sa.select(Dossier.id)
            .where(Dossier.campaign_id == cid, Dossier.status == DossierStatus.pending)
            .order_by(Dossier.id)
            .limit(args.listed)
        ).all()
        for dossier_id in waiting:
            services.approve(organizer, db.session.get(Dossier, dossier_id))
        services.publish_notice(organizer, db.session.get(Campaign, cid))
    client = app.test_client()
    with app.app_context():
        counter.n = 0
        t = time.perf_counter()
        assert client.get(f"/selection/notice/{cid}").status_code == 200
        first_ms, first_q = (time.perf_counter() - t) * 1000, counter.n
        times, queries = [], []
        for _ in range(args.views):
            counter.n = 0
            t = time.perf_counter()
            assert client.get(f"/selection/notice/{cid}").status_code == 200
            times.append((time.perf_counter() - t) * 1000)
            queries.append(counter.n)
    times.sort()
    names = [
        "enterprise queue",
        "enterprise: all dossiers",
        "city queue",
        "city: all dossiers",
        "city: campaign page",
    ]
    lines = [
        "# Selection (bench/selection.py)",
        "",
        f"PostgreSQL + Redis cache; 10 enterprises × 4 workshops; {args.nominations} "
        "nominations, each nominated and sent up by a workshop officer and approved by its "
        "enterprise's officer through the services.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| nominations flowed up two levels | {args.nominations} in {seconds:.1f} s "
        f"({args.nominations / seconds:.0f}/s, 3 transactions each) |",
    ]
    lines += [
        f"| SQL statements, {name}: {tenth} → {args.nominations} nominations | {a} → {b} |"
        for name, a, b in zip(names, small, large, strict=True)
    ]
    lines += [
        f"| public notice of {args.listed} names: SQL statements, first view | {first_q} |",
        f"| first view, ms | {first_ms:.1f} |",
        f"| SQL statements, each of {args.views} repeated views | {min(queries)}–{max(queries)} |",
        f"| repeated view, median / p95 ms (test client) | {statistics.median(times):.2f} / "
        f"{times[int(len(times) * 0.95) - 1]:.2f} |",
    ]
    text = "\n".join(lines)
    print(text)
    (ROOT / "bench" / "results" / "selection.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
