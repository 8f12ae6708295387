"""Helpers for innovation tests: an enterprise with a workshop, its officer, workers, a
finance officer, a moved clock, and a quick way to submit an item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lms.accounts.models import Role
from lms.innovation import services
from lms.innovation.services import common
from tests import factories


class Clock:
    def __init__(self, monkeypatch):
        self.at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
        monkeypatch.setattr(common, "_clock", lambda: self.at)

    def move(self, **delta):
        self.at += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def world(app):
    enterprise = factories.EnterpriseFactory(name="东方机械")
    workshop = factories.WorkshopFactory(parent=enterprise, name="焊接车间")
    other = factories.EnterpriseFactory(name="南方电力")
    return {
        "enterprise": enterprise,
        "workshop": workshop,
        "other": other,
        "officer": factories.UserFactory(organization=enterprise, roles=[Role.officer]),
        "officer2": factories.UserFactory(organization=enterprise, roles=[Role.officer]),
        "outsider": factories.UserFactory(organization=other, roles=[Role.officer]),
        "worker": factories.UserFactory(organization=workshop),
        "mate": factories.UserFactory(organization=workshop),
        "stranger": factories.UserFactory(organization=workshop),
    }


def submit(author, **kw):
    values = {
        "kind": "suggestion",
        "title": "焊接夹具改进",
        "problem": "焊接时工件容易变形，返工率高",
        "method": "增加定位夹具，分段对称施焊",
        "expected_benefit": "每年节约返工费用约五万元",
    }
    values.update(kw)
    return services.submit(author, **values)
