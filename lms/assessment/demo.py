"""Demo question banks: one per demo trade (焊工 at the machine works, 电工 at the power
company), each with an exam open for a week to the enterprise's people; the welder W0001
has sat the welding exam and sees the result. Written through the engine's services."""

from __future__ import annotations

from datetime import timedelta

from lms.assessment import services
from lms.core.demo import DemoData, register_loader
from lms.db import utcnow

# kind, topic, difficulty, text, options, answer, points
WELDING = [
    (
        "single",
        "安全规程",
        1,
        "焊接作业前首先应检查的是？",
        ["焊机接地是否可靠", "焊条颜色", "工服品牌", "天气预报"],
        [0],
        1,
    ),
    (
        "single",
        "安全规程",
        1,
        "在容器内焊接时，照明电压不得超过多少伏？",
        ["12 V", "36 V", "110 V", "220 V"],
        [0],
        1,
    ),
    ("true_false", "安全规程", 1, "在密闭容器内焊接可以不设监护人。", [], [1], 1),
    ("true_false", "安全规程", 1, "动火作业必须先办理动火证。", [], [0], 1),
    (
        "multiple",
        "安全规程",
        2,
        "焊接烟尘的防护措施有：",
        ["局部排风", "佩戴防尘口罩", "加大电流", "全面通风"],
        [0, 1, 3],
        2,
    ),
    (
        "single",
        "焊接工艺",
        2,
        "J422 焊条适用于哪类钢材？",
        ["低碳钢", "不锈钢", "铸铁", "铝合金"],
        [0],
        1,
    ),
    (
        "multiple",
        "焊接工艺",
        2,
        "下列属于焊接缺陷的有：",
        ["气孔", "夹渣", "裂纹", "余高合格"],
        [0, 1, 2],
        2,
    ),
    ("fill", "焊接工艺", 2, "E4303 焊条药皮类型为____型。", [], ["钛钙", "钛钙型"], 1),
    (
        "single",
        "焊接工艺",
        3,
        "厚板多层焊时，层间温度过高易导致：",
        ["晶粒粗大", "未熔合减少", "硬度降低", "气孔消失"],
        [0],
        1,
    ),
    ("true_false", "焊接工艺", 2, "碱性焊条焊前一般需要烘干。", [], [0], 1),
]
ELECTRICAL = [
    (
        "single",
        "安全规程",
        1,
        "低压带电作业时，人体与带电体应保持的措施是？",
        ["绝缘隔离", "赤手操作", "站在潮湿地面", "单人作业"],
        [0],
        1,
    ),
    ("true_false", "安全规程", 1, "停电检修必须先验电、后挂接地线。", [], [0], 1),
    (
        "multiple",
        "安全规程",
        2,
        "保证安全的技术措施包括：",
        ["停电", "验电", "装设接地线", "口头交代"],
        [0, 1, 2],
        2,
    ),
    ("true_false", "安全规程", 1, "工作票可以由工作负责人自己签发并许可。", [], [1], 1),
    (
        "single",
        "电工基础",
        2,
        "三相四线制中，线电压是相电压的几倍？",
        ["√3", "√2", "3", "1"],
        [0],
        1,
    ),
    ("fill", "电工基础", 2, "我国工频交流电的频率是____赫兹。", [], ["50", "50Hz"], 1),
    (
        "single",
        "电工基础",
        2,
        "测量绝缘电阻常用的仪表是：",
        ["兆欧表", "万用表", "钳形电流表", "功率表"],
        [0],
        1,
    ),
    (
        "multiple",
        "电工基础",
        3,
        "影响导体电阻的因素有：",
        ["材料", "长度", "截面积", "所加电压"],
        [0, 1, 2],
        2,
    ),
    ("true_false", "电工基础", 2, "电流互感器二次侧可以开路运行。", [], [1], 1),
    (
        "single",
        "电工基础",
        1,
        "我国安全电压的最高值一般为：",
        ["36 V", "50 V", "110 V", "220 V"],
        [0],
        1,
    ),
]
FITTING = [
    (
        "single",
        "安全规程",
        1,
        "使用砂轮机时，操作者应站在砂轮的：",
        ["侧面", "正面", "背面", "任意位置"],
        [0],
        1,
    ),
    ("true_false", "安全规程", 1, "钻床钻孔时可以戴手套操作。", [], [1], 1),
    ("true_false", "安全规程", 1, "锉刀不能当撬棒或锤子使用。", [], [0], 1),
    (
        "multiple",
        "安全规程",
        2,
        "錾削时应注意：",
        ["戴防护眼镜", "錾子头部无毛刺", "对面不站人", "用力越大越好"],
        [0, 1, 2],
        2,
    ),
    (
        "single",
        "钳工工艺",
        2,
        "划线时，划针尖端应紧贴：",
        ["导向工具", "工件中心", "台虎钳", "手掌"],
        [0],
        1,
    ),
    ("fill", "钳工工艺", 2, "游标卡尺读数值为 0.02 mm，其主尺每格为____ mm。", [], ["1", "1mm"], 1),
    (
        "single",
        "钳工工艺",
        2,
        "攻螺纹前底孔直径应：",
        ["略大于螺纹小径", "等于螺纹大径", "小于螺纹小径很多", "任意"],
        [0],
        1,
    ),
    (
        "multiple",
        "钳工工艺",
        3,
        "装配时常用的配合有：",
        ["间隙配合", "过渡配合", "过盈配合", "随机配合"],
        [0, 1, 2],
        2,
    ),
]
BLUEPRINT = [
    {"topic": "安全规程", "difficulty": 1, "count": 3},
    {"topic": "安全规程", "difficulty": 2, "count": 1},
    {"topic": "", "difficulty": 2, "count": 3},
]


def _bank(officer, organization, name, trade, questions):
    bank = services.create_bank(officer, organization, name, trade)
    for kind, topic, difficulty, text, options, answer, points in questions:
        services.add_question(
            officer,
            bank,
            {
                "kind": kind,
                "topic": topic,
                "difficulty": difficulty,
                "text": text,
                "options": options,
                "answer": answer,
                "points": points,
            },
        )
    return bank


def load(data: DemoData) -> None:
    now = utcnow()
    banks = {
        "焊工": _bank(
            data.people["officer"], data.orgs["machine"], "焊工理论题库", "焊工", WELDING
        ),
        "电工": _bank(
            data.people["officer_power"], data.orgs["power"], "电工理论题库", "电工", ELECTRICAL
        ),
    }
    banks["钳工"] = _bank(
        data.people["officer"], data.orgs["machine"], "钳工理论题库", "钳工", FITTING
    )
    data.extra["assessment_banks"] = banks
    exams = {}
    for trade, officer in (("焊工", "officer"), ("电工", "officer_power")):
        exams[trade] = services.create_exam(
            data.people[officer],
            banks[trade],
            title=f"{trade}安全与工艺理论考试",
            blueprint=BLUEPRINT,
            duration_minutes=30,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            partial_credit="0.5",
        )
    # The welder W0001 has sat the welding exam: her answers, right for the first five.
    welder = data.people["worker"]
    sitting = services.start(welder, exams["焊工"].id)
    for item in sitting.items[:5]:
        question = item.question
        if question.kind == "fill":
            services.save_answer(welder, sitting.id, item.position, text=question.key[0])
        else:
            shown = sorted(item.order.index(k) for k in question.key)
            services.save_answer(welder, sitting.id, item.position, choices=shown)
    services.submit(welder, sitting.id)


def register() -> None:
    register_loader(35, load)
