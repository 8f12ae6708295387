"""An enterprise with an officer, two workers, a bank of questions over two topics and a
clock the tests move by hand."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from lms.accounts.models import Role
from lms.assessment import services
from lms.assessment.services import sittings
from lms.db import utcnow
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory


class Clock:
    """Frozen time for the sittings' services: ``clock.move(minutes=5)``."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    plant: object
    officer: object
    workers: list
    outsider: object
    bank: object


def questions(topic: str, difficulty: int, n: int, start: int = 0) -> list[dict]:
    """n questions of each kind in turn: single, multiple, true/false, fill."""
    made = []
    for i in range(start, start + n):
        kind = ("single", "multiple", "true_false", "fill")[i % 4]
        item = {"kind": kind, "text": f"{topic}{difficulty}-{i}", "topic": topic}
        item["difficulty"] = difficulty
        if kind == "single":
            item |= {"options": ["甲", "乙", "丙", "丁"], "answer": [0]}
        elif kind == "multiple":
            item |= {"options": ["甲", "乙", "丙", "丁"], "answer": [0, 2], "points": 2}
        elif kind == "true_false":
            item |= {"answer": [1]}
        else:
            item |= {"answer": ["钛钙", "钛钙型"]}
        made.append(item)
    return made


def build(per_pool: int = 8) -> World:
    plant = EnterpriseFactory()
    shop = WorkshopFactory(parent=plant)
    officer = UserFactory(organization=plant, roles=[Role.officer])
    workers = [UserFactory(organization=shop) for _ in range(2)]
    outsider = UserFactory()  # another enterprise
    bank = services.create_bank(officer, plant, "焊工理论题库", "焊工")
    for topic in ("安全", "工艺"):
        for difficulty in (1, 2):
            for q in questions(topic, difficulty, per_pool):
                services.add_question(officer, bank, q)
    return World(plant, officer, workers, outsider, bank)


def exam(world: World, **kwargs):
    fields = {
        "title": "焊工理论考试",
        "blueprint": [
            {"topic": "安全", "difficulty": 1, "count": 3},
            {"topic": "工艺", "difficulty": 2, "count": 2},
        ],
        "duration_minutes": 30,
        "opens_at": utcnow() - timedelta(minutes=1),
    }
    return services.create_exam(world.officer, world.bank, **(fields | kwargs))


def freeze(monkeypatch, at: datetime | None = None) -> Clock:
    clock = Clock(at or utcnow())
    monkeypatch.setattr(sittings, "utcnow", clock)
    return clock
