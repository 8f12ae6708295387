"""Counted figures kept in the cache, and the beat task that counts them ahead."""

from __future__ import annotations

import pytest

from lms.overview import tasks
from lms.overview.services import overview
from tests.factories import ClassSessionFactory
from tests.overview.conftest import at


@pytest.fixture
def app_overrides() -> dict:
    return {"OVERVIEW_CACHE_SECONDS": 600}


def test_the_second_page_reads_the_cache_and_the_task_recounts(year, app, query_counter):
    officer = year["union_officer"]
    with app.test_request_context():
        with query_counter() as first:
            view = overview.build(officer, None, 2025)
        with query_counter() as second:
            again = overview.build(officer, None, 2025)
        assert again.value("training.sessions") == view.value("training.sessions") == 4
        assert len(second) <= 3 < len(first)  # the organization and its children only
        ClassSessionFactory(training_class=_a_class(), starts_at=at(2025, 6, 1))
        assert overview.build(officer, None, 2025).value("training.sessions") == 4  # cached
        overview.refresh(year["union"], 2025)
        assert overview.build(officer, None, 2025).value("training.sessions") == 5


def test_the_beat_task_counts_the_federation_and_the_enterprises(year, app):
    assert tasks.refresh_figures() == 4  # two federations (the other city's too), two plants


def _a_class():
    import sqlalchemy as sa

    from lms.extensions import db
    from lms.training.models import TrainingClass

    return db.session.scalar(sa.select(TrainingClass).where(TrainingClass.title == "焊工提高班"))
