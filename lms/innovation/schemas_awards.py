"""API shapes of the scorecard, expert evaluations, the five-smalls contest and
recommendations upward (split from ``schemas`` by size)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.core.apiutil import PageArgsSchema
from lms.innovation.models_awards import (
    ContestStatus,
    Declaration,
    EvaluationStatus,
    Outcome,
    Prize,
    RecommendationKind,
)

MONEY = {"as_string": True, "places": 2}
SCORE = {"as_string": True, "places": 2}


class InnovationScorecardCriterionSchema(Schema):
    code = fields.Str(required=True, validate=validate.Length(min=1, max=40))
    title = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    max_mark = fields.Decimal(required=True, **SCORE)


class InnovationScorecardSchema(Schema):
    criteria = fields.List(
        fields.Nested(InnovationScorecardCriterionSchema),
        required=True,
        validate=validate.Length(min=1),
    )


class InnovationEvaluationOpenSchema(Schema):
    evaluator_ids = fields.List(fields.Int(), required=True, validate=validate.Length(min=1))
    lead_id = fields.Int(required=True)


class InnovationEvaluatorSchema(Schema):
    user_id = fields.Int()
    name = fields.Function(lambda e: e.user.name)
    is_lead = fields.Bool()
    declaration = fields.Enum(Declaration, by_value=True)


class InnovationEvaluationSchema(Schema):
    id = fields.Int()
    innovation_id = fields.Int()
    status = fields.Enum(EvaluationStatus, by_value=True)
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    total = fields.Decimal(allow_none=True, **SCORE)
    scores = fields.Dict(keys=fields.Str(), values=fields.Str(), allow_none=True)
    evaluators = fields.List(fields.Nested(InnovationEvaluatorSchema))


class InnovationDeclarationSchema(Schema):
    conflict = fields.Bool(required=True)
    reason = fields.Str(load_default=None, validate=validate.Length(max=500))


class InnovationMarksSchema(Schema):
    marks = fields.Dict(keys=fields.Str(), values=fields.Raw(), required=True)


class InnovationEvaluatorAddSchema(Schema):
    user_id = fields.Int(required=True)
    lead = fields.Bool(load_default=False)


class InnovationContestCreateSchema(Schema):
    organization_id = fields.Int(required=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    year = fields.Int(required=True, validate=validate.Range(2000, 2100))
    call_text = fields.Str(load_default=None, validate=validate.Length(max=4000))
    entry_deadline = fields.AwareDateTime(required=True)
    defence_at = fields.AwareDateTime(load_default=None)
    defence_place = fields.Str(load_default=None, validate=validate.Length(max=200))
    judge_ids = fields.List(fields.Int(), required=True, validate=validate.Length(min=1))
    chief_id = fields.Int(required=True)
    first_count = fields.Int(load_default=1, validate=validate.Range(0, 100))
    second_count = fields.Int(load_default=2, validate=validate.Range(0, 100))
    third_count = fields.Int(load_default=3, validate=validate.Range(0, 100))
    first_money = fields.Decimal(load_default="0", **MONEY)
    second_money = fields.Decimal(load_default="0", **MONEY)
    third_money = fields.Decimal(load_default="0", **MONEY)


class InnovationContestEntrySchema(Schema):
    id = fields.Int()
    code = fields.Str()
    innovation_id = fields.Int()
    title = fields.Function(lambda e: e.innovation.title)
    total = fields.Decimal(allow_none=True, **SCORE)
    rank = fields.Int(allow_none=True)
    prize = fields.Enum(Prize, by_value=True, allow_none=True)
    prize_money = fields.Decimal(allow_none=True, **MONEY)


class InnovationContestSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    organization_id = fields.Int()
    year = fields.Int()
    status = fields.Enum(ContestStatus, by_value=True)
    call_text = fields.Str(allow_none=True)
    entry_deadline = fields.DateTime()
    defence_at = fields.DateTime(allow_none=True)
    defence_place = fields.Str(allow_none=True)
    first_count = fields.Int()
    second_count = fields.Int()
    third_count = fields.Int()
    first_money = fields.Decimal(**MONEY)
    second_money = fields.Decimal(**MONEY)
    third_money = fields.Decimal(**MONEY)


class InnovationContestDetailSchema(InnovationContestSchema):
    entries = fields.List(fields.Nested(InnovationContestEntrySchema))


class InnovationContestQuerySchema(PageArgsSchema):
    q = fields.Str(load_default=None)


class InnovationContestEnterSchema(Schema):
    item_id = fields.Int(required=True)


class InnovationRecommendationSchema(Schema):
    id = fields.Int()
    kind = fields.Enum(RecommendationKind, by_value=True)
    innovation_id = fields.Int(allow_none=True)
    title = fields.Str()
    summary = fields.Str(allow_none=True)
    author_id = fields.Int()
    studio_id = fields.Int(allow_none=True)
    award = fields.Str()
    awarding_body = fields.Str()
    year = fields.Int()
    reason = fields.Str(allow_none=True)
    outcome = fields.Enum(Outcome, by_value=True)
    outcome_level = fields.Str(allow_none=True)
    prize_money = fields.Decimal(allow_none=True, **MONEY)
    outcome_at = fields.DateTime(allow_none=True)


class InnovationRecommendationCreateSchema(Schema):
    kind = fields.Enum(RecommendationKind, by_value=True, required=True)
    item_id = fields.Int(load_default=None)
    title = fields.Str(load_default=None, validate=validate.Length(max=120))
    summary = fields.Str(load_default=None, validate=validate.Length(max=4000))
    author_id = fields.Int(load_default=None)
    studio_id = fields.Int(load_default=None)
    award = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    awarding_body = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    year = fields.Int(required=True, validate=validate.Range(2000, 2100))
    reason = fields.Str(load_default=None, validate=validate.Length(max=2000))


class InnovationOutcomeSchema(Schema):
    won = fields.Bool(required=True)
    outcome_level = fields.Str(load_default=None, validate=validate.Length(max=60))
    prize_money = fields.Decimal(load_default=None, **MONEY)


class InnovationAppraisalCreateSchema(Schema):
    year = fields.Int(required=True, validate=validate.Range(2000, 2100))
    note = fields.Str(load_default=None, validate=validate.Length(max=500))


class InnovationAppraisalSchema(Schema):
    id = fields.Int()
    studio_id = fields.Int()
    year = fields.Int()
    projects = fields.Int()
    required = fields.Int()
    passed = fields.Bool()
    note = fields.Str(allow_none=True)
    appraised_at = fields.DateTime()


class InnovationReconfirmedSchema(Schema):
    id = fields.Int()
    confirmed_at = fields.DateTime(allow_none=True)
