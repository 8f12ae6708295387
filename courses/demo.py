"""Demo courses by the demo mentors, with every lecture kind, and learners with progress."""

from __future__ import annotations

from datetime import timedelta

from courses import services
from courses.models import (
    Course,
    LectureKind,
    Visibility,
)
from lms.accounts.models import SkillLevel
from lms.core.demo import DemoData, register_loader
from lms.db import utcnow

SAFETY_TEXT = """## 焊前检查

1. 检查焊机接地是否可靠；
2. 检查焊把线绝缘有无破损；
3. 清理作业区 10 米内的易燃物。

> 安全是最大的效益。——高铁军

| 项目 | 要求 |
|---|---|
| 护目镜 | 遮光号 10–12 |
| 手套 | 干燥、无破损 |
"""

POWER_TEXT = """## 带电作业“零停电”检修法

带电作业前必须办理工作票，明确安全距离。本讲介绍陈建平师傅创新的检修流程：

- 作业前：现场勘察、危险点分析；
- 作业中：绝缘遮蔽、专人监护；
- 作业后：清点工具、恢复送电确认。
"""


def _quiz(title: str, questions) -> dict:
    return {
        "title": title,
        "pass_mark": 60,
        "max_attempts": 3,
        "questions": [
            {
                "text": text,
                "multiple": multiple,
                "options": [{"text": t, "correct": c} for t, c in options],
            }
            for text, multiple, options in questions
        ],
    }


def _course(actor, owner, lecturer, lectures, **fields) -> Course:
    """A course written through the services, as its officer would on the authoring page."""
    course = services.create_course(
        actor, organization_id=owner.id, lecturer_ids=[lecturer.id], **fields
    )
    for kind, lecture in lectures:
        services.add_lecture(actor, course, kind, **lecture)
    return course


def load(data: DemoData) -> None:
    now = utcnow()
    people, orgs = data.people, data.orgs
    # A national model worker's course, opened to the whole city by the federation.
    weld = _course(
        people["admin"],
        orgs["machine"],
        people["mentor"],
        [
            (LectureKind.text, {"title": "焊接安全须知", "body": SAFETY_TEXT}),
            (
                LectureKind.video,
                {
                    "title": "坡口加工示范",
                    "video_url": "https://media.example.org/demo/bevel.mp4",
                    "duration_seconds": 600,
                    "body": "高师傅现场示范 V 形坡口的加工要领。",
                },
            ),
            (
                LectureKind.live,
                {
                    "title": "云宣讲：大国工匠的焊花人生",
                    "starts_at": now + timedelta(days=3),
                    "join_url": "https://live.example.org/room/hightie",
                    "required": False,
                },
            ),
            (
                LectureKind.quiz,
                _quiz(
                    "焊接安全小测验",
                    [
                        (
                            "焊接作业区多少米内不得有易燃物？",
                            False,
                            [("10 米", True), ("3 米", False), ("1 米", False)],
                        ),
                        (
                            "焊前需要检查哪些项目？",
                            True,
                            [("焊机接地", True), ("焊把线绝缘", True), ("午饭菜单", False)],
                        ),
                    ],
                ),
            ),
        ],
        title="压力容器焊接实战",
        summary="全国劳动模范高铁军师傅三十年焊接经验精讲：从焊前准备到缺陷返修。",
        trade="焊工",
        skill_level=SkillLevel.intermediate,
        hours=6,
        visibility=Visibility.everyone,
    )
    power = _course(
        people["officer_power"],
        orgs["power"],
        people["mentor2"],
        [
            (LectureKind.text, {"title": "零停电检修法", "body": POWER_TEXT}),
            (
                LectureKind.file,
                {
                    "title": "带电作业工作票样例",
                    "body": "下载后对照填写练习。（演示数据未附文件）",
                    "required": False,
                },
            ),
            (
                LectureKind.quiz,
                _quiz(
                    "安全规程测验",
                    [("带电作业前必须办理什么？", False, [("工作票", True), ("请假条", False)])],
                ),
            ),
        ],
        title="带电作业安全规程",
        summary="省劳模陈建平讲解带电作业“零停电”检修法，配套规程资料与测验。",
        trade="电工",
        skill_level=SkillLevel.junior,
        hours=4,
    )
    fitter = _course(
        people["officer"],
        orgs["machine"],
        people["mentor3"],
        [
            (LectureKind.text, {"title": "划线工具认识", "body": "划针、划规、样冲的用法。"}),
            (
                LectureKind.video,
                {
                    "title": "锉削姿势",
                    "video_url": "https://media.example.org/demo/filing.mp4",
                    "duration_seconds": 420,
                },
            ),
        ],
        title="钳工基本功：锉削与划线",
        summary="市技术能手赵玉兰带你练好钳工基本功，限额小班，额满候补。",
        trade="钳工",
        skill_level=SkillLevel.apprentice,
        hours=3,
        capacity=2,
    )
    _course(  # stays a draft, waiting for the officer
        people["officer"],
        orgs["machine"],
        people["mentor"],
        [(LectureKind.text, {"title": "常见缺陷", "body": "气孔、夹渣、裂纹。"})],
        title="焊接缺陷返修（制作中）",
        summary="草稿：等待培训专员审核发布。",
        trade="焊工",
        skill_level=SkillLevel.senior,
        hours=2,
    )
    services.publish(people["admin"], weld)
    services.publish(people["officer_power"], power)
    services.publish(people["officer"], fitter)

    worker = people["worker"]
    services.self_enroll(worker, weld)
    text, video = weld.lectures[0], weld.lectures[1]
    services.save_progress(worker, text.id, completed=True)
    services.save_progress(worker, video.id, position_seconds=185)
    services.assign(
        people["officer"], weld, user_ids=[people["worker2"].id], due_at=now + timedelta(days=14)
    )
    for person, course in (
        ("worker4", power),
        ("worker5", power),
        ("worker3", fitter),
        ("worker6", fitter),
        ("worker", fitter),  # the course is full: on the waitlist
    ):
        services.self_enroll(people[person], course)


def register() -> None:
    register_loader(30, load)
