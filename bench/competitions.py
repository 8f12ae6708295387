"""Skill contests at the city's scale: rankings, titles, and statements as contestants grow.

    python -m bench.competitions [--growth 100] [--seed 11]

On PostgreSQL (BENCH_DATABASE_URL, default the local ``test`` server; the database
``bench_competitions`` is recreated and migrated). People come from ``bench.datagen`` (bulk
INSERTs); everything about the contests goes through the services: three contests with
2,153 contestants in all (eight trades, 3–5 judges per trade counting the chief judge, a
marking scheme of two measurement and two judgement aspects published at 100), every judge
marking every contestant, theory scores entered, each trade locked, identities revealed by
chief judge and supervisor, results released, and the titles conferred after the notice.
The title places are set like the city's three contests: 32 chief technicians and 283
technical experts in all (4 + 34, 4 + 33 and 4 + 41 per trade).

Checked and reported:
- each contest's ranking, recomputed in a fresh session, is identical (a digest of number,
  rank and total per contestant; the marks come from ``--seed``, so runs with the same seed
  print the same digests);
- titles conferred: 32 + 283, and conferring again confers nothing;
- SQL statements of a judge's mark (``services.mark``), of a trade's ranking
  (``services.standings``) and of the public results page (GET /competitions/results/<id>)
  in a one-trade contest of ``--growth`` contestants and in one of ten times as many.

Prints one table and writes it to bench/results/competitions.md.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time
from datetime import timedelta

import sqlalchemy as sa

from bench.harness import ROOT, fresh_database

LEVELS = ["未完成", "基本完成", "完成良好", "完成优秀"]
SCHEME = [
    {"code": "M1", "title": "关键尺寸", "kind": "measurement", "max_mark": 30, "bands": [15]},
    {"code": "M2", "title": "形位公差", "kind": "measurement", "max_mark": 20},
    {"code": "J1", "title": "工艺与外观", "kind": "judgement", "max_mark": 30, "levels": LEVELS},
    {"code": "J2", "title": "安全文明生产", "kind": "judgement", "max_mark": 20, "levels": LEVELS},
]
# (name, trades with their contestants, chief technicians and technical experts per trade)
CONTESTS = [
    ("第一届全市职工技能大赛", {"焊工": 270, "电工": 270, "钳工": 270}, 4, 34),
    ("第二届全市职工技能大赛", {"焊工": 270, "电工": 270, "钳工": 270}, 4, 33),
    ("第三届全市职工技能大赛", {"数控操作工": 267, "维修电工": 266}, 4, 41),
]


class Counter:
    def __init__(self, engine):
        self.n = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.n += 1


class City:
    """The people the contests draw on: the organizer, the enterprises' officers and
    workers, and officials at the federation (so no judge recuses from anyone)."""

    def __init__(self, people: int, seed: int):
        from bench.datagen import generate
        from lms.accounts.models import Role, User, UserRole
        from lms.extensions import db

        self.generated = generate(scale=3, workers_per_enterprise=max(500, people // 6 + 1))
        g = self.generated
        rows = [
            {
                "employee_no": f"J{i:07d}",
                "name": f"裁判{i}",
                "organization_id": g.federation_id,
                "password_hash": "x",
                "active": True,
                "failed_logins": 0,
                "must_change_password": False,
            }
            for i in range(200)
        ]
        self.officials = db.session.scalars(sa.insert(User).returning(User.id), rows).all()
        db.session.execute(
            sa.insert(UserRole), [{"user_id": i, "role": Role.mentor} for i in self.officials]
        )
        db.session.commit()
        self.rng = random.Random(seed)
        self.next_worker = 0
        self.next_official = 0

    def official(self):
        from lms.accounts.models import User
        from lms.extensions import db

        self.next_official += 1
        return db.session.get(User, self.officials[self.next_official - 1])

    def worker(self):
        from lms.accounts.models import User
        from lms.extensions import db

        self.next_worker += 1
        return db.session.get(User, self.generated.worker_ids[self.next_worker - 1])


def build_contest(city: City, name: str, trades: dict[str, int], chiefs: int, experts: int):
    """One contest through the services, up to released results. Returns (contest, marking
    statements per call)."""
    from lms.accounts.models import Organization, User
    from lms.competitions import schemes, services, titles
    from lms.db import utcnow
    from lms.extensions import db

    g = city.generated
    organizer = db.session.get(User, g.officer_id)
    federation = db.session.get(Organization, g.federation_id)
    now = utcnow()
    contest = services.create_contest(
        organizer,
        federation,
        name=name,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=1),
        chief_technician_places=chiefs,
        technical_expert_places=experts,
    )
    titles.set_notice_days(organizer, contest, 7)
    total = sum(trades.values())
    for enterprise_id in g.enterprise_ids:
        services.set_quota(organizer, contest, db.session.get(Organization, enterprise_id), total)
    officers = {
        db.session.get(User, i).organization_id: db.session.get(User, i)
        for i in g.enterprise_officer_ids
    }
    panels = []
    for t, (trade_name, count) in enumerate(trades.items()):
        trade = services.add_trade(organizer, contest, trade_name)
        judges = [city.official() for _ in range(3 + t % 3)]  # 3, 4, 5 counting the chief
        services.assign(organizer, trade, judges[0], "chief_judge")
        for judge in judges[1:]:
            services.assign(organizer, trade, judge, "judge")
        supervisor = city.official()
        services.assign(organizer, trade, supervisor, "supervisor")
        schemes.save_draft(organizer, trade, SCHEME)
        schemes.publish(organizer, trade)
        contestants = []
        for _ in range(count):
            person = city.worker()
            enterprise = person.organization.parent_id
            contestants.append(services.register(officers[enterprise], trade, person))
        db.session.commit()
        panels.append((trade, judges, supervisor, contestants))
    return contest, organizer, panels


def mark_everyone(city: City, organizer, panels, counter: Counter) -> list[int]:
    """Theory scores and every judge's marks, judgement levels within the panel's spread."""
    from lms.competitions import services
    from lms.extensions import db

    rng, statements = city.rng, []
    for trade, judges, _supervisor, contestants in panels:
        for c in contestants:
            ability = rng.random()
            services.enter_theory(organizer, c, f"{55 + 45 * rng.random():.2f}")
            level = min(2, int(ability * 3))
            for judge in judges:
                marks = {
                    "M1": rng.choice((30, 30, 15, 0)) if ability > 0.3 else rng.choice((15, 0)),
                    "M2": 20 if rng.random() < ability + 0.2 else 0,
                    "J1": level + rng.choice((0, 1)),
                    "J2": level + (1 if ability > 0.5 else 0),
                }
                counter.n = 0
                services.mark(judge, trade, c.marking_code, marks)
                statements.append(counter.n)
        db.session.commit()
    return statements


def lock_reveal_release(contest, organizer, panels) -> None:
    from lms.competitions import services
    from lms.extensions import db

    for trade, judges, _supervisor, _contestants in panels:
        services.lock_trade(judges[0], trade)
    services.reveal(contest, panels[0][1][0], panels[0][2])
    services.release(organizer, contest)
    db.session.commit()


def digest(contest_id: int) -> tuple[str, float, int, int]:
    """The contest's ranking read in a fresh session: a digest of (trade, number, rank,
    total), the seconds it took, and how many distinct ranks were shared (ties)."""
    from lms.competitions import services
    from lms.competitions.models import Contest
    from lms.extensions import db

    db.session.expire_all()
    contest = db.session.get(Contest, contest_id)
    started = time.perf_counter()
    h, ties, rows = hashlib.sha256(), 0, 0
    for trade in contest.trades:
        standings = services.standings(trade)
        ranks = [s.rank for s in standings]
        ties += len(ranks) - len(set(ranks))
        rows += len(standings)
        for s in standings:
            h.update(f"{trade.name}|{s.contestant.number}|{s.rank}|{s.total}\n".encode())
    return h.hexdigest()[:16], time.perf_counter() - started, ties, rows


def growth(city: City, app, counter: Counter, size: int, label: str) -> dict:
    """A one-trade contest of ``size`` contestants: statements per mark, per ranking and per
    public results page."""
    from lms.competitions import services
    from lms.extensions import db

    contest, organizer, panels = build_contest(city, f"成长测试{label}", {"钳工": size}, 3, 30)
    marking = mark_everyone(city, organizer, panels, counter)
    lock_reveal_release(contest, organizer, panels)
    trade = panels[0][0]
    db.session.expire_all()
    counter.n = 0
    services.standings(trade)
    standings = counter.n
    client = app.test_client()
    page = []
    for _ in range(3):
        db.session.expire_all()
        counter.n = 0
        t0 = time.perf_counter()
        response = client.get(f"/competitions/results/{contest.id}")
        page.append((counter.n, (time.perf_counter() - t0) * 1000))
        assert response.status_code == 200, response.status_code
    return {
        "size": size,
        "mark": (min(marking), max(marking)),
        "standings": standings,
        "page": (page[-1][0], statistics.median(ms for _, ms in page)),
    }


def main() -> None:  # noqa: PLR0915 - one scenario read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--growth", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    from lms import create_app
    from lms.competitions import titles
    from lms.competitions.models import Contest
    from lms.competitions.rules_models import Award
    from lms.extensions import db

    url = fresh_database("bench_competitions")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    seeded = sum(sum(t.values()) for _, t, _, _ in CONTESTS)
    lines = []
    with app.app_context():
        counter = Counter(db.engine)
        city = City(seeded + args.growth * 11, args.seed)
        started = time.perf_counter()
        contests, marking = [], []
        for name, trades, chiefs, experts in CONTESTS:
            contest, organizer, panels = build_contest(city, name, trades, chiefs, experts)
            marking += mark_everyone(city, organizer, panels, counter)
            lock_reveal_release(contest, organizer, panels)
            contests.append(contest.id)
        built = time.perf_counter() - started
        ranking = []
        for contest_id in contests:
            first, second = digest(contest_id), digest(contest_id)
            ranking.append((contest_id, first, second[0] == first[0]))
        conferred, again = 0, 0
        for contest_id in contests:
            ends = titles.notice_ends_at(db.session.get(Contest, contest_id))
            conferred += titles.confer(contest_id, now=ends)
            db.session.commit()
            again += titles.confer(contest_id, now=ends + timedelta(hours=1))
        by_title = dict(
            db.session.execute(sa.select(Award.title, sa.func.count()).group_by(Award.title)).all()
        )
        small = growth(city, app, counter, args.growth, "A")
        large = growth(city, app, counter, args.growth * 10, "B")
        db.session.remove()
        db.engine.dispose()

    chiefs, experts = by_title.get("chief_technician", 0), by_title.get("technical_expert", 0)
    lines += [
        f"# Skill contests at the city's scale ({seeded} contestants in three contests, "
        f"PostgreSQL, seed {args.seed})",
        "",
        f"Built through the services (register, mark by every judge, lock, reveal, release) "
        f"in {built:.0f} s; {len(marking)} marks, {min(marking)}–{max(marking)} SQL statements "
        "each.",
        "",
        "| contest | contestants | ranking digest | recomputed identical | shared ranks | ranking s |",
        "|---|---:|---|---|---:|---:|",
    ]
    for (_contest_id, (h, seconds, ties, rows), same), (name, *_rest) in zip(
        ranking, CONTESTS, strict=True
    ):
        lines.append(
            f"| {name} | {rows} | `{h}` | {'yes' if same else 'NO'} | {ties} | {seconds:.2f} |"
        )
    ok = (chiefs, experts) == (32, 283) and again == 0
    lines += [
        "",
        f"Titles conferred after the notice: **{chiefs} 首席技工 + {experts} 技术能手** "
        f"({conferred} in all; conferring again: {again}) — "
        f"{'as the city conferred' if ok else 'NOT 32 + 283'}.",
        "",
        "| contestants in the trade | SQL per mark (min–max) | SQL per ranking | "
        "SQL per public results page | page ms |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in (small, large):
        lines.append(
            f"| {row['size']} | {row['mark'][0]}–{row['mark'][1]} | {row['standings']} | "
            f"{row['page'][0]} | {row['page'][1]:.0f} |"
        )
    same = small["mark"] == large["mark"] and small["standings"] == large["standings"]
    same = same and small["page"][0] == large["page"][0]
    lines += ["", f"statements unchanged at ×10 contestants: **{'yes' if same else 'NO'}**"]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results" / "competitions.md"
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
