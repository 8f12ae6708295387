from marshmallow import Schema, fields, validate

from lms.core.apiutil import PageArgsSchema


class AuditEntrySchema(Schema):
    id = fields.Int()
    created_at = fields.DateTime()
    actor_id = fields.Int(allow_none=True)
    actor_name = fields.Function(lambda e: e.actor.name if e.actor else None)
    action = fields.Str()
    entity_type = fields.Str()
    entity_id = fields.Int(allow_none=True)
    organization_id = fields.Int(allow_none=True)
    summary = fields.Str()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class AuditQuerySchema(PageArgsSchema):
    action = fields.Str(validate=validate.Length(max=64))
    q = fields.Str(validate=validate.Length(max=64))
