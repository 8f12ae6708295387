"""Demo courses by the demo mentors, with every lecture kind, and learners with progress."""

from __future__ import annotations

from datetime import timedelta

from courses import services
from courses.models import (
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lecture,
    LectureKind,
    LectureProgress,
    Option,
    Question,
    Visibility,
)
from lms.accounts.models import SkillLevel
from lms.core.demo import DemoData, register_loader
from lms.db import utcnow
from lms.extensions import db

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


def _course(data, owner, lecturer, title, summary, trade, level, hours, **extra) -> Course:
    course = Course(
        title=title,
        summary=summary,
        trade=trade,
        skill_level=level,
        hours=hours,
        organization=data.orgs[owner],
        created_by_id=data.people[lecturer].id,
        status=CourseStatus.published,
        published_at=utcnow() - timedelta(days=len(title)),
        **extra,
    )
    course.lecturers = [data.people[lecturer]]
    db.session.add(course)
    return course


def _quiz(course: Course, position: int, title: str, questions) -> Lecture:
    lecture = Lecture(
        course=course,
        position=position,
        kind=LectureKind.quiz,
        title=title,
        pass_mark=60,
        max_attempts=3,
    )
    for qpos, (text, multiple, options) in enumerate(questions, start=1):
        question = Question(text=text, multiple=multiple, position=qpos)
        question.options = [
            Option(text=t, correct=c, position=i) for i, (t, c) in enumerate(options, start=1)
        ]
        lecture.questions.append(question)
    return lecture


def load(data: DemoData) -> None:
    now = utcnow()
    weld = _course(
        data,
        "machine",
        "mentor",
        "压力容器焊接实战",
        "全国劳动模范高铁军师傅三十年焊接经验精讲：从焊前准备到缺陷返修。",
        "焊工",
        SkillLevel.intermediate,
        6,
    )
    weld.lectures = [
        Lecture(position=1, kind=LectureKind.text, title="焊接安全须知", body=SAFETY_TEXT),
        Lecture(
            position=2,
            kind=LectureKind.video,
            title="坡口加工示范",
            video_url="https://media.example.org/demo/bevel.mp4",
            duration_seconds=600,
            body="高师傅现场示范 V 形坡口的加工要领。",
        ),
        Lecture(
            position=3,
            kind=LectureKind.live,
            title="云宣讲：大国工匠的焊花人生",
            starts_at=now + timedelta(days=3),
            join_url="https://live.example.org/room/hightie",
            required=False,
        ),
    ]
    weld.lectures.append(
        _quiz(
            weld,
            4,
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
        )
    )
    power = _course(
        data,
        "power",
        "mentor2",
        "带电作业安全规程",
        "省劳模陈建平讲解带电作业“零停电”检修法，配套规程资料与测验。",
        "电工",
        SkillLevel.junior,
        4,
    )
    power.lectures = [
        Lecture(position=1, kind=LectureKind.text, title="零停电检修法", body=POWER_TEXT),
        Lecture(
            position=2,
            kind=LectureKind.file,
            title="带电作业工作票样例",
            body="下载后对照填写练习。（演示数据未附文件）",
            required=False,
        ),
    ]
    power.lectures.append(
        _quiz(
            power,
            3,
            "安全规程测验",
            [("带电作业前必须办理什么？", False, [("工作票", True), ("请假条", False)])],
        )
    )
    fitter = _course(
        data,
        "machine",
        "mentor3",
        "钳工基本功：锉削与划线",
        "市技术能手赵玉兰带你练好钳工基本功，限额小班，额满候补。",
        "钳工",
        SkillLevel.apprentice,
        3,
        capacity=2,
        visibility=Visibility.organizations,
    )
    fitter.organizations = [data.orgs["machine"]]
    fitter.lectures = [
        Lecture(
            position=1, kind=LectureKind.text, title="划线工具认识", body="划针、划规、样冲的用法。"
        ),
        Lecture(
            position=2,
            kind=LectureKind.video,
            title="锉削姿势",
            video_url="https://media.example.org/demo/filing.mp4",
            duration_seconds=420,
        ),
    ]
    draft = _course(
        data,
        "machine",
        "mentor",
        "焊接缺陷返修（制作中）",
        "草稿：等待培训专员审核发布。",
        "焊工",
        SkillLevel.senior,
        2,
    )
    draft.status = CourseStatus.draft
    draft.published_at = None
    draft.lectures = [
        Lecture(position=1, kind=LectureKind.text, title="常见缺陷", body="气孔、夹渣、裂纹。")
    ]
    db.session.flush()

    def seat(person: str, course: Course, **extra) -> Enrollment:
        enrollment = Enrollment(
            user_id=data.people[person].id,
            course_id=course.id,
            status=EnrollmentStatus.enrolled,
            seated_at=now,
            **extra,
        )
        course.seats_taken += 1
        db.session.add(enrollment)
        db.session.flush()
        return enrollment

    worker = seat("worker", weld, last_lecture_id=weld.lectures[1].id, last_active_at=now)
    db.session.add_all(
        [
            LectureProgress(
                enrollment_id=worker.id,
                lecture_id=weld.lectures[0].id,
                completed=True,
                completed_at=now,
            ),
            LectureProgress(
                enrollment_id=worker.id, lecture_id=weld.lectures[1].id, position_seconds=185
            ),
        ]
    )
    seat("worker2", weld, assigned_by_id=data.people["officer"].id, due_at=now + timedelta(days=14))
    seat("worker4", power)
    seat("worker5", power)
    seat("worker3", fitter)
    seat("worker6", fitter)
    db.session.add(
        Enrollment(
            user_id=data.people["worker"].id,
            course_id=fitter.id,
            status=EnrollmentStatus.waitlisted,
        )
    )
    fitter.waitlisted = 1
    db.session.flush()
    for enrollment in db.session.scalars(db.select(Enrollment)):
        services.refresh_enrollment(enrollment)


def register() -> None:
    register_loader(30, load)
