"""Demo notifications and reminders for the demo worker (王小虎)."""

from __future__ import annotations

from datetime import timedelta

from lms.core.demo import DemoData, register_loader
from lms.db import utcnow
from lms.notifications import services
from lms.notifications.models import Category
from lms.notifications.services import ReminderSpec, session_specs


def load(data: DemoData) -> None:
    worker = data.people.get("worker")
    if worker is None:
        return
    now = utcnow()
    services.notify(
        [worker.id],
        Category.system,
        "欢迎来到工匠学堂",
        "课次提醒、课程到期、证书发放都会通知您。可在“通知设置”中选择接收方式。",
        "/notifications/preferences",
    )
    services.notify(
        [worker.id],
        Category.course,
        "新课程已指派：焊接安全规范",
        "培训专员为您指派了课程，请在两周内完成。",
        "/",
    )
    starts = (now + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    services.schedule_reminders(
        [worker.id, data.people["worker2"].id],
        "class_session",
        900001,
        session_specs(starts, now),
        category=Category.class_session,
        title="焊接技能提升班 · 第 3 课次",
        detail="焊接车间二楼培训室",
        event_at=starts,
        link="/",
    )
    lecture = (now + timedelta(days=1)).replace(minute=30, second=0, microsecond=0)
    services.schedule_reminders(
        [worker.id],
        "lecture",
        900001,
        [ReminderSpec("lecture_start", lecture - timedelta(minutes=30), lecture)],
        category=Category.lecture,
        title="劳模讲堂：压力容器焊接的三十年",
        event_at=lecture,
        link="/",
    )


def register() -> None:
    register_loader(60, load)
