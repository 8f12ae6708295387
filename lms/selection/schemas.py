"""Shapes of selection records in the API; validation of what comes in."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.accounts.models import HonorKind, HonorLevel
from lms.core.apiutil import PageArgsSchema
from lms.selection.models import Disposition, VettingVerdict, VoteChoice

_text = validate.Length(max=4000)
_percent = validate.Range(min=0, max=100)


class SearchArgsSchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))


class CampaignSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    honour_kind = fields.Str()
    honour_level = fields.Str()
    year = fields.Int()
    organization_id = fields.Int()
    status = fields.Str()
    nominate_until = fields.Date()
    review_until = fields.Date()
    notice_workdays = fields.Int()
    min_frontline_percent = fields.Int(allow_none=True)
    max_heads_percent = fields.Int(allow_none=True)
    requires_prior_honour = fields.Bool()
    description = fields.Str(allow_none=True)


class CompositionSchema(Schema):
    total = fields.Int()
    frontline = fields.Int()
    heads = fields.Int()
    places = fields.Int(allow_none=True)
    frontline_percent = fields.Float()
    heads_percent = fields.Float()
    frontline_ok = fields.Bool()
    heads_ok = fields.Bool()


class CampaignDetailSchema(CampaignSchema):
    composition = fields.Nested(CompositionSchema)
    approval_blockers = fields.List(fields.Str())


class CampaignCreateSchema(Schema):
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    honour_kind = fields.Str(required=True, validate=validate.OneOf([k.value for k in HonorKind]))
    honour_level = fields.Str(required=True, validate=validate.OneOf([v.value for v in HonorLevel]))
    year = fields.Int(required=True, validate=validate.Range(min=1950, max=2100))
    places = fields.Int(required=True, validate=validate.Range(min=1, max=10000))
    nominate_until = fields.Date(required=True)
    review_until = fields.Date(required=True)
    notice_workdays = fields.Int(load_default=5, validate=validate.Range(min=1, max=30))
    min_frontline_percent = fields.Int(load_default=None, allow_none=True, validate=_percent)
    max_heads_percent = fields.Int(load_default=None, allow_none=True, validate=_percent)
    requires_prior_honour = fields.Bool(load_default=False)
    description = fields.Str(load_default=None, allow_none=True, validate=_text)


class QuotaSchema(Schema):
    organization_id = fields.Int(required=True)
    places = fields.Int(required=True, validate=validate.Range(min=0, max=10000))
    used = fields.Int(dump_only=True)


class StepSchema(Schema):
    action = fields.Str()
    from_org_id = fields.Int(allow_none=True)
    to_org_id = fields.Int(allow_none=True)
    reason = fields.Str(allow_none=True)
    actor_id = fields.Int(allow_none=True)
    created_at = fields.DateTime()


class DossierSchema(Schema):
    id = fields.Int()
    campaign_id = fields.Int()
    candidate_id = fields.Int()
    candidate_name = fields.Function(lambda d: d.candidate.name)
    unit_id = fields.Int()
    level_org_id = fields.Int()
    status = fields.Str()
    summary = fields.Str()
    frontline = fields.Bool()
    enterprise_head = fields.Bool()


class DossierDetailSchema(DossierSchema):
    achievements = fields.Str()
    congress_resolution = fields.Str(allow_none=True)
    unit_notice_from = fields.Date(allow_none=True)
    unit_notice_to = fields.Date(allow_none=True)
    steps = fields.List(fields.Nested(StepSchema))


class DossierCreateSchema(Schema):
    candidate_id = fields.Int(required=True)
    summary = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    achievements = fields.Str(required=True, validate=validate.Length(min=1, max=20000))
    frontline = fields.Bool(load_default=False)
    enterprise_head = fields.Bool(load_default=False)
    congress_resolution = fields.Str(
        load_default=None, allow_none=True, validate=validate.Length(max=300)
    )
    unit_notice_from = fields.Date(load_default=None, allow_none=True)
    unit_notice_to = fields.Date(load_default=None, allow_none=True)


class NoteSchema(Schema):
    note = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ReasonSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class NoticeBodySchema(Schema):
    body = fields.Str(load_default=None, allow_none=True, validate=_text)


class NoticeEntrySchema(Schema):
    dossier_id = fields.Int()
    name = fields.Str()
    unit = fields.Str()
    summary = fields.Str()


class PublicNoticeSchema(Schema):
    campaign_id = fields.Int()
    campaign = fields.Str()
    title = fields.Str()
    body = fields.Str()
    order = fields.Str(metadata={"description": "strokes: surname-stroke order, never score"})
    starts_on = fields.Str()
    ends_on = fields.Str()
    workdays = fields.Int()
    open = fields.Bool()
    approved = fields.Bool()
    published_at = fields.Str()
    entries = fields.List(fields.Nested(NoticeEntrySchema))


class ObjectionCreateSchema(Schema):
    dossier_id = fields.Int(required=True)
    body = fields.Str(required=True, validate=validate.Length(min=10, max=5000))
    contact = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    real_name = fields.Bool(
        load_default=True,
        metadata={"description": "false is refused: anonymous objections are not accepted"},
    )


class ObjectionReceiptSchema(Schema):
    id = fields.Int()
    status = fields.Str()


class ObjectionSchema(ObjectionReceiptSchema):
    dossier_id = fields.Int()
    filed_by_id = fields.Int()
    contact = fields.Str()
    body = fields.Str()
    investigation = fields.Str(allow_none=True)
    unit_explanation = fields.Str(allow_none=True)
    finding = fields.Str(allow_none=True)
    disposition = fields.Str(allow_none=True)
    disposition_note = fields.Str(allow_none=True)
    created_at = fields.DateTime()


class InvestigationSchema(Schema):
    investigation = fields.Str(required=True, validate=validate.Length(min=1, max=5000))
    unit_explanation = fields.Str(
        load_default=None, allow_none=True, validate=validate.Length(max=5000)
    )


class FindingSchema(Schema):
    finding = fields.Str(required=True, validate=validate.Length(min=1, max=5000))


class DispositionSchema(Schema):
    disposition = fields.Str(required=True, validate=validate.OneOf([d.value for d in Disposition]))
    disposition_note = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class VettingAnswerSchema(Schema):
    verdict = fields.Str(
        required=True,
        validate=validate.OneOf([VettingVerdict.passed.value, VettingVerdict.vetoed.value]),
    )
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class VoteSchema(Schema):
    dossier_id = fields.Int(required=True)
    choice = fields.Str(required=True, validate=validate.OneOf([c.value for c in VoteChoice]))
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=300))


class HonourSchema(Schema):
    id = fields.Int()
    user_id = fields.Int()
    year = fields.Int()
    title = fields.Str(allow_none=True)
