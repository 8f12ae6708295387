"""JSON API of the scorecard, expert evaluations, the five-smalls contest and
recommendations upward, on the innovation blueprint (split from ``api`` by size)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.core.apiutil import page_of, paginated
from lms.innovation import schemas_awards as schemas
from lms.innovation import services
from lms.innovation.api import blp
from lms.innovation.services import contest as contests
from lms.innovation.services import recommend as recs


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


@blp.route("/innovation/contests")
class Contests(MethodView):
    @blp.arguments(schemas.InnovationContestQuerySchema, location="query")
    @blp.response(200, page_of(schemas.InnovationContestSchema))
    def get(self, args):
        """Five-smalls contests (calls for entries are public to everyone signed in)."""
        return paginated(contests.contests_query(current_user, args.get("q")), args)

    @blp.arguments(schemas.InnovationContestCreateSchema)
    @blp.response(201, schemas.InnovationContestDetailSchema)
    def post(self, data):
        """Officers of the organizer: publish a call with its judges (one the chief) and
        prizes (422 with fewer judges than the minimum or a deadline in the past)."""
        org = services.get_organization(current_user, data["organization_id"])
        return contests.create_contest(
            current_user,
            organization=org,
            name=data["name"],
            year=data["year"],
            call_text=data.get("call_text"),
            entry_deadline=data["entry_deadline"],
            defence_at=data.get("defence_at"),
            defence_place=data.get("defence_place"),
            judge_ids=data["judge_ids"],
            chief_id=data["chief_id"],
            counts=(data["first_count"], data["second_count"], data["third_count"]),
            money=(data["first_money"], data["second_money"], data["third_money"]),
        )


@blp.route("/innovation/contests/<int:contest_id>")
class ContestItem(MethodView):
    @blp.response(200, schemas.InnovationContestDetailSchema)
    def get(self, contest_id: int):
        """A contest with its entries; totals, ranks and prizes once closed."""
        return contests.get_contest(current_user, contest_id)


@blp.route("/innovation/contests/<int:contest_id>/entries")
class ContestEntries(MethodView):
    @blp.arguments(schemas.InnovationContestEnterSchema)
    @blp.response(201, schemas.InnovationContestEntrySchema)
    def post(self, data, contest_id: int):
        """The author, a team member or an officer enters a five-smalls item before the
        deadline (409 after it; 422 for another kind or a judge on the team)."""
        contest = contests.get_contest(current_user, contest_id)
        item = services.get_item(current_user, data["item_id"])
        return contests.enter(current_user, contest, item)


@blp.route("/innovation/contests/<int:contest_id>/defence")
class ContestDefence(MethodView):
    @blp.response(200, schemas.InnovationContestDetailSchema)
    def post(self, contest_id: int):
        """Officers of the organizer: close the call and open the defence marking."""
        contest = contests.get_contest(current_user, contest_id)
        return contests.start_defence(current_user, contest)


@blp.route("/innovation/contests/<int:contest_id>/entries/<int:entry_id>/marks")
class ContestMarks(MethodView):
    @blp.arguments(schemas.InnovationMarksSchema)
    @blp.response(200, schemas.InnovationContestEntrySchema)
    def post(self, data, contest_id: int, entry_id: int):
        """A judge: a whole mark per scorecard criterion for one entry's defence, once."""
        contest = contests.get_contest(current_user, contest_id)
        entry = contests.get_entry(contest, entry_id)
        contests.score_entry(current_user, contest, entry, data["marks"])
        return entry


@blp.route("/innovation/contests/<int:contest_id>/close")
class ContestClose(MethodView):
    @blp.response(200, schemas.InnovationContestDetailSchema)
    def post(self, contest_id: int):
        """The chief judge: lock the marks; totals, ranks and prizes are computed (409 while
        a judge has not marked every entry, or when it was closed a moment ago)."""
        contest = contests.get_contest(current_user, contest_id)
        return contests.close_contest(current_user, contest)


@blp.route("/innovation/recommendations")
class Recommendations(MethodView):
    @blp.arguments(schemas.InnovationContestQuerySchema, location="query")
    @blp.response(200, page_of(schemas.InnovationRecommendationSchema))
    def get(self, args):
        """Recommendations to higher-level awards: officers their scope's, everyone their own."""
        return paginated(recs.recommendations_query(current_user, args.get("q")), args)

    @blp.arguments(schemas.InnovationRecommendationCreateSchema)
    @blp.response(201, schemas.InnovationRecommendationSchema)
    def post(self, data):
        """Officers: recommend an adopted item (``item_id``) or an advanced operation method
        (``title``, ``summary``, ``author_id``) to a named award of a year."""
        item = services.get_reviewable(current_user, data["item_id"]) if data["item_id"] else None
        author = (
            services.get_person(current_user, data["author_id"], "author_id")
            if data["author_id"]
            else None
        )
        studio = services.get_studio(current_user, data["studio_id"]) if data["studio_id"] else None
        return recs.recommend(
            current_user,
            kind=data["kind"],
            item=item,
            title=data.get("title"),
            summary=data.get("summary"),
            author=author,
            studio=studio,
            award=data["award"],
            awarding_body=data["awarding_body"],
            year=data["year"],
            reason=data.get("reason"),
        )


@blp.route("/innovation/recommendations/<int:recommendation_id>/outcome")
class RecommendationOutcome(MethodView):
    @blp.arguments(schemas.InnovationOutcomeSchema)
    @blp.response(200, schemas.InnovationRecommendationSchema)
    def post(self, data, recommendation_id: int):
        """Officers in scope: the award's result, once (409 after), with level and prize money."""
        rec = recs.get_recommendation(current_user, recommendation_id)
        return recs.record_outcome(
            current_user, rec, data["won"], data.get("outcome_level"), data.get("prize_money")
        )


@blp.route("/innovation/studios/<int:studio_id>/appraisals")
class StudioAppraisals(MethodView):
    @blp.arguments(schemas.InnovationAppraisalCreateSchema)
    @blp.response(201, schemas.InnovationAppraisalSchema)
    def post(self, data, studio_id: int):
        """Officers in scope: the year's appraisal of a named studio against its plan, the
        projects counted from its items (409 if the year was appraised already)."""
        studio = services.get_studio(current_user, studio_id)
        return services.lifecycle.appraise(current_user, studio, data["year"], data.get("note"))


@blp.route("/innovation/studios/<int:studio_id>/reconfirmation")
class StudioReconfirmation(MethodView):
    @blp.response(200, schemas.InnovationReconfirmedSchema)
    def post(self, studio_id: int):
        """Officers in scope: reconfirm the naming when due and the latest appraisal passed."""
        studio = services.get_studio(current_user, studio_id)
        return services.lifecycle.reconfirm(current_user, studio)
