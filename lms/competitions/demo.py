"""Demo competitions, written through the services: the union's city skill contest with three
trades (焊工, 钳工 and 电工), contestants from the heavy-machinery plant and the power company,
two union judges and a mentor of the other enterprise per trade (recusal), a published marking
scheme per trade, marks with one spread the chief judge resolves, every trade locked, the
identities decrypted by the chief judge and the supervisor, results released and titles
conferred; and a labour competition inside the plant. People are the accounts demo's invented
ones plus three union officials (J0001, J0002, S0001; password as every demo account)."""

from __future__ import annotations

from datetime import timedelta

from lms.accounts import services as accounts
from lms.accounts.models import Role
from lms.competitions import labour, officials, schemes, services, titles
from lms.core.demo import DEMO_PASSWORD, DemoData, register_loader
from lms.db import utcnow

OFFICIALS = [
    ("chief", "J0001", "陶振国", "13900000031"),
    ("judge", "J0002", "韩秀英", "13900000032"),
    ("supervisor", "S0001", "邱明德", "13900000033"),
]

LEVELS = ["未达到要求", "基本达到要求", "达到要求", "明显超出要求"]

# trade, the people's trade, (measurement aspect, its tolerance band), judgement aspect, a
# mentor of the other enterprise who judges it
TRADES = [
    ("焊工", "焊工", ("焊缝尺寸", 20), "焊缝成形", "mentor2"),
    ("钳工", "钳工", ("配合间隙", 20), "锉削面质量", "mentor2"),
    ("电工", "电工", ("接线正确", 20), "布线工艺", "mentor"),
]


def _aspects(measurement: tuple[str, int], judgement: str) -> list[dict]:
    title, band = measurement
    return [
        {"code": "M1", "title": title, "kind": "measurement", "max_mark": 40, "bands": [band]},
        {"code": "M2", "title": "安全文明生产", "kind": "measurement", "max_mark": 20},
        {"code": "J1", "title": judgement, "kind": "judgement", "max_mark": 40, "levels": LEVELS},
    ]


def _people_of_trade(data: DemoData, trade: str) -> list:
    """Four people of the trade; the demo's worker (W0001) last, so that she ranks fourth and
    gets no title (an honour would give her a care file, which other demos assume she lacks)."""
    people = [
        p
        for handle, p in data.people.items()
        if p.trade == trade
        and handle != "worker"
        and (handle.startswith(("worker", "extra")) or handle == "mentor3")
    ]
    if data.people["worker"].trade == trade:
        people = [*people[:3], data.people["worker"]]
    return people[:4]


def load(data: DemoData) -> None:
    admin = data.people["admin"]  # an officer of the union: the organizer
    for handle, number, name, mobile in OFFICIALS:
        data.people[handle] = accounts.create_user(
            None,
            organization=data.orgs["union"],
            roles=[Role.mentor, Role.worker],
            password=DEMO_PASSWORD,
            commit=False,
            employee_no=number,
            name=name,
            mobile=mobile,
            email=f"{number.lower()}@demo.craftsman-academy.local",
        )
    chief, judge, supervisor = (data.people[h] for h in ("chief", "judge", "supervisor"))
    now = utcnow()
    opens = now - timedelta(days=40)
    contest = services.create_contest(
        admin,
        data.orgs["union"],
        name="第三届江城市职工职业技能大赛",
        level="city",
        venue="江城市职业技能实训基地",
        registration_opens_at=opens,
        registration_closes_at=now - timedelta(days=20),
        chief_technician_places=1,
        technical_expert_places=2,
    )
    services.set_quota(admin, contest, data.orgs["machine"], 8)
    services.set_quota(admin, contest, data.orgs["power"], 4)
    officers = {"machine": data.people["officer"], "power": data.people["officer_power"]}
    trades = []
    for name, person_trade, measurement, judgement, mentor in TRADES:
        trade = services.add_trade(admin, contest, name, person_trade=person_trade)
        schemes.save_draft(admin, trade, _aspects(measurement, judgement))
        schemes.publish(admin, trade)
        services.assign(admin, trade, chief, "chief_judge")
        services.assign(admin, trade, judge, "judge")
        services.assign(admin, trade, data.people[mentor], "judge", conflicts="无")
        services.assign(admin, trade, supervisor, "supervisor")
        contestants = []
        for person in _people_of_trade(data, person_trade):
            power = person.organization.path.startswith(data.orgs["power"].path)
            officer = officers["power" if power else "machine"]
            contestants.append(
                services.register(officer, trade, person, now=opens + timedelta(days=1))
            )
        trades.append((trade, contestants, [chief, judge, data.people[mentor]]))

    for t, (trade, contestants, judges) in enumerate(trades):
        for i, contestant in enumerate(contestants):
            services.enter_theory(admin, contestant, 92 - 7 * i - t)
            for j, who in enumerate(judges):
                level = 3 - (i + j) % 3 // 2
                if t == 0 and i == 1 and j == 0:
                    level = 0  # far from the others: the chief judge resolves it
                marks = {"M1": 40 if i < 2 else 20, "M2": 20 if (i + j) % 4 else 0, "J1": level}
                services.mark(who, trade, contestant.marking_code, marks)
    first_trade, first_contestants, _judges = trades[0]
    officials.resolve(
        chief, first_trade, first_contestants[1].marking_code, "J1", 2, note="复看作品后裁定"
    )
    for trade, _contestants, _judges in trades:
        services.lock_trade(chief, trade)
    services.reveal(contest, chief, supervisor)
    services.release(admin, contest)
    titles.set_notice_days(admin, contest, 0)
    titles.confer(contest.id, actor=admin)

    _labour(data)


def _labour(data: DemoData) -> None:
    officer = data.people["officer"]
    competition = labour.create(officer, data.orgs["machine"], "2026 年节能降耗劳动竞赛")
    saved = labour.add_indicator(officer, competition, "节电量（千瓦时）", 60)
    scrap = labour.add_indicator(officer, competition, "废品率（%）", 40, higher_is_better=False)
    teams = [
        labour.add_entrant(officer, competition, team="焊接车间一班", members=8),
        labour.add_entrant(officer, competition, team="总装车间二班", members=6),
        labour.add_entrant(officer, competition, person=data.people["worker"]),
    ]
    figures = {
        "2026-10": [(1200, "1.8"), (950, "1.2"), (300, "2.0")],
        "2026-11": [(1350, "1.5"), (1100, "1.4"), (320, "1.6")],
    }
    for period, rows in figures.items():
        for entrant, (kwh, rate) in zip(teams, rows, strict=True):
            labour.enter_result(officer, entrant, saved, period, kwh)
            labour.enter_result(officer, entrant, scrap, period, rate)


def register() -> None:
    register_loader(55, load)
