"""Shared helpers for course tests."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest

from courses.services import progress
from lms.accounts.models import Role
from lms.db import utcnow
from lms.extensions import db
from tests.factories import (
    CourseFactory,
    EnterpriseFactory,
    HonorFactory,
    LectureFactory,
    QuizFactory,
    UserFactory,
    WorkshopFactory,
)


@contextmanager
def captured(signal):
    """Collect the keyword arguments of every send of ``signal`` inside the block."""
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    with signal.connected_to(receiver):
        yield calls


@pytest.fixture
def world(app):
    """An enterprise with a workshop, a mentor with honours, a worker, an officer, a course."""
    enterprise = EnterpriseFactory(name="江城重型机械厂")
    workshop = WorkshopFactory(parent=enterprise, name="焊接车间")
    mentor = UserFactory(name="高铁军", organization=workshop, roles=[Role.mentor, Role.worker])
    HonorFactory(user=mentor, title="全国劳动模范")
    worker = UserFactory(name="王小虎", organization=workshop)
    officer = UserFactory(name="林晓燕", organization=enterprise, roles=[Role.officer])
    course = CourseFactory(
        title="压力容器焊接实战",
        summary="三十年焊接经验精讲",
        organization=enterprise,
        lecturers=[mentor],
        created_by_id=mentor.id,
    )
    text = LectureFactory(course=course, title="焊接安全须知", position=1, body="## 焊前检查")
    quiz = QuizFactory(course=course, title="安全小测验", position=2, max_attempts=2)

    class World:
        pass

    w = World()
    w.enterprise, w.workshop, w.mentor, w.worker, w.officer = (
        enterprise,
        workshop,
        mentor,
        worker,
        officer,
    )
    w.course, w.text, w.quiz = course, text, quiz
    db.session.commit()
    return w


class Clock:
    """The time the progress rule reads; tests move it as a learner's wall clock would."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress, "utcnow", clock)
    return clock
