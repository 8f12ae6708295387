"""A small world for training tests: an enterprise, its officer, a mentor and workers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from lms.accounts.models import Role
from lms.db import utcnow
from tests.factories import (
    ClassSessionFactory,
    EnterpriseFactory,
    RosterEntryFactory,
    TrainingClassFactory,
    UserFactory,
    WorkshopFactory,
)


@dataclass
class World:
    enterprise: object
    workshop: object
    officer: object
    mentor: object
    training_class: object
    workers: list = field(default_factory=list)

    def session(self, start_in=timedelta(hours=1), hours=2, **kwargs):
        start = utcnow().replace(microsecond=0) + start_in
        return ClassSessionFactory(
            training_class=self.training_class,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            **kwargs,
        )

    def seat(self, *users):
        for user in users:
            RosterEntryFactory(training_class=self.training_class, user=user)


@pytest.fixture
def world(app):
    enterprise = EnterpriseFactory(name="江城重型机械厂")
    workshop = WorkshopFactory(parent=enterprise, name="焊接车间")
    officer = UserFactory(organization=enterprise, roles=[Role.officer], name="林晓燕")
    mentor = UserFactory(organization=workshop, roles=[Role.mentor, Role.worker], name="高铁军")
    workers = [UserFactory(organization=workshop, name=f"学员{i}") for i in range(4)]
    training_class = TrainingClassFactory(organization=enterprise, officer_id=officer.id)
    training_class.instructors = [mentor]
    return World(enterprise, workshop, officer, mentor, training_class, workers)
