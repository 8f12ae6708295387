from marshmallow import Schema, fields, validate

from lms.accounts.masking import mask_name
from lms.certificates.models import CertificateKind
from lms.certificates.services import local_today, verify_url
from lms.core.apiutil import PageArgsSchema


def _state(cert):
    return cert.state(local_today())


class CertificateSchema(Schema):
    id = fields.Int()
    holder_id = fields.Int()
    holder_name = fields.Function(lambda c: c.holder.name)
    kind = fields.Enum(CertificateKind, by_value=True)
    subject_type = fields.Str()
    subject_id = fields.Int()
    title = fields.Str()
    organization = fields.Function(lambda c: c.organization.name)
    issued_on = fields.Date()
    expires_on = fields.Date(allow_none=True)
    serial = fields.Str()
    state = fields.Function(_state)
    revoke_reason = fields.Str(allow_none=True)
    superseded_by_id = fields.Int(allow_none=True)
    verify_url = fields.Function(verify_url)


class VerificationSchema(Schema):
    """What the public may know: no holder id, the name partly masked."""

    kind = fields.Enum(CertificateKind, by_value=True)
    title = fields.Str()
    holder_name = fields.Function(lambda c: mask_name(c.holder.name))
    organization = fields.Function(lambda c: c.organization.name)
    issued_on = fields.Date()
    expires_on = fields.Date(allow_none=True)
    serial = fields.Str()
    state = fields.Function(_state)


class CertificateQuerySchema(PageArgsSchema):
    all = fields.Bool(load_default=False)
    q = fields.Str(validate=validate.Length(max=64))


class RevokeSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=255))


class BatchProgressSchema(Schema):
    id = fields.Int()
    status = fields.Str()
    total = fields.Int()
    done = fields.Int()
    percent = fields.Int()
    zip_ready = fields.Bool()


class BatchCreateSchema(Schema):
    kind = fields.Enum(CertificateKind, by_value=True, required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    subject_type = fields.Str(required=True, validate=validate.Length(min=1, max=32))
    subject_id = fields.Int(required=True, validate=validate.Range(min=1))
    holders = fields.List(
        fields.Str(validate=validate.Length(min=1, max=32)),
        required=True,
        validate=validate.Length(min=1, max=5000),
    )
    issued_on = fields.Date(load_default=None)
    expires_on = fields.Date(load_default=None)
