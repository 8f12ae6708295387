"""JSON API of the scorecard, expert evaluations, the five-smalls contest and
recommendations upward, on the innovation blueprint (split from ``api`` by size)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.innovation import schemas_awards as schemas
from lms.innovation import services
from lms.innovation.api import blp


@blp.route("/innovation/scorecard")
class Scorecard(MethodView):
    @blp.response(200, schemas.InnovationScorecardSchema)
    def get(self):
        """The scorecard in use for evaluations and contest defences."""
        return {"criteria": services.scorecard()}

    @blp.arguments(schemas.InnovationScorecardSchema)
    @blp.response(200, schemas.InnovationScorecardSchema)
    def put(self, data):
        """Admins: replace the scorecard (whole-number maxima adding up to 100; audited)."""
        return {"criteria": services.set_scorecard(current_user, data["criteria"])}


@blp.route("/innovation/items/<int:item_id>/evaluation")
class ItemEvaluation(MethodView):
    @blp.arguments(schemas.InnovationEvaluationOpenSchema)
    @blp.response(201, schemas.InnovationEvaluationSchema)
    def post(self, data, item_id: int):
        """Officers in scope: open the expert evaluation with evaluators and their lead
        (422 if fewer than the minimum, or one of them is of the item's team)."""
        item = services.get_reviewable(current_user, item_id)
        return services.open_evaluation(current_user, item, data["evaluator_ids"], data["lead_id"])


@blp.route("/innovation/evaluations/<int:evaluation_id>")
class EvaluationItem(MethodView):
    @blp.response(200, schemas.InnovationEvaluationSchema)
    def get(self, evaluation_id: int):
        """Its evaluators and the item's officers: the evaluation and its result."""
        return services.get_evaluation(current_user, evaluation_id)


@blp.route("/innovation/evaluations/<int:evaluation_id>/declaration")
class EvaluationDeclaration(MethodView):
    @blp.arguments(schemas.InnovationDeclarationSchema)
    @blp.response(200, schemas.InnovationEvaluationSchema)
    def post(self, data, evaluation_id: int):
        """An evaluator declares a conflict (recused; reason required) or none; once."""
        evaluation = services.get_evaluation(current_user, evaluation_id)
        services.declare(current_user, evaluation, data["conflict"], data.get("reason"))
        return evaluation


@blp.route("/innovation/evaluations/<int:evaluation_id>/marks")
class EvaluationMarks(MethodView):
    @blp.arguments(schemas.InnovationMarksSchema)
    @blp.response(200, schemas.InnovationEvaluationSchema)
    def post(self, data, evaluation_id: int):
        """An evaluator without a conflict: a whole mark per criterion, once (409 after)."""
        evaluation = services.get_evaluation(current_user, evaluation_id)
        services.score(current_user, evaluation, data["marks"])
        return evaluation


@blp.route("/innovation/evaluations/<int:evaluation_id>/close")
class EvaluationClose(MethodView):
    @blp.response(200, schemas.InnovationEvaluationSchema)
    def post(self, evaluation_id: int):
        """The lead: lock the marks and compute the total (409 while someone has not
        declared or marked)."""
        evaluation = services.get_evaluation(current_user, evaluation_id)
        return services.close_evaluation(current_user, evaluation)


@blp.route("/innovation/evaluations/<int:evaluation_id>/evaluators")
class EvaluationEvaluators(MethodView):
    @blp.arguments(schemas.InnovationEvaluatorAddSchema)
    @blp.response(201, schemas.InnovationEvaluationSchema)
    def post(self, data, evaluation_id: int):
        """Officers in scope: another evaluator (a new lead only after the lead recused)."""
        evaluation = services.get_evaluation(current_user, evaluation_id)
        services.add_evaluator(current_user, evaluation, data["user_id"], data["lead"])
        return evaluation
