"""Demo care data, written through the care services: care duties for the two enterprise
officers, a dozen honoured people (the accounts demo's three plus nine more) with living
situations, an open hardship case with follow-ups, visits, this year's check-up batch, a
recuperation trip with its roster, a living-conditions survey with answers (one need made a
case) and last month's study tour with a participant's report. All people are the invented
ones of the accounts demo."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

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
    _survey(data, today)
    _study_tour(data, today)


def _survey(data: DemoData, today) -> None:
    """The machine plant's survey: one person answered on the phone, one was visited and
    their answers entered (a need made a case), the rest have not answered yet."""
    from lms.care.models import SurveyResponse
    from lms.extensions import db

    carer = data.people["officer"]
    survey = services.create_survey(
        carer,
        data.orgs["machine"],
        name=f"{today.year} 年劳模生活状况调查",
        levels=["national", "provincial", "city"],
        closes_on=today + timedelta(days=21),
        intro="请如实填写住房、收入、健康和家庭情况，工会将据此安排走访和帮扶。",
    )
    responses = {
        r.person_id: r
        for r in db.session.scalars(
            sa.select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
        )
    }
    mentor = data.people["mentor"]
    services.answer(
        mentor,
        responses[mentor.id],
        housing="自有住房",
        income="在职，收入稳定",
        health="腰椎劳损，久站后疼痛",
    )
    visited = data.people["extra5"]
    answered = services.answer(
        carer,
        responses[visited.id],
        surveyed_on=today - timedelta(days=1),
        housing="租住老式楼房六楼，无电梯",
        family="女儿在外地，本人独居",
        needs="上下楼困难，希望协调低楼层公租房",
        flagged=["housing", "family"],
    )
    case = services.case_from_need(carer, answered.needs[0].id)
    services.add_step(
        carer, case, text="联系住建部门了解低楼层公租房", due_on=today + timedelta(days=7)
    )
    services.add_step(carer, case, text="上门告知本人进展", due_on=today + timedelta(days=14))


def _study_tour(data: DemoData, today) -> None:
    """A study tour held last month: the services take new trips from today on, so the tour
    is set up ahead and moved back once its roster is approved, as if time had passed."""
    from lms.extensions import db

    admin, carer = data.people["admin"], data.people["officer"]
    tour = services.create_trip(
        admin,
        data.orgs["machine"],
        kind="study_tour",
        name="赴沪学习考察：先进焊接工艺",
        place="上海",
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=4),
        capacity=4,
        itinerary="参观两家智能制造企业的焊接车间，与当地劳模创新工作室交流。",
    )
    for handle in ("mentor", "extra1", "extra3"):
        services.nominate(carer, tour, data.people[handle], frontline=True)
    services.approve_by_priority(admin, tour)
    tour.starts_on, tour.ends_on = today - timedelta(days=40), today - timedelta(days=37)
    db.session.commit()
    services.add_report(
        data.people["mentor"],
        tour,
        title="激光—电弧复合焊的见闻与打算",
        summary="看到了激光—电弧复合焊在厚板上的应用，回厂后计划在工作室试做工艺评定。",
        upload=services.Upload(
            "考察报告.txt",
            "text/plain",
            "一、考察经过\n二、主要收获\n三、回厂后的打算\n".encode(),
        ),
    )


def register() -> None:
    register_loader(50, load)
