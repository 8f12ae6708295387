"""Shapes of innovation items, rewards, studios, ledger entries and statistics in the API;
validation of what comes in."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.core.apiutil import PageArgsSchema
from lms.innovation.models import EntryKind, InnovationKind, Stage, StudioLevel, StudioStatus

MONEY = {"as_string": True, "places": 2}


class InnovationPersonSchema(Schema):
    id = fields.Int()
    name = fields.Str()


class InnovationMemberSchema(Schema):
    user_id = fields.Int(required=True)
    share = fields.Decimal(required=True, **MONEY)


class InnovationSchema(Schema):
    id = fields.Int()
    kind = fields.Enum(InnovationKind, by_value=True)
    title = fields.Str()
    stage = fields.Enum(Stage, by_value=True)
    major = fields.Bool()
    author = fields.Nested(InnovationPersonSchema)
    organization_id = fields.Int()
    submitted_at = fields.DateTime()
    due_at = fields.DateTime(allow_none=True)
    supporters_count = fields.Int()


class InnovationDetailSchema(InnovationSchema):
    problem = fields.Str()
    method = fields.Str(allow_none=True)
    expected_benefit = fields.Str(allow_none=True)
    members = fields.List(fields.Nested(InnovationMemberSchema))
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.Str(allow_none=True)
    merged_into_id = fields.Int(allow_none=True)
    studio_id = fields.Int(allow_none=True)
    target_benefit = fields.Decimal(allow_none=True, **MONEY)
    forecast_benefit = fields.Decimal(allow_none=True, **MONEY)
    actual_benefit = fields.Decimal(allow_none=True, **MONEY)
    benefit_formula = fields.Str(allow_none=True)
    benefit_verified_at = fields.DateTime(allow_none=True)
    notice = fields.Str(allow_none=True, metadata={"description": "Why it was filed as an opinion"})


class InnovationCreateSchema(Schema):
    kind = fields.Enum(InnovationKind, by_value=True, required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    problem = fields.Str(required=True, validate=validate.Length(min=1, max=4000))
    method = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=6000))
    expected_benefit = fields.Str(
        allow_none=True, load_default=None, validate=validate.Length(max=2000)
    )
    major = fields.Bool(load_default=False)
    team = fields.List(fields.Nested(InnovationMemberSchema), load_default=list)


class InnovationQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=100))
    stage = fields.Enum(Stage, by_value=True)
    kind = fields.Enum(InnovationKind, by_value=True)
    overdue = fields.Bool(load_default=False)
    mine = fields.Bool(load_default=False)


class InnovationSimilarQuerySchema(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    problem = fields.Str(load_default="", validate=validate.Length(max=4000))


class InnovationSimilarSchema(Schema):
    id = fields.Int(attribute="item.id")
    title = fields.Str(attribute="item.title")
    stage = fields.Enum(Stage, by_value=True, attribute="item.stage")
    submitted_at = fields.DateTime(attribute="item.submitted_at")
    score = fields.Float()


class InnovationDecisionSchema(Schema):
    outcome = fields.Str(
        required=True, validate=validate.OneOf([Stage.adopted, Stage.trial, Stage.not_adopted])
    )
    reason = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class InnovationMergeSchema(Schema):
    original_id = fields.Int(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class InnovationBenefitSchema(Schema):
    target_benefit = fields.Decimal(allow_none=True, load_default=None, places=2)
    forecast_benefit = fields.Decimal(allow_none=True, load_default=None, places=2)
    actual_benefit = fields.Decimal(allow_none=True, load_default=None, places=2)
    formula = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    reason = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=500))


class InnovationSupportSchema(Schema):
    supporters_count = fields.Int()


class InnovationRewardLineSchema(Schema):
    id = fields.Int()
    innovation_id = fields.Int()
    user = fields.Nested(InnovationPersonSchema)
    grade = fields.Int()
    grade_name = fields.Str()
    share = fields.Decimal(**MONEY)
    amount = fields.Decimal(**MONEY)
    created_at = fields.DateTime()


class InnovationStudioSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    lead = fields.Nested(InnovationPersonSchema, dump_only=True)
    lead_id = fields.Int(required=True, load_only=True)
    organization_id = fields.Int(required=True)
    trade = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=64))
    level = fields.Enum(StudioLevel, by_value=True, required=True)
    year = fields.Int(required=True, validate=validate.Range(min=2000, max=2100))
    plan = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    member_ids = fields.List(fields.Int(), load_only=True, load_default=list)
    status = fields.Enum(StudioStatus, by_value=True, dump_only=True)
    reason = fields.Str(dump_only=True, allow_none=True)
    balance = fields.Decimal(dump_only=True, **MONEY)


class InnovationStudioQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=100))
    status = fields.Enum(StudioStatus, by_value=True)


class InnovationStudioDecisionSchema(Schema):
    approve = fields.Bool(required=True)
    reason = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class InnovationReasonSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class InnovationLedgerEntrySchema(Schema):
    id = fields.Int(dump_only=True)
    kind = fields.Enum(EntryKind, by_value=True, required=True)
    amount = fields.Decimal(required=True, places=2, as_string=True)
    description = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    corrects_id = fields.Int(allow_none=True, load_default=None)
    balance_after = fields.Decimal(dump_only=True, **MONEY)
    created_at = fields.DateTime(dump_only=True)


class InnovationStatsQuerySchema(Schema):
    organization_id = fields.Int(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class InnovationStatsSchema(Schema):
    organization_id = fields.Int(attribute="organization.id")
    start = fields.Date()
    end = fields.Date()
    total = fields.Int()
    by_stage = fields.Dict(keys=fields.Str(), values=fields.Int())
    by_kind = fields.Dict(
        keys=fields.Str(), values=fields.Dict(keys=fields.Str(), values=fields.Int())
    )
    adoption_rate = fields.Float(allow_none=True)
    median_days = fields.Float(allow_none=True)
    verified_benefit = fields.Decimal(**MONEY)


class InnovationGradeSchema(Schema):
    grade = fields.Int(required=True, validate=validate.Range(min=1, max=20))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=40))
    min_benefit = fields.Decimal(required=True, places=2, as_string=True)
    amount = fields.Decimal(required=True, places=2, as_string=True)


class InnovationGradeTableSchema(Schema):
    grades = fields.List(
        fields.Nested(InnovationGradeSchema), required=True, validate=validate.Length(min=1, max=20)
    )


class InnovationStudioMemberSchema(Schema):
    user_id = fields.Int(required=True, validate=validate.Range(min=1, max=2**31 - 1))
