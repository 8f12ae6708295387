"""API shapes of the scorecard, expert evaluations, the five-smalls contest and
recommendations upward (split from ``schemas`` by size)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.innovation.models_awards import Declaration, EvaluationStatus

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
