"""Innovation: who may call its routes, and the objects of the first enterprise its URLs name."""

from __future__ import annotations

from lms.extensions import db
from tests.matrix import (  # noqa: F401 - the table's vocabulary
    ADMIN,
    EVERYONE,
    IN_SCOPE,
    LEARNERS,
    MENTOR,
    NOBODY,
    OFFICERS,
    SIGNED_IN,
    WORKER,
    Ref,
    may,
)

DEFAULT_IDS = {
    "evaluation_id": "evaluation",
    "contest_id": "contest",
    "entry_id": "contest_entry",
    "recommendation_id": "recommendation",
}

ENTRIES = {
    # innovation (W0001's item under review, with an attachment; her adopted item, whose benefit
    # T0001 verified as the finance duty; the named welding studio of the first enterprise)
    "innovation.mine GET": may(SIGNED_IN),
    "innovation.submit GET": may(SIGNED_IN),
    "innovation.submit POST": may(SIGNED_IN),
    "innovation.detail GET": may(WORKER, IN_SCOPE, why="its author, its team, its officers"),
    "innovation.attachment GET": may(
        WORKER, IN_SCOPE, ids={"attachment_id": "innovation_attachment"}
    ),
    "innovation.support POST": may(LEARNERS, why="anyone of the same enterprise may say 'me too'"),
    "innovation.queue GET": may(OFFICERS),
    "innovation.decide POST": may(IN_SCOPE),
    "innovation.merge POST": may(IN_SCOPE),
    "innovation.benefit POST": may(IN_SCOPE, ids={"item_id": "adopted_item"}),
    "innovation.verify POST": may(
        "officer", ids={"item_id": "adopted_item"}, why="the finance duty, which T0001 holds"
    ),
    "innovation.reward POST": may(IN_SCOPE, ids={"item_id": "adopted_item"}),
    "innovation.link_studio POST": may(IN_SCOPE, ids={"item_id": "adopted_item"}),
    "innovation.rewards GET": may(SIGNED_IN, why="a worker her own lines, officers their scope's"),
    "innovation.rewards_export GET": may(OFFICERS),
    "innovation.duties GET": may(OFFICERS),
    "innovation.duties POST": may(ADMIN, why="the finance duty is given by admins only"),
    "innovation.stats GET": may(OFFICERS),
    "innovation.stats_export GET": may(OFFICERS),
    "innovation.studios GET": may(SIGNED_IN),
    "innovation.studio_new GET": may(OFFICERS),
    "innovation.studio_new POST": may(OFFICERS),
    "innovation.studio GET": may(SIGNED_IN, why="a named studio is public"),
    "innovation.studio_decide POST": may(IN_SCOPE),
    "innovation.studio_revoke POST": may(IN_SCOPE),
    "innovation.studio_ledger POST": may(IN_SCOPE),
    # expert evaluation: the demo's open one (the torque cards) waits for M0001, its lead
    "innovation.evaluations GET": may(SIGNED_IN, why="one's tasks; officers their scope's"),
    "innovation.open_evaluation POST": may(
        IN_SCOPE, form={"evaluators": "M0001 M0003", "lead_no": "M0001"}
    ),
    "innovation.evaluation GET": may(MENTOR, IN_SCOPE, why="its evaluators and officers"),
    "innovation.evaluation_declare POST": may(MENTOR, form={"conflict": "0"}),
    "innovation.evaluation_marks POST": may(MENTOR, form={"mark_technical": "20"}),
    "innovation.evaluation_close POST": may(MENTOR, why="the lead only"),
    "innovation.evaluation_add POST": may(IN_SCOPE, form={"employee_no": "W0002"}),
    "innovation.scorecard GET": may(OFFICERS),
    "innovation.scorecard POST": may(ADMIN, form={"lines": "technical 技术 100"}),
    "innovation-api.Scorecard GET": may(SIGNED_IN),
    "innovation-api.Scorecard PUT": may(
        ADMIN, json={"criteria": [{"code": "technical", "title": "技术", "max_mark": "100"}]}
    ),
    "innovation-api.ItemEvaluation POST": may(
        IN_SCOPE,
        json={"evaluator_ids": [Ref("mentor"), Ref("second_worker")], "lead_id": Ref("mentor")},
    ),
    "innovation-api.EvaluationItem GET": may(MENTOR, IN_SCOPE),
    "innovation-api.EvaluationDeclaration POST": may(MENTOR, json={"conflict": False}),
    "innovation-api.EvaluationMarks POST": may(MENTOR, json={"marks": {"technical": 20}}),
    "innovation-api.EvaluationClose POST": may(MENTOR),
    "innovation-api.EvaluationEvaluators POST": may(
        IN_SCOPE, json={"user_id": Ref("second_worker")}
    ),
    # the five-smalls contest: the demo's open call of the machine works (M0001 its chief judge,
    # one entry); W0001 enters her pipe-bevel gauge
    "innovation.contest_list GET": may(SIGNED_IN),
    "innovation.contest_new GET": may(OFFICERS),
    "innovation.contest_new POST": may(OFFICERS),
    "innovation.contest GET": may(SIGNED_IN, why="a call for entries is a public notice"),
    "innovation.contest_enter POST": may(WORKER, IN_SCOPE, form={"item_id": "gauge_item"}),
    "innovation.contest_defence POST": may(IN_SCOPE),
    "innovation.contest_marks POST": may(MENTOR, form={"mark_technical": "20"}, why="judges"),
    "innovation.contest_close POST": may(MENTOR, why="the chief judge"),
    "innovation-api.Contests GET": may(SIGNED_IN),
    "innovation-api.Contests POST": may(
        IN_SCOPE,
        json={
            "organization_id": Ref("enterprise"),
            "name": "五小竞赛",
            "year": 2030,
            "entry_deadline": "2030-06-30T16:00:00+00:00",
            "judge_ids": [Ref("mentor"), Ref("second_worker"), Ref("worker")],
            "chief_id": Ref("mentor"),
        },
    ),
    "innovation-api.ContestItem GET": may(SIGNED_IN),
    "innovation-api.ContestEntries POST": may(
        WORKER, IN_SCOPE, json={"item_id": Ref("gauge_item")}
    ),
    "innovation-api.ContestDefence POST": may(IN_SCOPE),
    "innovation-api.ContestMarks POST": may(MENTOR, json={"marks": {"technical": 20}}),
    "innovation-api.ContestClose POST": may(MENTOR),
    # recommended upward: M0001's operation method waits for the city's result
    "innovation.recommendations GET": may(SIGNED_IN, why="one's own; officers their scope's"),
    "innovation.recommend GET": may(OFFICERS),
    "innovation.recommend POST": may(OFFICERS),
    "innovation.recommendation_outcome POST": may(
        IN_SCOPE, form={"won": "1", "outcome_level": "二等奖", "prize_money": "2000"}
    ),
    "innovation-api.Recommendations GET": may(SIGNED_IN),
    "innovation-api.Recommendations POST": may(
        IN_SCOPE,
        json={
            "kind": "item",
            "item_id": Ref("adopted_item"),
            "award": "省五小成果",
            "awarding_body": "省总工会",
            "year": 2026,
        },
    ),
    "innovation-api.RecommendationOutcome POST": may(IN_SCOPE, json={"won": False}),
    # studio lifecycle: the named welding studio of the first enterprise
    "innovation.studio_appraise POST": may(IN_SCOPE, form={"year": "2025"}),
    "innovation.studio_reconfirm POST": may(IN_SCOPE),
    "innovation-api.StudioAppraisals POST": may(IN_SCOPE, json={"year": 2025}),
    "innovation-api.StudioReconfirmation POST": may(IN_SCOPE),
    "innovation-api.Items GET": may(SIGNED_IN),
    "innovation-api.Items POST": may(
        SIGNED_IN,
        json={"kind": "suggestion", "title": "焊机电缆挂钩", "problem": "电缆拖地易磨损。"},
    ),
    "innovation-api.Item GET": may(WORKER, IN_SCOPE),
    "innovation-api.Similar GET": may(SIGNED_IN, query={"title": "夹具", "problem": "变形"}),
    "innovation-api.Support POST": may(LEARNERS),
    "innovation-api.Queue GET": may(OFFICERS),
    "innovation-api.Decision POST": may(IN_SCOPE, json={"outcome": "adopted", "reason": "可行"}),
    "innovation-api.Merge POST": may(IN_SCOPE, json={"original_id": Ref("adopted_item")}),
    "innovation-api.Benefit PUT": may(
        IN_SCOPE, ids={"item_id": "adopted_item"}, json={"target_benefit": "100000"}
    ),
    "innovation-api.Verification POST": may("officer", ids={"item_id": "adopted_item"}),
    "innovation-api.Reward POST": may(IN_SCOPE, ids={"item_id": "adopted_item"}),
    "innovation-api.Rewards GET": may(SIGNED_IN),
    "innovation-api.Grades GET": may(SIGNED_IN),
    "innovation-api.Grades PUT": may(
        ADMIN,
        json={"grades": [{"grade": 1, "name": "一等", "min_benefit": "100000", "amount": "5000"}]},
    ),
    "innovation-api.Stats GET": may(
        IN_SCOPE,
        query={"organization_id": "enterprise", "start": "2026-01-01", "end": "2026-12-31"},
    ),
    "innovation-api.Studios GET": may(SIGNED_IN),
    "innovation-api.Studios POST": may(
        IN_SCOPE,
        json={
            "name": "钳工创新工作室",
            "lead_id": Ref("mentor"),
            "organization_id": Ref("enterprise"),
            "level": "enterprise",
            "year": 2026,
        },
    ),
    "innovation-api.StudioItem GET": may(SIGNED_IN),
    "innovation-api.StudioDecision POST": may(IN_SCOPE, json={"approve": True}),
    "innovation-api.StudioRevocation POST": may(IN_SCOPE, json={"reason": "两年未开展活动"}),
    "innovation-api.StudioLedger GET": may(IN_SCOPE),
    "innovation-api.StudioLedger POST": may(
        IN_SCOPE, json={"kind": "grant", "amount": "1000", "description": "年度补助"}
    ),
    "innovation-api.StudioMembers POST": may(IN_SCOPE, json={"user_id": Ref("second_worker")}),
}


def seed(person: dict, machine) -> dict[str, object]:
    """The demo's innovations of the first enterprise: W0001's item under review (with an
    attachment), her adopted fixture (benefit verified, reward computed; T0001 holds the
    finance duty) and the named welding studio."""
    import sqlalchemy as sa

    from lms.core import storage
    from lms.innovation.models import Innovation, InnovationAttachment, Stage, Studio
    from lms.innovation.models_awards import (
        ContestStatus,
        Evaluation,
        EvaluationStatus,
        Outcome,
        Recommendation,
        SmallsContest,
    )

    worker = person["W0001"]
    first = lambda stmt: db.session.scalars(stmt.limit(1)).one()  # noqa: E731
    mine = sa.select(Innovation).where(Innovation.author_id == worker.id)
    item = first(mine.where(Innovation.stage == Stage.review).order_by(Innovation.id))
    fixture = first(mine.where(Innovation.stage == Stage.adopted).order_by(Innovation.id))
    attachment = InnovationAttachment(
        innovation_id=item.id,
        storage_key=storage.save(b"\x89PNG\r\n\x1a\n"),
        filename="草图.png",
        content_type="image/png",
        size=8,
    )
    db.session.add(attachment)
    db.session.commit()
    return {
        "innovation_item": item.id,
        "adopted_item": fixture.id,
        "innovation_attachment": attachment.id,
        "studio": first(sa.select(Studio).where(Studio.organization_id == machine.id)).id,
        "gauge_item": first(mine.where(Innovation.title.like("管道坡口%"))).id,
        "contest": (
            contest := first(
                sa.select(SmallsContest).where(SmallsContest.status == ContestStatus.call)
            )
        ).id,
        "contest_entry": contest.entries[0].id,
        "recommendation": first(
            sa.select(Recommendation).where(Recommendation.outcome == Outcome.pending)
        ).id,
        "evaluation": first(
            sa.select(Evaluation).where(Evaluation.status == EvaluationStatus.open)
        ).id,
    }
