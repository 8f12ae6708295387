"""Demo mentoring: 高铁军 (handle "mentor") with two apprentices, goals and logs; a pair of
another mentor that has graduated, paired and graduated through the services so that its
certificate is issued. All people are the invented ones of the accounts demo."""

from __future__ import annotations

from datetime import timedelta

from lms.core.demo import DemoData, register_loader
from lms.db import utcnow
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import (
    Goal,
    GoalStatus,
    LogKind,
    LogStatus,
    MentorLog,
    MentorProfile,
    Mentorship,
    MentorshipEvent,
    MentorshipStatus,
    Programme,
)

S = MentorshipStatus


def _pair(data, mentor, apprentice, start, programme=None, status=S.active, **extra):
    signed = utcnow() - timedelta(days=(data.extra["today"] - start).days)
    m = Mentorship(
        mentor=data.people[mentor],
        apprentice=data.people[apprentice],
        programme=programme,
        programme_key=programme.id if programme else 0,
        organization_id=data.people[apprentice].organization.id,
        status=status,
        start_date=start,
        planned_end=start + timedelta(days=365),
        agreement=(
            f"师傅{data.people[mentor].name}与徒弟{data.people[apprentice].name}自愿结为师徒。"
            "师傅毫无保留地传授技艺，徒弟虚心学习、勤学苦练，按期完成学习目标。"
        ),
        mentor_signed_at=signed,
        apprentice_signed_at=signed,
        created_by_id=data.people["officer"].id,
        **extra,
    )
    db.session.add(m)
    db.session.flush()
    db.session.add(
        MentorshipEvent(
            mentorship=m,
            actor_id=data.people["officer"].id,
            to_status=S.proposed,
            note="培训专员结对",
            created_at=signed - timedelta(days=2),
        )
    )
    db.session.add(
        MentorshipEvent(
            mentorship=m,
            actor_id=data.people[apprentice].id,
            from_status=S.proposed,
            to_status=S.active,
            note="双方已签署带徒协议",
            created_at=signed,
        )
    )
    return m


def _log(m, day, minutes, kind, topic, skills=None, status=LogStatus.confirmed):
    log = MentorLog(
        mentorship_id=m.id,
        mentor_id=m.mentor_id,
        session_date=day,
        minutes=minutes,
        kind=kind,
        topic=topic,
        skills=skills,
        status=status,
        confirmed_at=utcnow() if status == LogStatus.confirmed else None,
    )
    db.session.add(log)
    if status == LogStatus.confirmed:
        m.confirmed_minutes += minutes
    return log


def load(data: DemoData) -> None:
    today = services.local_today()
    data.extra["today"] = today
    programme = Programme(
        name="2026 年焊接技能传帮带",
        organization=data.orgs["machine"],
        description="重型机械厂焊接车间师带徒项目，一年期。",
    )
    db.session.add(programme)
    db.session.add(MentorProfile(user_id=data.people["mentor"].id, capacity=3))
    db.session.flush()

    m1 = _pair(data, "mentor", "worker", today - timedelta(days=90), programme)
    for skill, status, days in (
        ("平焊单面焊双面成型", GoalStatus.achieved, -30),
        ("立焊打底与盖面", GoalStatus.in_progress, 60),
        ("压力容器焊接工艺评定", GoalStatus.open, 200),
    ):
        db.session.add(
            Goal(
                mentorship=m1,
                skill=skill,
                status=status,
                target_date=today + timedelta(days=days),
                achieved_at=utcnow() if status == GoalStatus.achieved else None,
            )
        )
    _log(m1, today - timedelta(days=20), 120, LogKind.demonstration, "平焊运条示范", "平焊")
    _log(m1, today - timedelta(days=12), 90, LogKind.practice, "平焊试板练习", "平焊, 打底")
    _log(m1, today - timedelta(days=5), 60, LogKind.on_the_job, "立焊岗位带教", "立焊")
    _log(
        m1,
        today - timedelta(days=1),
        60,
        LogKind.practice,
        "立焊盖面练习",
        "立焊",
        status=LogStatus.submitted,
    )

    m2 = _pair(data, "mentor", "worker6", today - timedelta(days=40), programme)
    db.session.add(
        Goal(
            mentorship=m2,
            skill="焊接安全规程",
            status=GoalStatus.in_progress,
            target_date=today + timedelta(days=30),
        )
    )
    _log(m2, today - timedelta(days=30), 45, LogKind.on_the_job, "焊接安全与劳保用品")

    # The graduated pair goes through the services, so its side effects exist as they would:
    # the audit trail, the officer's approval and the apprentice's 出师证书.
    officer, mentor2, worker5 = (data.people[k] for k in ("officer_power", "mentor2", "worker5"))
    start = today - timedelta(days=400)
    done = services.create_pairing(
        officer,
        mentor=mentor2,
        apprentice=worker5,
        start_date=start,
        planned_end=start + timedelta(days=365),
    )
    services.sign(mentor2, done)
    services.sign(worker5, done)
    _log(done, start + timedelta(days=10), 240, LogKind.demonstration, "带电作业示范")
    _log(done, start + timedelta(days=100), 480, LogKind.practice, "绝缘斗臂车操作练习")
    services.record_assessment(mentor2, done, "已能独立完成 10kV 带电作业，考核合格。")
    services.approve_graduation(officer, done)


def register() -> None:
    register_loader(40, load)
