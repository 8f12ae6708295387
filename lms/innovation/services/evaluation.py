"""Expert evaluation of one item with the scorecard, on the shared panel engine
(``lms.scoring``): an officer names several evaluators and their lead; each declares a
conflict of interest (recused, with the reason) or none before seeing the scoring form; those
without a conflict mark every criterion once; the lead closes it, which locks the panel and
stores the total. Nobody evaluates their own or their team's item."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import Innovation, Stage
from lms.innovation.models_awards import Declaration, Evaluation, EvaluationStatus, Evaluator
from lms.innovation.services.common import (
    get_person,
    now,
    require_officer_in_scope_not_author,
    transaction,
)
from lms.innovation.services.scorecard import build_panel, check_marks
from lms.scoring import services as scoring
from lms.scoring.models import ScoringPanel, ScoringSubject, ScoringSubmission

SUBJECT = "item"  # the one subject of an evaluation's panel
EVALUABLE = (Stage.review, Stage.adopted, Stage.trial)


def min_evaluators() -> int:
    return int(current_app.config.get("INNOVATION_MIN_EVALUATORS", 2))


def people_from_numbers(text: str | None, field: str) -> list[int]:
    """Employee numbers as typed (spaces, commas or lines between them) → user ids."""
    ids = []
    for number in (text or "").replace("，", " ").replace(",", " ").split():
        user_id = db.session.scalar(
            sa.select(User.id).where(User.employee_no == number, User.active.is_(True))
        )
        if user_id is None:
            raise Invalid(errors={field: [_("工号 %(no)s 找不到。", no=number[:20])]})
        ids.append(user_id)
    return ids


def _team_ids(item: Innovation) -> set[int]:
    return {item.author_id, *(m.user_id for m in item.members)}


def evaluation_of(item: Innovation) -> Evaluation | None:
    return db.session.scalar(
        sa.select(Evaluation)
        .options(selectinload(Evaluation.evaluators).joinedload(Evaluator.user))
        .where(Evaluation.innovation_id == item.id)
    )


def panel_of(evaluation: Evaluation) -> ScoringPanel:
    return db.session.get(ScoringPanel, evaluation.panel_id)


def _evaluator(evaluation: Evaluation, user: User) -> Evaluator | None:
    return next((e for e in evaluation.evaluators if e.user_id == user.id), None)


def can_manage(actor: User, evaluation: Evaluation) -> bool:
    return scope.org_in_scope(actor, evaluation.innovation.organization)


def get_evaluation(actor: User, evaluation_id: int) -> Evaluation:
    """Its evaluators and the item's officers see an evaluation; nobody else (404)."""
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None or not (
        _evaluator(evaluation, actor) is not None or can_manage(actor, evaluation)
    ):
        raise NotFound()
    return evaluation


def tasks_query(actor: User) -> sa.Select:
    """The actor's evaluations (as evaluator), open ones first; officers also their scope's."""
    mine = Evaluation.id.in_(
        sa.select(Evaluator.evaluation_id).where(Evaluator.user_id == actor.id)
    )
    visible = mine
    if scope.is_officer(actor) or scope.is_admin(actor):
        visible = sa.or_(
            mine,
            Evaluation.innovation_id.in_(
                sa.select(Innovation.id).where(
                    Innovation.organization_id.in_(scope.scoped_org_ids(actor))
                )
            ),
        )
    return (
        sa.select(Evaluation)
        .options(joinedload(Evaluation.innovation))
        .where(visible)
        .order_by(Evaluation.status.desc(), Evaluation.opened_at.desc(), Evaluation.id.desc())
    )


def _check_evaluator(actor: User, item: Innovation, user_id: int) -> User:
    person = get_person(actor, user_id, "evaluator_ids")
    if person.id in _team_ids(item):
        raise Invalid(
            errors={
                "evaluator_ids": [
                    _(
                        "%(name)s 是本项目的提交人或团队成员，须回避，不能担任评审人。",
                        name=person.name,
                    )
                ]
            }
        )
    return person


@transaction
def open_evaluation(
    actor: User, item: Innovation, evaluator_ids: list[int], lead_id: int
) -> Evaluation:
    """An officer of the item's scope (not of its team) opens the evaluation with at least
    the configured number of evaluators (default 2), one of them the lead."""
    require_officer_in_scope_not_author(actor, item)
    if item.stage not in EVALUABLE:
        raise Conflict(_("只有待评审、已采纳或试行采纳的项目才能组织专家评分。"))
    if db.session.scalar(sa.select(Evaluation.id).where(Evaluation.innovation_id == item.id)):
        raise Conflict(_("这一项已组织过专家评分，请在评分页查看。"))
    ids = list(dict.fromkeys(int(i) for i in evaluator_ids or []))
    if lead_id and int(lead_id) not in ids:
        ids.insert(0, int(lead_id))
    if len(ids) < min_evaluators():
        raise Invalid(
            errors={"evaluator_ids": [_("至少需要 %(n)d 名评审人。", n=min_evaluators())]}
        )
    if not lead_id:
        raise Invalid(errors={"lead_id": [_("请指定评审组长。")]})
    people = [_check_evaluator(actor, item, i) for i in ids]
    panel = build_panel(_("专家评分 #%(id)d", id=item.id))
    scoring.add_subject(panel, SUBJECT)
    evaluation = Evaluation(
        innovation_id=item.id, panel_id=panel.id, opened_by_id=actor.id, opened_at=now()
    )
    evaluation.evaluators = [Evaluator(user_id=p.id, is_lead=p.id == int(lead_id)) for p in people]
    db.session.add(evaluation)
    db.session.flush()
    record(
        actor,
        "innovation.evaluation_open",
        "innovation",
        item.id,
        organization_id=item.organization_id,
        after={"evaluators": [p.id for p in people], "lead": int(lead_id)},
        summary=_("专家评分：%(title)s", title=item.title),
    )
    return evaluation


@transaction
def add_evaluator(actor: User, evaluation: Evaluation, user_id: int, lead: bool) -> Evaluator:
    """Another evaluator while it is open (e.g. after recusals); a new lead only when the
    present lead declared a conflict."""
    item = evaluation.innovation
    require_officer_in_scope_not_author(actor, item)
    _require_open(evaluation)
    person = _check_evaluator(actor, item, user_id)
    if _evaluator(evaluation, person) is not None:
        raise Conflict(_("%(name)s 已是本项目的评审人。", name=person.name))
    if lead and any(
        e.is_lead and e.declaration != Declaration.conflict for e in evaluation.evaluators
    ):
        raise Conflict(_("评审组长仍在任，只有组长回避后才能另指定组长。"))
    if lead:
        for e in evaluation.evaluators:
            e.is_lead = False
    row = Evaluator(evaluation_id=evaluation.id, user_id=person.id, is_lead=bool(lead))
    evaluation.evaluators.append(row)
    db.session.flush()
    return row


def _require_open(evaluation: Evaluation) -> None:
    if evaluation.status != EvaluationStatus.open:
        raise Conflict(_("专家评分已结束，不能再修改。"))


@transaction
def declare(actor: User, evaluation: Evaluation, conflict: bool, reason: str | None) -> Evaluator:
    """The evaluator declares a conflict of interest (recused; the reason is required and
    audited) or none (and joins the panel). Declared once: a second declaration is refused."""
    me = _evaluator(evaluation, actor)
    if me is None:
        raise Forbidden(_("您不是本项目的评审人。"))
    _require_open(evaluation)
    reason = (reason or "").strip() or None
    if conflict and not reason:
        raise Invalid(errors={"reason": [_("声明回避时请写明利益关系，例如同一班组或师徒。")]})
    declaration = Declaration.conflict if conflict else Declaration.none
    result = db.session.execute(
        sa.update(Evaluator)
        .where(Evaluator.id == me.id, Evaluator.declaration == Declaration.pending)
        .values(
            declaration=declaration,
            conflict_reason=reason[:500] if conflict else None,
            declared_at=now(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("您已声明过，不能重复声明。"))
    db.session.refresh(me)
    if declaration == Declaration.none:
        scoring.add_scorer(panel_of(evaluation), actor.id, chief=me.is_lead)
    record(
        actor,
        "innovation.evaluation_declare",
        "innovation",
        evaluation.innovation_id,
        organization_id=evaluation.innovation.organization_id,
        after={"declaration": declaration.value, "reason": me.conflict_reason},
        summary=_("利益冲突声明：%(title)s", title=evaluation.innovation.title),
    )
    return me


@transaction
def score(actor: User, evaluation: Evaluation, marks: dict) -> None:
    """An evaluator without a conflict marks every criterion, once (the engine refuses a
    second submission, also two tabs at once)."""
    me = _evaluator(evaluation, actor)
    if me is None:
        raise Forbidden(_("您不是本项目的评审人。"))
    _require_open(evaluation)
    if me.declaration == Declaration.pending:
        raise Conflict(_("请先声明是否存在利益冲突，再评分。"))
    if me.declaration == Declaration.conflict:
        raise Forbidden(_("您已声明回避，不能为这一项评分。"))
    panel = panel_of(evaluation)
    scoring.submit(panel, SUBJECT, actor.id, check_marks(panel, marks))


@transaction
def close_evaluation(actor: User, evaluation: Evaluation) -> Evaluation:
    """The lead closes it when everyone has declared and every evaluator without a conflict
    has marked (at least the minimum): the panel is locked and the total stored. Of two
    closings at once, one wins (a conditional UPDATE) and the other is told."""
    me = _evaluator(evaluation, actor)
    if me is None or not me.is_lead:
        raise Forbidden(_("只有评审组长可以结束评分。"))
    _require_open(evaluation)
    if me.declaration == Declaration.conflict:
        raise Forbidden(_("您已声明回避，请由新指定的组长结束评分。"))
    pending = [e.user.name for e in evaluation.evaluators if e.declaration == Declaration.pending]
    if pending:
        raise Conflict(_("还有评审人未声明利益冲突：%(names)s。", names="、".join(pending)))
    scorers = [e for e in evaluation.evaluators if e.declaration == Declaration.none]
    if len(scorers) < min_evaluators():
        raise Conflict(
            _(
                "回避后只剩 %(n)d 名评审人，至少需要 %(min)d 名，请增加评审人。",
                n=len(scorers),
                min=min_evaluators(),
            )
        )
    result = db.session.execute(
        sa.update(Evaluation)
        .where(Evaluation.id == evaluation.id, Evaluation.status == EvaluationStatus.open)
        .values(status=EvaluationStatus.closed, closed_at=now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("专家评分刚刚已经结束，请刷新查看。"))
    panel = panel_of(evaluation)
    scoring.lock(panel, actor.id)  # refuses while an evaluator has not marked
    scores = scoring.subject_scores(panel, SUBJECT)
    db.session.execute(
        sa.update(Evaluation)
        .where(Evaluation.id == evaluation.id)
        .values(
            total=sum(scores.values(), Decimal("0")),
            scores={k: str(v) for k, v in scores.items()},
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(evaluation)
    record(
        actor,
        "innovation.evaluation_close",
        "innovation",
        evaluation.innovation_id,
        organization_id=evaluation.innovation.organization_id,
        after={"total": str(evaluation.total), "scores": evaluation.scores},
        summary=_("专家评分结束：%(title)s", title=evaluation.innovation.title),
    )
    return evaluation


@dataclass
class EvaluationView:
    """What the actor may read of an evaluation: the criteria, their own marks, everyone's
    once all have marked (the engine's rule), and the result once closed."""

    evaluation: Evaluation
    criteria: list
    me: Evaluator | None
    marks: dict[int, dict[str, Decimal]]
    submitted: set[int]
    manager: bool


def view(actor: User, evaluation: Evaluation) -> EvaluationView:
    panel = panel_of(evaluation)
    me = _evaluator(evaluation, actor)
    marks: dict[int, dict[str, Decimal]] = {}
    if me is not None and me.declaration == Declaration.none:
        marks = scoring.marks_for(panel, SUBJECT, actor.id)
    manager = can_manage(actor, evaluation)
    if manager and evaluation.status == EvaluationStatus.closed:
        scorer = next((s.user_id for s in panel.scorers), None)
        if scorer is not None:
            marks = scoring.marks_for(panel, SUBJECT, scorer)
    submitted = set(
        db.session.scalars(
            sa.select(ScoringSubmission.scorer_id)
            .join(ScoringSubject, ScoringSubject.id == ScoringSubmission.subject_id)
            .where(ScoringSubject.panel_id == panel.id)
        )
    )
    return EvaluationView(evaluation, list(panel.criteria), me, marks, submitted, manager)
