"""Demo organizations and people (all invented)."""

from __future__ import annotations

from lms.accounts import services
from lms.accounts.models import Honor, HonorKind, HonorLevel, OrgKind, Role, SkillLevel
from lms.core.demo import DEMO_PASSWORD, DemoData, register_loader
from lms.extensions import db

ORGS = [
    ("union", "江城市总工会", OrgKind.federation, None),
    ("machine", "江城重型机械厂", OrgKind.enterprise, "union"),
    ("weld", "焊接车间", OrgKind.workshop, "machine"),
    ("assembly", "总装车间", OrgKind.workshop, "machine"),
    ("power", "江城供电公司", OrgKind.enterprise, "union"),
    ("maint", "运维检修车间", OrgKind.workshop, "power"),
]

# handle, employee no, name, mobile, org, roles, trade, skill level
PEOPLE = [
    ("admin", "A0001", "周明远", "13900000001", "union", [Role.admin, Role.officer], None, None),
    ("officer", "T0001", "林晓燕", "13900000002", "machine", [Role.officer], None, None),
    ("officer_power", "T0002", "吴国华", "13900000003", "power", [Role.officer], None, None),
    (
        "mentor",
        "M0001",
        "高铁军",
        "13900000011",
        "weld",
        [Role.mentor, Role.worker],
        "焊工",
        SkillLevel.chief_technician,
    ),
    (
        "mentor2",
        "M0002",
        "陈建平",
        "13900000012",
        "maint",
        [Role.mentor, Role.worker],
        "电工",
        SkillLevel.senior_technician,
    ),
    (
        "mentor3",
        "M0003",
        "赵玉兰",
        "13900000013",
        "assembly",
        [Role.mentor, Role.worker],
        "钳工",
        SkillLevel.technician,
    ),
    ("worker", "W0001", "王小虎", "13900000021", "weld", [Role.worker], "焊工", SkillLevel.junior),
    (
        "worker2",
        "W0002",
        "李春花",
        "13900000022",
        "weld",
        [Role.worker],
        "焊工",
        SkillLevel.intermediate,
    ),
    (
        "worker3",
        "W0003",
        "张大勇",
        "13900000023",
        "assembly",
        [Role.worker],
        "钳工",
        SkillLevel.apprentice,
    ),
    (
        "worker4",
        "W0004",
        "刘思远",
        "13900000024",
        "maint",
        [Role.worker],
        "电工",
        SkillLevel.junior,
    ),
    (
        "worker5",
        "W0005",
        "孙丽娟",
        "13900000025",
        "maint",
        [Role.worker],
        "电工",
        SkillLevel.senior,
    ),
    (
        "worker6",
        "W0006",
        "何志强",
        "13900000026",
        "weld",
        [Role.worker],
        "焊工",
        SkillLevel.apprentice,
    ),
]

HONORS = [
    (
        "mentor",
        HonorKind.model_worker,
        HonorLevel.national,
        2020,
        "全国劳动模范",
        "三十年扎根焊接一线，攻克大型压力容器焊接难题，带出徒弟四十余人。",
    ),
    ("mentor", HonorKind.craftsman, HonorLevel.provincial, 2022, "省级工匠", None),
    (
        "mentor2",
        HonorKind.model_worker,
        HonorLevel.provincial,
        2019,
        "省劳动模范",
        "带电作业专家，创新“零停电”检修法。",
    ),
    ("mentor3", HonorKind.technical_expert, HonorLevel.city, 2021, "市技术能手", None),
]


# A welding class needs a roster: twenty more invented workers, the same on every run.
EXTRA_NAMES = [
    "钱立新",
    "冯海波",
    "郑春燕",
    "褚志远",
    "卫国庆",
    "蒋晓梅",
    "沈一鸣",
    "韩雪松",
    "杨帆",
    "朱建业",
    "秦小川",
    "尤佳琪",
    "许振华",
    "吕文涛",
    "施慧敏",
    "曹宏伟",
    "严家豪",
    "华晓东",
    "金玉凤",
    "魏长青",
]


def load(data: DemoData) -> None:
    for handle, name, kind, parent in ORGS:
        data.orgs[handle] = services.create_organization(
            None, name, kind, data.orgs[parent] if parent else None
        )
    for handle, number, name, mobile, org, roles, trade, level in PEOPLE:
        data.people[handle] = services.create_user(
            None,
            organization=data.orgs[org],
            roles=roles,
            password=DEMO_PASSWORD,
            commit=False,
            employee_no=number,
            name=name,
            mobile=mobile,
            trade=trade,
            skill_level=level,
            email=f"{number.lower()}@demo.craftsman-academy.local",
        )
    workshops = ["weld", "weld", "assembly", "maint"]
    for i, name in enumerate(EXTRA_NAMES):
        data.people[f"extra{i + 1}"] = services.create_user(
            None,
            organization=data.orgs[workshops[i % 4]],
            roles=[Role.worker],
            password=DEMO_PASSWORD,
            commit=False,
            employee_no=f"W{1001 + i}",
            name=name,
            mobile=f"1370000{1001 + i}",
            trade={"weld": "焊工", "assembly": "钳工", "maint": "电工"}[workshops[i % 4]],
            skill_level=list(SkillLevel)[i % 4],
        )
    for handle, kind, level, year, title, citation in HONORS:
        db.session.add(
            Honor(
                user=data.people[handle],
                kind=kind,
                level=level,
                year=year,
                title=title,
                citation=citation,
            )
        )


def register() -> None:
    register_loader(10, load)


# Skill-level changes of the year, recorded by the officers as certificates come in: the
# overview's "new high-skill workers" and the growth records read them.
SKILL_CHANGES = [
    # handle, new level, month, day, certificate number
    ("worker", "junior", 3, 18, "JC2026-0318-001"),
    ("worker2", "senior", 4, 26, "JC2026-0426-014"),
    ("worker3", "intermediate", 5, 12, "JC2026-0512-007"),
    ("extra1", "senior", 6, 20, "JC2026-0620-031"),
    ("extra2", "technician", 7, 9, "JC2026-0709-003"),
    ("extra3", "senior", 9, 15, "JC2026-0915-022"),
    ("extra4", "intermediate", 10, 11, "JC2026-1011-040"),
    ("extra5", "senior", 11, 6, "JC2026-1106-009"),
]


def load_skill_changes(data: DemoData) -> None:
    from datetime import date

    from lms.accounts.services import skills
    from lms.db import utcnow
    from lms.timeutil import to_local

    admin = data.people["admin"]
    today = to_local(utcnow()).date()
    for handle, level, month, day, number in SKILL_CHANGES:
        person = data.people.get(handle)
        on = date(today.year, month, day)
        if person is None or on > today or person.skill_level == level:
            continue
        skills.record_change(
            admin,
            person,
            to_level=level,
            changed_on=on,
            certificate_no=number.replace("2026", str(today.year)),
            issuing_body="江城市职业技能鉴定指导中心",
        )


def register_skill_changes() -> None:
    register_loader(11, load_skill_changes)
