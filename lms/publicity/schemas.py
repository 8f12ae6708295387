"""Shapes of publicity records in the API; validation of what comes in."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.core.apiutil import PageArgsSchema
from lms.core.urls import HttpUrl
from lms.publicity.models import StoryStatus

_note = validate.Length(max=2000)


class PublicityPersonRefSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    employee_no = fields.Str()


class PublicityColumnSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=60))
    description = fields.Str(allow_none=True, validate=validate.Length(max=500))
    position = fields.Int(load_default=0, validate=validate.Range(min=0, max=999))


class PublicityStoryQuerySchema(PageArgsSchema):
    status = fields.Enum(StoryStatus, by_value=True)
    column_id = fields.Int()
    q = fields.Str(validate=validate.Length(max=64))


class PublicityMediaSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    filename = fields.Str()
    content_type = fields.Str()
    size = fields.Int()
    caption = fields.Str(allow_none=True)


class PublicityStoryListSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    status = fields.Str()
    column_id = fields.Int()
    organization_id = fields.Int()
    person = fields.Nested(PublicityPersonRefSchema)
    team_name = fields.Str(allow_none=True)
    consented = fields.Function(lambda s: s.consent_at is not None)
    show_growth = fields.Bool()
    published_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


class PublicityStoryEventSchema(Schema):
    action = fields.Str()
    actor_id = fields.Int(allow_none=True)
    note = fields.Str(allow_none=True)
    created_at = fields.DateTime()


class PublicityStorySchema(PublicityStoryListSchema):
    summary = fields.Str(allow_none=True)
    body = fields.Str()
    review_note = fields.Str(allow_none=True)
    media = fields.List(fields.Nested(PublicityMediaSchema))


class PublicityStoryInSchema(Schema):
    column_id = fields.Int(required=True)
    person_id = fields.Int(required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    body = fields.Str(required=True, validate=validate.Length(min=1, max=60000))
    summary = fields.Str(allow_none=True, validate=validate.Length(max=300))
    team_name = fields.Str(allow_none=True, validate=validate.Length(max=80))


class PublicityStoryPatchSchema(Schema):
    column_id = fields.Int()
    title = fields.Str(validate=validate.Length(min=1, max=120))
    body = fields.Str(validate=validate.Length(min=1, max=60000))
    summary = fields.Str(allow_none=True, validate=validate.Length(max=300))
    team_name = fields.Str(allow_none=True, validate=validate.Length(max=80))


class PublicityNoteSchema(Schema):
    note = fields.Str(allow_none=True, load_default=None, validate=_note)


class PublicityConsentSchema(Schema):
    show_growth = fields.Bool(load_default=False)


class PublicityReportQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))
    year = fields.Int(validate=validate.Range(min=2000, max=2100))


class PublicityReportSchema(Schema):
    id = fields.Int(dump_only=True)
    organization_id = fields.Int()
    outlet = fields.Str(required=True, validate=validate.Length(min=1, max=80))
    published_on = fields.Date(required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    link = HttpUrl(required=True, validate=validate.Length(min=1, max=500))
    has_scan = fields.Function(lambda r: r.scan_key is not None, dump_only=True)
    people = fields.List(fields.Nested(PublicityPersonRefSchema), dump_only=True)
    person_ids = fields.List(fields.Int(), load_only=True, validate=validate.Length(max=50))


class PublicityReachQuerySchema(Schema):
    year = fields.Int(required=True, validate=validate.Range(min=2000, max=2100))
    month = fields.Int(required=True, validate=validate.Range(min=1, max=12))


class PublicityReachRowSchema(Schema):
    story = fields.Nested(PublicityStoryListSchema)
    views = fields.Int()
