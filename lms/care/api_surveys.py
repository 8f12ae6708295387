"""JSON API of living-conditions surveys under /api/v1/care/…: campaigns, who answered,
one answer (a read by anyone but the person is audited), answering, and a flagged need
made a case. Same services and permissions as the pages."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.care import schemas, services
from lms.care.api import _org, blp
from lms.core.apiutil import page_of, paginated


def _with_counts(survey):
    counts = services.survey_counts(current_user, survey)
    survey.asked, survey.answered = counts.asked, counts.answered
    survey.needs_flagged, survey.needs_cased = counts.flagged, counts.cased
    return survey


@blp.route("/care/surveys")
class Surveys(MethodView):
    @blp.arguments(schemas.CareSurveyQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareSurveySchema))
    def get(self, args):
        """Survey campaigns in the caller's care scope."""
        return paginated(services.surveys_query(current_user, args.get("q")), args)

    @blp.arguments(schemas.CareSurveySchema)
    @blp.response(201, schemas.CareSurveySchema)
    def post(self, data):
        """Create a campaign; everyone in scope with an honour of its levels is asked."""
        survey = services.create_survey(
            current_user,
            _org(data["organization_id"]),
            name=data["name"],
            levels=data["levels"],
            closes_on=data["closes_on"],
            intro=data.get("intro"),
        )
        return _with_counts(survey)


@blp.route("/care/surveys/<int:survey_id>")
class SurveyItem(MethodView):
    @blp.response(200, schemas.CareSurveySchema)
    def get(self, survey_id: int):
        """One campaign with how many were asked, answered, flagged needs and cases."""
        return _with_counts(services.get_survey(current_user, survey_id))


@blp.route("/care/surveys/<int:survey_id>/send")
class SurveySend(MethodView):
    @blp.response(200, schemas.CareSurveySchema)
    def post(self, survey_id: int):
        """Ask people who became eligible since (those asked already are not asked again)."""
        survey = services.get_survey(current_user, survey_id)
        services.send_survey(current_user, survey)
        return _with_counts(survey)


@blp.route("/care/surveys/<int:survey_id>/responses")
class SurveyResponses(MethodView):
    @blp.arguments(schemas.CareResponseQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareResponseListSchema))
    def get(self, args, survey_id: int):
        """Who was asked and who answered, with flagged needs (never the answers)."""
        survey = services.get_survey(current_user, survey_id)
        status = args["status"].value if args.get("status") else None
        return paginated(
            services.responses_query(current_user, survey, status, args.get("q")), args
        )


@blp.route("/care/responses/<int:response_id>")
class ResponseItem(MethodView):
    @blp.response(200, schemas.CareResponseSchema)
    def get(self, response_id: int):
        """One person's answers: the person, or the care team of their organization (audited)."""
        return services.read_response(current_user, response_id)


@blp.route("/care/responses/<int:response_id>/answer")
class ResponseAnswer(MethodView):
    @blp.arguments(schemas.CareAnswerSchema)
    @blp.response(200, schemas.CareResponseSchema)
    def post(self, data, response_id: int):
        """Answer once: the person, or a care officer after a visit (with the visit's date)."""
        response = services.get_response(current_user, response_id)
        return services.answer(current_user, response, **data)


@blp.route("/care/me/surveys")
class MySurveys(MethodView):
    @blp.response(200, schemas.CareResponseListSchema(many=True))
    def get(self):
        """The caller's surveys, latest first."""
        return services.my_responses(current_user)


@blp.route("/care/survey-needs/<int:need_id>/case")
class NeedCase(MethodView):
    @blp.response(201, schemas.CareCaseDetailSchema)
    def post(self, need_id: int):
        """Open a case for a flagged need, prefilled from the answers (once per need)."""
        return services.case_from_need(current_user, need_id)
