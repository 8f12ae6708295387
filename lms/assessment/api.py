"""JSON API of the assessment engine under /api/v1/assessment/…: the same services and
permissions as the pages. Officers over the owning organization manage banks and exams and
read their sittings; a candidate starts, answers, submits and reads only their own sitting;
no answer key leaves the server before the sitting is closed (and the exam over)."""

from __future__ import annotations

import base64
import binascii

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.models import Organization
from lms.assessment import schemas, services
from lms.assessment.services import sittings
from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated, unlimited
from lms.db import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db

blp = api_blueprint(
    "assessment-api",
    __name__,
    "Assessment (测评): question banks, exams drawn per candidate from a blueprint, sittings "
    "timed by the server and marked by one rule. Keys are never shown before a sitting closes.",
)


@blp.route("/assessment/banks")
class Banks(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.BankSchema))
    def get(self, args):
        """Question banks of the organizations the caller manages."""
        services.require_officer_like(current_user)
        return paginated(services.banks_query(current_user), args)

    @blp.arguments(schemas.BankInSchema)
    @blp.response(201, schemas.BankSchema)
    def post(self, data):
        """Create a bank for an organization in the caller's scope."""
        organization = db.session.get(Organization, data["organization_id"])
        if organization is None:
            raise NotFound()
        return services.create_bank(current_user, organization, data["name"], data["subject"])


def _raw(obj, schema) -> dict:
    """The attributes ``schema`` shows, as they are (the response schema formats them)."""
    return {name: getattr(obj, name) for name in schema._declared_fields}


def _bank_detail(bank):
    pools = [{"topic": t, "difficulty": d, "questions": n} for t, d, n in services.pool_sizes(bank)]
    return _raw(bank, schemas.BankSchema) | {"pools": pools}


@blp.route("/assessment/banks/<int:bank_id>")
class BankItem(MethodView):
    @blp.response(200, schemas.BankDetailSchema)
    def get(self, bank_id: int):
        """A bank with its question counts per topic and difficulty."""
        return _bank_detail(services.get_bank(current_user, bank_id))


@blp.route("/assessment/banks/<int:bank_id>/questions")
class Questions(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.BankQuestionSchema))
    def get(self, args, bank_id: int):
        """The bank's questions still drawn, with their keys (managers only)."""
        bank = services.get_bank(current_user, bank_id)
        return paginated(services.questions_query(bank), args)

    @blp.arguments(schemas.BankQuestionInSchema)
    @blp.response(201, schemas.BankQuestionSchema)
    def post(self, data, bank_id: int):
        """Add a question (checked like a row of an import)."""
        bank = services.get_bank(current_user, bank_id)
        return services.add_question(current_user, bank, data)


@blp.route("/assessment/banks/<int:bank_id>/import")
class Import(MethodView):
    @blp.arguments(schemas.ImportInSchema)
    @blp.response(201, schemas.ImportResultSchema)
    def post(self, data, bank_id: int):
        """Import questions from an XLSX or CSV file (the template's columns), sent
        base64-encoded: every row or none; a file with errors is a 422 listing them by row."""
        bank = services.get_bank(current_user, bank_id)
        try:
            content = base64.b64decode(data["content"], validate=True)
        except binascii.Error:
            raise Invalid(errors={"content": [_("文件内容应为 base64 编码。")]}) from None
        result = services.import_questions(current_user, bank, data["filename"], content)
        if result.errors:
            raise Invalid(errors={"rows": result.messages()})
        return {"created": result.created, "rows": result.rows, "errors": []}


@blp.route("/assessment/questions/<int:question_id>")
class QuestionItem(MethodView):
    @blp.response(200, schemas.BankQuestionSchema)
    def delete(self, question_id: int):
        """Retire a question: drawn no more; papers that hold it keep it."""
        return services.retire_question(current_user, question_id)


@blp.route("/assessment/exams")
class Exams(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.ExamSchema))
    def get(self, args):
        """Exams of the organizations the caller manages."""
        services.require_officer_like(current_user)
        return paginated(services.exams_query(current_user), args)

    @blp.arguments(schemas.ExamInSchema)
    @blp.response(201, schemas.ExamSchema)
    def post(self, data):
        """Publish an exam over a bank of the caller's scope."""
        bank = services.get_bank(current_user, data.pop("bank_id"))
        return services.create_exam(current_user, bank, **data)


@blp.route("/assessment/exams/<int:exam_id>")
class ExamItem(MethodView):
    @blp.response(200, schemas.ExamSchema)
    def get(self, exam_id: int):
        """An exam, for its managers."""
        return services.get_exam(current_user, exam_id)


@blp.route("/assessment/exams/<int:exam_id>/results")
class ExamResults(MethodView):
    @blp.response(200, schemas.ResultRowSchema(many=True))
    def get(self, exam_id: int):
        """Every sitting of the exam with its score (late sittings are closed first)."""
        exam = services.get_exam(current_user, exam_id)
        return services.results(current_user, exam)


@blp.route("/assessment/my/exams")
class MyExams(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.MyExamSchema))
    def get(self, args):
        """Exams the caller may sit, with their state and the caller's sitting if any."""
        page = paginated(services.candidate_exams_query(current_user), args)
        now = utcnow()
        page["items"] = [
            {
                **_raw(exam, schemas.ExamSchema),
                "state": services.window_state(exam, now),
                "sitting_id": getattr(services.own_sitting(current_user, exam), "id", None),
            }
            for exam in page["items"]
        ]
        return page


def _sitting(sitting):
    return {
        **_raw(sitting, schemas.SittingSummarySchema),
        "revealed": services.reveals(sitting),
        "seconds_left": max(0, int((sitting.deadline - sittings.utcnow()).total_seconds()))
        if not sitting.closed
        else 0,
        "items": schemas.PaperItemSchema(many=True).dump(services.paper(current_user, sitting)),
    }


@blp.route("/assessment/exams/<int:exam_id>/sitting")
class StartSitting(MethodView):
    @blp.response(201, schemas.SittingSchema)
    def post(self, exam_id: int):
        """Start the caller's sitting (or resume it): a paper drawn for the caller, the
        deadline set by the server."""
        return _sitting(services.start(current_user, exam_id))


@blp.route("/assessment/sittings/<int:sitting_id>")
class SittingItem(MethodView):
    @blp.response(200, schemas.SittingSchema)
    def get(self, sitting_id: int):
        """A sitting: the candidate's own, or one of an exam the caller manages. Read after
        its deadline, it is closed first."""
        return _sitting(services.get(current_user, sitting_id))


@blp.route("/assessment/sittings/<int:sitting_id>/answers/<int:position>")
class Answer(MethodView):
    @unlimited
    @blp.arguments(schemas.AnswerInSchema)
    @blp.response(200, schemas.AnswerSchema)
    def put(self, data, sitting_id: int, position: int):
        """Save one answer; refused (409) once the sitting is closed or its time is up."""
        item = services.save_answer(
            current_user, sitting_id, position, choices=data["choices"], text=data["text"]
        )
        return {"position": item.position, "saved": True}


@blp.route("/assessment/sittings/<int:sitting_id>/submit")
class Submit(MethodView):
    @blp.response(200, schemas.SittingSchema)
    def post(self, sitting_id: int):
        """Hand the paper in; a second submit answers with the same result."""
        return _sitting(services.submit(current_user, sitting_id))
