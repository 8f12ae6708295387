"""Races on PostgreSQL, each side on its own connection: two reviewers deciding at once get
one decision and one "already decided"; two spendings that together overdraw the studio's
balance get one entry and one refusal."""

from __future__ import annotations

import threading
from decimal import Decimal

from lms.accounts.models import HonorKind, Role, User
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models import Innovation, LedgerEntry, Stage, Studio
from tests import factories


def _race(app, calls):
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        with app.app_context():
            prepared = call[0]()
            barrier.wait()
            try:
                call[1](*prepared)
                db.session.commit()
                results.append("ok")
            except (Conflict, Invalid) as exc:
                db.session.rollback()
                results.append(exc.message + str(exc.errors))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _people(pg_app):
    enterprise = factories.EnterpriseFactory()
    workshop = factories.WorkshopFactory(parent=enterprise)
    officers = [factories.UserFactory(organization=enterprise, roles=[Role.officer]) for _ in "ab"]
    worker = factories.UserFactory(organization=workshop)
    return enterprise, officers, worker


def test_two_reviewers_deciding_at_once_one_wins(pg_app):
    enterprise, officers, worker = _people(pg_app)
    item = services.submit(worker, kind="suggestion", title="t", problem="p", method="m")
    db.session.commit()
    ids = (item.id, [o.id for o in officers])

    def prepare(officer_id):
        return lambda: (db.session.get(User, officer_id), db.session.get(Innovation, ids[0]))

    results = _race(
        pg_app,
        [
            (prepare(ids[1][0]), lambda u, i: services.decide(u, i, "adopted", None)),
            (prepare(ids[1][1]), lambda u, i: services.decide(u, i, "not_adopted", "理由")),
        ],
    )
    assert sorted(results, key=len)[0] == "ok"
    assert results.count("ok") == 1
    loser = next(r for r in results if r != "ok")
    assert "另一位评审人" in loser or "已有评审结论" in loser
    db.session.expire_all()
    assert db.session.get(Innovation, ids[0]).stage in (Stage.adopted, Stage.not_adopted)


def test_two_spendings_cannot_overdraw_the_balance(pg_app):
    enterprise, officers, worker = _people(pg_app)
    factories.HonorFactory(user=worker, kind=HonorKind.craftsman)
    studio = services.register_studio(
        officers[0], name="甲工作室", lead=worker, organization=enterprise, level="city", year=2026
    )
    services.decide_studio(officers[0], studio, True, None)
    services.add_entry(officers[0], studio, "grant", "5000", "市级工作室拨款")
    db.session.commit()
    studio_id = studio.id

    def prepare(officer_id):
        return lambda: (db.session.get(User, officer_id), db.session.get(Studio, studio_id))

    def spend(u, s):
        services.add_entry(u, s, "spending", "3000", "购买工装")

    results = _race(pg_app, [(prepare(o.id), spend) for o in officers])
    assert results.count("ok") == 1
    assert any("余额不足" in r for r in results)
    db.session.expire_all()
    assert db.session.get(Studio, studio_id).balance == Decimal("2000.00")
    assert db.session.query(LedgerEntry).filter_by(kind="spending").count() == 1


def test_similar_items_and_merge_on_postgresql(pg_app):
    enterprise, officers, worker = _people(pg_app)
    mate = factories.UserFactory(organization=worker.organization)
    original = services.submit(
        worker, kind="suggestion", title="焊接夹具改进", problem="焊接工件变形返工多", method="m"
    )
    later = services.submit(
        mate, kind="suggestion", title="改进焊接夹具", problem="焊接工件变形返工", method="m"
    )
    found = services.similar(mate, "改进焊接夹具", "焊接工件变形返工", exclude_id=later.id)
    assert [s.item.id for s in found] == [original.id]
    services.support(officers[1], original)
    services.support(officers[1], later)
    services.merge(officers[0], later, original)
    db.session.expire_all()
    assert db.session.get(Innovation, original.id).supporters_count == 2  # officer + mate
    assert db.session.get(Innovation, later.id).stage == Stage.merged


MARKS = {"technical": 24, "economic": 21, "scope": 15, "practicality": 18}


def _evaluation(pg_app, declared: int):
    from lms.innovation.models_awards import Evaluation

    enterprise, officers, worker = _people(pg_app)
    experts = [factories.UserFactory(organization=enterprise) for _ in range(2)]
    item = services.submit(worker, kind="suggestion", title="t", problem="p", method="m")
    evaluation = services.open_evaluation(officers[0], item, [e.id for e in experts], experts[0].id)
    for expert in experts[:declared]:
        services.declare(expert, evaluation, False, None)
    db.session.commit()
    ids = evaluation.id

    def prepare(user_id):
        return lambda: (db.session.get(User, user_id), db.session.get(Evaluation, ids))

    return experts, ids, prepare


def test_two_evaluators_marking_at_once_both_count(pg_app):
    from lms.innovation.models_awards import Evaluation

    experts, evaluation_id, prepare = _evaluation(pg_app, declared=2)
    results = _race(
        pg_app, [(prepare(e.id), lambda u, ev: services.score(u, ev, MARKS)) for e in experts]
    )
    assert results == ["ok", "ok"]
    db.session.expire_all()
    evaluation = db.session.get(Evaluation, evaluation_id)
    services.close_evaluation(db.session.get(User, experts[0].id), evaluation)
    assert evaluation.total == Decimal("78.00")


def test_one_evaluator_marking_twice_at_once_counts_once(pg_app):
    experts, evaluation_id, prepare = _evaluation(pg_app, declared=2)
    results = _race(
        pg_app,
        [(prepare(experts[1].id), lambda u, ev: services.score(u, ev, MARKS)) for _ in "ab"],
    )
    assert results.count("ok") == 1
    assert any("已提交" in r for r in results)


def test_the_lead_closing_twice_at_once_closes_once(pg_app):
    from lms.audit.models import AuditEntry

    experts, evaluation_id, prepare = _evaluation(pg_app, declared=2)
    for expert in experts:
        services.score(
            db.session.get(User, expert.id),
            services.get_evaluation(db.session.get(User, expert.id), evaluation_id),
            MARKS,
        )
    db.session.commit()
    results = _race(
        pg_app,
        [(prepare(experts[0].id), lambda u, ev: services.close_evaluation(u, ev)) for _ in "ab"],
    )
    assert results.count("ok") == 1
    assert any("已经结束" in r or "已结束" in r for r in results)
    assert db.session.query(AuditEntry).filter_by(action="innovation.evaluation_close").count() == 1


def _call(pg_app):
    from datetime import UTC, datetime, timedelta

    from lms.innovation.services import contest as contests

    enterprise, officers, worker = _people(pg_app)
    judges = [factories.UserFactory(organization=enterprise) for _ in range(3)]
    contest = contests.create_contest(
        officers[0],
        organization=enterprise,
        name="五小竞赛",
        year=2030,
        entry_deadline=datetime.now(UTC) + timedelta(days=5),
        judge_ids=[j.id for j in judges],
        chief_id=judges[0].id,
    )
    return contests, contest, officers, worker, judges


def test_two_entries_at_once_get_distinct_defence_numbers(pg_app):
    from lms.innovation.models_awards import ContestEntry, SmallsContest

    contests, contest, officers, worker, judges = _call(pg_app)
    items = [
        services.submit(worker, kind="small_invention", title=f"小发明{n}", problem="p", method="m")
        for n in "ab"
    ]
    db.session.commit()
    ids = contest.id

    def prepare(item_id):
        return lambda: (db.session.get(SmallsContest, ids), db.session.get(Innovation, item_id))

    def enter(c, i):
        contests.enter(db.session.get(User, officers[0].id), c, i)

    assert _race(pg_app, [(prepare(i.id), enter) for i in items]) == ["ok", "ok"]
    db.session.expire_all()
    codes = sorted(e.code for e in db.session.query(ContestEntry).filter_by(contest_id=ids))
    assert codes == ["001", "002"]


def test_the_chief_locking_twice_at_once_awards_once(pg_app):
    from lms.audit.models import AuditEntry
    from lms.innovation.models_awards import SmallsContest

    contests, contest, officers, worker, judges = _call(pg_app)
    item = services.submit(worker, kind="small_design", title="小设计", problem="p", method="m")
    entry = contests.enter(officers[0], contest, item)
    contests.start_defence(officers[0], contest)
    for judge in judges:
        contests.score_entry(judge, contest, entry, MARKS)
    db.session.commit()
    ids = contest.id

    def prepare():
        return db.session.get(User, judges[0].id), db.session.get(SmallsContest, ids)

    results = _race(pg_app, [(prepare, contests.close_contest) for _ in "ab"])
    assert results.count("ok") == 1
    assert any("刚刚" in r for r in results)
    assert db.session.query(AuditEntry).filter_by(action="innovation.contest_close").count() == 1


def test_two_officers_recording_an_outcome_at_once_record_it_once(pg_app):
    from lms.innovation.models_awards import Recommendation
    from lms.innovation.services import recommend

    enterprise, officers, worker = _people(pg_app)
    item = services.submit(worker, kind="technical", title="t", problem="p", method="m")
    services.decide(officers[0], item, "adopted", None)
    rec = recommend.recommend(
        officers[0], kind="item", item=item, award="省十佳", awarding_body="省总工会", year=2026
    )
    db.session.commit()
    ids = rec.id

    def prepare(officer_id):
        return lambda: (db.session.get(User, officer_id), db.session.get(Recommendation, ids))

    results = _race(
        pg_app,
        [
            (
                prepare(officers[0].id),
                lambda u, r: recommend.record_outcome(u, r, True, "一等奖", "8000"),
            ),
            (
                prepare(officers[1].id),
                lambda u, r: recommend.record_outcome(u, r, False, None, None),
            ),
        ],
    )
    assert results.count("ok") == 1
    assert any("不能重复登记" in r for r in results)
