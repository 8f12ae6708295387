"""Demo innovation, written through the services: items in every stage from the machine works
and the power company, a verified benefit and its reward, a merged duplicate, and two studios
led by model workers with members, grants, spendings and an achievement."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lms.core.demo import DemoData, register_loader
from lms.db import utcnow
from lms.extensions import db
from lms.innovation import services
from lms.innovation.services.common import clock_at
from lms.timeutil import to_local


def _submit(data, who, days_ago, **fields):
    with clock_at(utcnow() - timedelta(days=days_ago)):
        return services.submit(data.people[who], **fields)


def _decide(data, who, item, outcome, reason=None, days_after=20):
    with clock_at(item.submitted_at + timedelta(days=days_after)):
        return services.decide(data.people[who], item, outcome, reason)


def load(data: DemoData) -> None:
    p = data.people
    officer, officer_power = p["officer"], p["officer_power"]
    services.assign_finance_duty(p["admin"], officer, data.orgs["machine"])

    # machine works: the whole path from submission to reward
    fixture = _submit(
        data,
        "worker",
        120,
        kind="small_modification",
        title="筒体环缝焊接防变形夹具",
        problem="大型筒体环缝焊接后椭圆度超差，每月返修约 12 件，占用焊工和探伤工时。",
        method="设计可调式内撑环夹具，焊前撑圆，分四段对称退焊，焊后保温缓冷。",
        expected_benefit="每年减少返修约 140 件，节约工时与材料费。",
        team=[(p["worker"].id, "60"), (p["worker2"].id, "40")],
    )
    _decide(data, "officer", fixture, "adopted", "方案可行，先在焊接车间推广。", days_after=25)
    services.set_benefit(
        officer,
        fixture,
        target_benefit="100000",
        forecast_benefit="120000",
        actual_benefit="126400",
        formula="年减少返修 140 件 ×（返修工时费 620 元 + 材料费 320 元）− 夹具折旧 5,200 元",
    )
    services.verify_benefit(officer, fixture)
    services.compute_reward(officer, fixture)

    duplicate = _submit(
        data,
        "worker6",
        100,
        kind="suggestion",
        title="筒体焊接变形的夹具",
        problem="筒体环缝焊接后变形，椭圆度超差，需要返修。",
        method="焊前用内撑环撑圆后再焊。",
    )
    services.support(p["worker3"], duplicate)
    services.merge(officer, duplicate, fixture)

    trial = _submit(
        data,
        "worker2",
        80,
        kind="technical",
        title="焊材烘干箱分区管理",
        problem="不同牌号焊条混放在同一烘干箱，容易用错，受潮焊条造成气孔。",
        method="烘干箱分区贴色标，领用登记牌号与烘干时间，超时自动报警。",
        major=True,
    )
    _decide(data, "officer", trial, "trial", "先在一条产线试行三个月。", days_after=40)
    rejected = _submit(
        data,
        "worker3",
        75,
        kind="small_suggestion",
        title="总装车间增加休息座椅",
        problem="总装车间工位旁没有座椅，工间休息只能站着。",
        method="每个工位旁配一把折叠椅。",
    )
    _decide(
        data,
        "officer",
        rejected,
        "not_adopted",
        "工位旁放椅子占用安全通道；车间休息区已在改造计划中，年内增设座椅。",
        days_after=30,
    )
    torque = _submit(
        data,
        "worker3",
        70,
        kind="small_design",
        title="装配螺栓预紧力扭矩标识卡",
        problem="新员工记不住不同部位螺栓的扭矩值，返工多。",
        method="按部位制作扭矩标识卡，挂在扭矩扳手上。",
    )  # past its 60 days: on the overdue list
    _submit(
        data,
        "worker",
        5,
        kind="small_invention",
        title="管道坡口角度快速检测尺",
        problem="坡口角度靠目测，偏差大时焊缝成形差。",
        method="用不锈钢片制作 30°/37.5° 两用检测尺。",
    )
    _submit(
        data,
        "worker6",
        3,
        kind="suggestion",
        title="车间照明",
        problem="焊接车间北侧照明不足。",
        method=None,
    )  # no method: an opinion

    # power company
    meter = _submit(
        data,
        "worker5",
        90,
        kind="technical",
        title="配电柜带电测温巡检改进",
        problem="人工测温巡检一次需两人半天，高温点发现晚。",
        method="加装无线测温贴片，数据接入值班室大屏，超温短信告警。",
        team=[(p["worker5"].id, "70"), (p["worker4"].id, "30")],
    )
    _decide(data, "officer_power", meter, "adopted", None, days_after=35)
    services.set_benefit(
        officer_power,
        meter,
        forecast_benefit="80000",
        actual_benefit="65000",
        formula="年节约巡检工时 800 小时 × 85 元 − 测温贴片及通信费 3,000 元",
    )  # waiting for the finance duty's verification
    _submit(
        data,
        "worker4",
        10,
        kind="small_innovation",
        title="绝缘杆收纳挂架",
        problem="绝缘杆靠墙放置容易倒，受潮后绝缘性能下降。",
        method="制作带防潮罩的壁挂式挂架。",
    )

    # studios
    weld = services.register_studio(
        officer,
        name="高铁军焊接技能创新工作室",
        lead=p["mentor"],
        organization=data.orgs["machine"],
        level="city",
        year=utcnow().year - 1,
        trade="焊工",
        plan="每年完成至少两项焊接工艺改进，带出高级工以上徒弟五名。",
        member_ids=[p["worker"].id, p["worker2"].id, p["worker6"].id],
    )
    services.decide_studio(p["admin"], weld, True, None)
    services.add_entry(officer, weld, "grant", "5000", "市总工会市级创新工作室补助")
    services.add_entry(officer, weld, "spending", "1260", "购买焊接试板与夹具材料")
    services.link_innovation(officer, fixture, weld)
    services.lifecycle.appraise(
        officer, weld, to_local(utcnow()).year, "完成筒体焊接防变形夹具一项，达到年度计划。"
    )

    power = services.register_studio(
        officer_power,
        name="陈建平带电作业创新工作室",
        lead=p["mentor2"],
        organization=data.orgs["power"],
        level="enterprise",
        year=utcnow().year,
        trade="电工",
        plan="围绕不停电作业开展工具革新，每年至少一项。",
        member_ids=[p["worker4"].id, p["worker5"].id],
    )
    services.decide_studio(officer_power, power, True, None)
    services.add_entry(officer_power, power, "grant", "5000", "企业工作室启动经费")
    services.add_entry(officer_power, power, "spending", "860", "无线测温贴片样品")
    services.link_innovation(officer_power, meter, power)

    _evaluations(data, trial, torque)
    _contests(data, fixture, torque)
    _recommendations(data, fixture, weld)


def _evaluations(data, trial, torque) -> None:
    """A closed expert evaluation of the drying-oven item (M0001 recused: the author works
    in his studio) and an open one of the torque cards, waiting for M0001 and M0003."""
    p = data.people
    evaluation = services.open_evaluation(
        p["officer"], trial, [p["mentor3"].id, p["mentor2"].id, p["mentor"].id], p["mentor3"].id
    )
    services.declare(p["mentor"], evaluation, True, "提交人李春花是本人工作室成员。")
    for who, marks in (
        ("mentor3", {"technical": 24, "economic": 22, "scope": 15, "practicality": 18}),
        ("mentor2", {"technical": 26, "economic": 20, "scope": 14, "practicality": 17}),
    ):
        services.declare(p[who], evaluation, False, None)
        services.score(p[who], evaluation, marks)
    services.close_evaluation(p["mentor3"], evaluation)
    services.open_evaluation(
        p["officer"], torque, [p["mentor"].id, p["mentor3"].id], p["mentor"].id
    )


def register() -> None:
    register_loader(50, load)


def _contests(data, fixture, torque) -> None:
    """A five-smalls contest of the machine works decided last week (three judges, prizes by
    rank) and this year's second call, open for entries with one entry so far."""
    from lms.innovation.models import Innovation
    from lms.innovation.services import contest as contests

    p = data.people
    gauge = db.session.scalar(sa.select(Innovation).where(Innovation.title.like("管道坡口%")))
    judges = [p["mentor"].id, p["mentor2"].id, p["mentor3"].id]
    start = utcnow() - timedelta(days=4)
    with clock_at(start):
        decided = contests.create_contest(
            p["officer"],
            organization=data.orgs["machine"],
            name="焊接专场“五小”竞赛",
            year=start.year,
            call_text="征集焊接、装配环节的小发明、小革新、小设计，现场答辩，评委按评分表打分。",
            entry_deadline=start + timedelta(days=2),
            defence_place="厂工会三楼会议室",
            judge_ids=judges,
            chief_id=p["mentor"].id,
            counts=(1, 1, 1),
            money=("3000", "2000", "1000"),
        )
        for item in (fixture, gauge, torque):
            contests.enter(p["officer"], decided, item)
    with clock_at(start + timedelta(days=3)):
        contests.start_defence(p["officer"], decided)
        marks = {
            "mentor": ((26, 27, 17, 18), (22, 18, 14, 16), (20, 16, 15, 17)),
            "mentor2": ((25, 26, 16, 17), (24, 17, 15, 17), (21, 15, 14, 18)),
            "mentor3": ((27, 26, 18, 18), (23, 19, 14, 15), (22, 17, 15, 16)),
        }
        for who, rows in marks.items():
            for entry, row in zip(decided.entries, rows, strict=True):
                contests.score_entry(p[who], decided, entry, dict(zip(CARD, row, strict=True)))
        contests.close_contest(p["mentor"], decided)
    second = contests.create_contest(
        p["officer"],
        organization=data.orgs["machine"],
        name="全厂“五小”成果征集",
        year=utcnow().year,
        call_text="面向全厂征集“五小”成果，报名截止后组织现场答辩。",
        entry_deadline=utcnow() + timedelta(days=30),
        judge_ids=judges,
        chief_id=p["mentor"].id,
        money=("2000", "1000", "500"),
    )
    contests.enter(p["worker3"], second, torque)


CARD = ("technical", "economic", "scope", "practicality")


def _recommendations(data, fixture, weld) -> None:
    """The fixture recommended to the province's ten best innovations and won; M0001's
    advanced operation method recommended to the city's list, waiting for the result."""
    from lms.innovation.services import recommend

    p = data.people
    won = recommend.recommend(
        p["officer"],
        kind="item",
        item=fixture,
        award="省十佳职工创新成果",
        awarding_body="省总工会",
        year=utcnow().year,
        reason="年创效益超过十二万元，已在三个车间推广。",
    )
    recommend.record_outcome(p["admin"], won, True, "一等奖", "10000")
    recommend.recommend(
        p["officer"],
        kind="method",
        title="厚板多层多道焊“三步控温”操作法",
        summary="预热、层间、焊后三段控温，厚板焊缝一次合格率由 92% 提高到 99%。",
        author=p["mentor"],
        studio=weld,
        award="市职工先进操作法",
        awarding_body="市总工会",
        year=utcnow().year,
    )
