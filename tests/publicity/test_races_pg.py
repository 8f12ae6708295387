"""On PostgreSQL and Redis: consent taken back while a reviewer publishes never leaves a
public story without consent; views counted at once from many threads add up exactly;
a repeated public view runs no query against the real database and cache."""

from __future__ import annotations

import threading

import pytest

from lms.accounts.models import Role, User
from lms.errors import Conflict
from lms.extensions import db
from lms.publicity import services
from lms.publicity.models import Story, StoryReach, StoryStatus
from tests.factories import EnterpriseFactory, OrganizationFactory, UserFactory, WorkshopFactory

pytestmark = pytest.mark.services


def _world():
    union = OrganizationFactory()
    plant = EnterpriseFactory(parent=union)
    shop = WorkshopFactory(parent=plant)
    hero = UserFactory(organization=shop)
    editor = UserFactory(organization=plant, roles=[Role.officer])
    reviewer = UserFactory(organization=union, roles=[Role.officer])
    db.session.commit()
    column = services.save_column(reviewer, name="劳模风采")
    story = services.create_story(editor, column=column, person=hero, title="t", body="b")
    return hero, editor, reviewer, story


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results: list[str] = []

    def run(call):
        app, fn = call
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                fn()
                results.append("ok")
            except Conflict:
                results.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_consent_taken_back_while_publishing_never_leaves_a_story_public_without_it(
    pg_app, attempt
):
    hero, editor, reviewer, story = _world()
    services.submit(editor, story)
    services.give_consent(hero, story, show_growth=True)
    ids = (hero.id, reviewer.id, story.id)
    db.session.remove()

    def revoke():
        person = db.session.get(User, ids[0])
        services.revoke_consent(person, db.session.get(Story, ids[2]))

    def publish():
        actor = db.session.get(User, ids[1])
        services.publish(actor, db.session.get(Story, ids[2]))

    results = _run_together((pg_app, revoke), (pg_app, publish))
    final = db.session.get(Story, ids[2])
    assert final.consent_at is None
    assert final.status in (StoryStatus.withdrawn, StoryStatus.draft)
    # publish first: it went out and was withdrawn; revoke first: publishing was refused
    expected = ["ok", "ok"] if final.status == StoryStatus.withdrawn else ["conflict", "ok"]
    assert sorted(results) == expected


def test_views_from_many_threads_add_up_exactly_and_a_repeat_runs_no_query(
    worker_app, query_counter
):
    hero, editor, reviewer, story = _world()
    services.submit(editor, story)
    services.give_consent(hero, story, show_growth=False)
    services.publish(reviewer, story)
    story_id = story.id
    db.session.remove()
    client = worker_app.test_client()
    assert client.get(f"/stories/{story_id}").status_code == 200
    with query_counter() as statements:
        assert client.get(f"/stories/{story_id}").status_code == 200
    assert statements == []

    def view_many():
        for _ in range(25):
            services.count_view(story_id)

    threads = [threading.Thread(target=lambda: _in(worker_app, view_many)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    services.flush_reach()
    services.flush_reach()
    assert db.session.get(StoryReach, (story_id, services.local_today())).views == 2 + 100


def _in(app, fn):
    with app.app_context():
        fn()
