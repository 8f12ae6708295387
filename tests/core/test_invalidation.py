"""Cached copies are retired after commit, and a lost generation never revives old copies."""

from lms.core import invalidation
from lms.extensions import cache, db


def test_a_renewal_waits_for_the_commit_and_is_dropped_by_a_rollback(app):
    before = invalidation.generation("test-family")
    invalidation.renew_after_commit(db.session, "test-family")
    db.session.rollback()
    assert invalidation.generation("test-family") == before
    invalidation.renew_after_commit(db.session, "test-family")
    db.session.commit()
    assert invalidation.generation("test-family") != before


def test_an_evicted_generation_starts_afresh_instead_of_reusing_an_old_value(app):
    seen = {invalidation.generation("test-family")}
    for _ in range(3):
        invalidation.renew("test-family")
        seen.add(invalidation.generation("test-family"))
        cache.delete("generation:test-family")  # evicted, as a bounded file cache may do
        seen.add(invalidation.generation("test-family"))
    assert len(seen) == 7
