from marshmallow import Schema, fields, validate

from lms.core.apiutil import PageArgsSchema
from lms.notifications.models import Cadence, Category


class NotificationSchema(Schema):
    id = fields.Int()
    category = fields.Enum(Category)
    title = fields.Str()
    body = fields.Str()
    link = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationQuerySchema(PageArgsSchema):
    unread = fields.Bool(load_default=False)


class UnreadCountSchema(Schema):
    unread = fields.Int()


class ReadAllSchema(Schema):
    marked = fields.Int()


class PreferenceSchema(Schema):
    category = fields.Enum(Category, required=True)
    in_app = fields.Bool(required=True)
    email = fields.Bool(required=True)
    cadence = fields.Enum(Cadence, load_default=Cadence.immediate)
    digest_hour = fields.Int(load_default=18, validate=validate.Range(min=0, max=23))
    locked = fields.Bool(dump_only=True)
    label = fields.Str(dump_only=True)
