"""JSON API of living-conditions surveys and study tours' reports under /api/v1/care/…:
campaigns, who answered, one answer (a read by anyone but the person is audited),
answering, a flagged need made a case, and what participants learned on a study tour.
Same services and permissions as the pages."""

from __future__ import annotations

import base64
import binascii

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user

from lms.care import schemas, services
from lms.care.api import _org, blp
from lms.core.apiutil import PageArgsSchema, page_of, paginated
from lms.errors import Invalid


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


# --- study tours' reports ----------------------------------------------------------------------


def _upload(data: dict):
    encoded = data.get("file_base64")
    if not encoded:
        return None
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(errors={"file_base64": [_("文件内容不是有效的 base64 编码。")]}) from None
    return services.Upload(data.get("file_name") or "report", None, raw)


@blp.route("/care/trips/<int:trip_id>/reports")
class TourReports(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.CareTourReportSchema))
    def get(self, args, trip_id: int):
        """A study tour's reports: for its participants and its care team."""
        trip, _mine = services.get_tour(current_user, trip_id)
        return paginated(services.reports_query(current_user, trip), args)

    @blp.arguments(schemas.CareTourReportSchema)
    @blp.response(201, schemas.CareTourReportSchema)
    def post(self, data, trip_id: int):
        """A participant attaches what they learned, after the tour (text, file or both)."""
        trip, _mine = services.get_tour(current_user, trip_id)
        return services.add_report(
            current_user,
            trip,
            title=data["title"],
            summary=data.get("summary"),
            upload=_upload(data),
        )
