"""Demo care data, written through the care services: care duties for the two enterprise
officers, a dozen honoured people (the accounts demo's three plus nine more) with living
situations, an open hardship case with follow-ups, visits, this year's check-up batch and a
recuperation trip with its roster. All people are the invented ones of the accounts demo."""

from __future__ import annotations

from datetime import timedelta

from lms.accounts import services as accounts
from lms.accounts.models import HonorKind, HonorLevel
from lms.care import services
from lms.core.demo import DemoData, register_loader

# handle, kind, level, year, title
HONOURS = [
    ("extra1", HonorKind.model_worker, HonorLevel.city, 2018, "市劳动模范"),
    ("extra2", HonorKind.model_worker, HonorLevel.provincial, 2015, "省劳动模范"),
    ("extra3", HonorKind.craftsman, HonorLevel.city, 2022, "江城工匠"),
    ("extra4", HonorKind.labour_medal, HonorLevel.provincial, 2021, "省五一劳动奖章"),
    ("extra5", HonorKind.model_worker, HonorLevel.city, 2016, "市劳动模范"),
    ("extra6", HonorKind.model_worker, HonorLevel.national, 2010, "全国劳动模范"),
    ("extra7", HonorKind.craftsman, HonorLevel.city, 2023, "江城工匠"),
    ("extra8", HonorKind.model_worker, HonorLevel.city, 2019, "市劳动模范"),
    ("extra9", HonorKind.technical_expert, HonorLevel.city, 2020, "市技术能手"),
]

SITUATIONS = {
    "mentor": dict(housing="自有住房", income="在职，收入稳定", health="腰椎劳损"),
    "mentor2": dict(
        housing="单位宿舍",
        income="原企业破产，医保断缴",
        health="高血压",
        needs="希望协调补缴医疗保险",
    ),
    "extra2": dict(housing="老旧平房，冬季取暖困难", income="退休金", family="老伴长期卧床"),
    "extra6": dict(housing="自有住房", income="退休金", health="年事已高，行动不便"),
}


def load(data: DemoData) -> None:
    admin = data.people["admin"]
    today = services.local_today()
    services.grant_duty(admin, data.people["officer"], data.orgs["machine"])
    services.grant_duty(admin, data.people["officer_power"], data.orgs["power"])
    for handle, kind, level, year, title in HONOURS:
        accounts.add_honor(
            admin, data.people[handle], kind=kind, level=level, year=year, title=title
        )
    for handle, fields in SITUATIONS.items():
        services.record_situation(admin, data.people[handle], **fields)

    carer = data.people["officer_power"]
    case = services.open_case(
        carer,
        data.people["mentor2"],
        need="medical_insurance",
        help_kind="special_hardship",
        title="原企业破产后医疗保险断缴",
        description="原单位破产清算，医保自去年起断缴，本人高血压需长期服药。",
    )
    first = services.add_step(carer, case, text="核实断缴月份与欠缴金额", due_on=today)
    services.complete_step(carer, first, note="已向社保中心调取缴费记录，断缴 14 个月。")
    services.add_step(carer, case, text="协调社保中心办理补缴", due_on=today + timedelta(days=5))
    services.add_step(
        carer, case, text="电话回访本人", due_on=today + timedelta(days=14), internal=True
    )
    services.record_payment(carer, case, amount="3000.00", note="特殊困难帮扶金")

    carer = data.people["officer"]
    housing = services.open_case(
        carer,
        data.people["extra2"],
        need="housing",
        help_kind="living_subsidy",
        title="冬季取暖困难",
    )
    services.record_payment(carer, housing, amount="1500", note="取暖补助")
    services.close_case(carer, housing, "已发放取暖补助，并协调社区更换暖气片。")

    services.plan_visit(
        carer,
        data.people["extra6"],
        occasion="holiday",
        planned_on=today + timedelta(days=7),
        visitors="厂工会主席、关爱专员",
    )
    visit = services.plan_visit(carer, data.people["mentor"], occasion="illness", planned_on=today)
    services.record_visit(
        carer, visit, visited_on=today, visitors="关爱专员林晓燕", given="慰问金 500 元、水果"
    )

    batch = services.create_batch(
        admin,
        data.orgs["union"],
        name=f"{today.year} 年度劳模健康体检",
        year=today.year,
        levels=["national", "provincial", "city"],
        place="江城市第一人民医院体检中心",
    )
    checkups = sorted(batch.checkups, key=lambda c: c.person_id)
    services.book(admin, checkups[0], today + timedelta(days=10))
    services.book(admin, checkups[1], today + timedelta(days=10))
    services.record_checkup(admin, checkups[2], today, "各项指标正常")

    start = today + timedelta(days=30)
    trip = services.create_trip(
        admin,
        data.orgs["union"],
        name=f"{today.year} 年秋季劳模疗休养",
        place="北戴河职工疗养院",
        starts_on=start,
        ends_on=start + timedelta(days=6),
        capacity=6,
        itinerary="第 1 天报到、体检；第 2–5 天疗养与参观；第 6 天返程。",
    )
    services.set_quota(admin, trip, data.orgs["machine"], 4)
    services.set_quota(admin, trip, data.orgs["power"], 3)
    for handle, frontline in [
        ("mentor", True),
        ("extra1", True),
        ("extra2", False),
        ("extra5", False),
    ]:
        services.nominate(data.people["officer"], trip, data.people[handle], frontline=frontline)
    for handle, frontline in [("mentor2", True), ("extra4", True), ("extra8", False)]:
        services.nominate(
            data.people["officer_power"], trip, data.people[handle], frontline=frontline
        )
    services.approve_by_priority(admin, trip)


def register() -> None:
    register_loader(50, load)
