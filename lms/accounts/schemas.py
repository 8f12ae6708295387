"""Shapes of people, organizations and tokens in the API; validation of what comes in."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema, fields, validate

from lms.accounts.masking import mask_id_number, mask_mobile
from lms.accounts.models import HonorKind, HonorLevel, OrgKind, Role, SkillLevel
from lms.core.apiutil import PageArgsSchema


class OrganizationSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.Enum(OrgKind, by_value=True, required=True)
    parent_id = fields.Int(allow_none=True, load_default=None)
    path = fields.Str(dump_only=True)


class OrganizationRefSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    kind = fields.Enum(OrgKind, by_value=True)


class HonorSchema(Schema):
    id = fields.Int(dump_only=True)
    kind = fields.Enum(HonorKind, by_value=True, required=True)
    level = fields.Enum(HonorLevel, by_value=True, required=True)
    year = fields.Int(required=True, validate=validate.Range(min=1950, max=2100))
    title = fields.Str(allow_none=True, validate=validate.Length(max=120))
    citation = fields.Str(allow_none=True, validate=validate.Length(max=4000))


class SkillChangeSchema(Schema):
    id = fields.Int(dump_only=True)
    user_id = fields.Int(dump_only=True)
    from_level = fields.Enum(SkillLevel, by_value=True, dump_only=True, allow_none=True)
    to_level = fields.Enum(SkillLevel, by_value=True, required=True)
    changed_on = fields.Date(required=True)
    certificate_no = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    issuing_body = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    recorded_by_id = fields.Int(dump_only=True, allow_none=True)


class UserSchema(Schema):
    """A person as others see them. Mobile and ID numbers are masked unless it is yourself."""

    id = fields.Int(dump_only=True)
    employee_no = fields.Str()
    name = fields.Str()
    mobile = fields.Method("_mobile")
    id_number = fields.Method("_id_number")
    email = fields.Str(allow_none=True)
    organization = fields.Nested(lambda: OrganizationRefSchema())
    trade = fields.Str(allow_none=True)
    skill_level = fields.Enum(SkillLevel, by_value=True, allow_none=True)
    roles = fields.Method("_roles")
    active = fields.Bool()
    honors = fields.List(fields.Nested(HonorSchema))
    created_at = fields.DateTime()

    def _is_self(self, user) -> bool:
        return current_user.is_authenticated and current_user.id == user.id

    def _mobile(self, user) -> str | None:
        return user.mobile if self._is_self(user) else mask_mobile(user.mobile) or None

    def _id_number(self, user) -> str | None:
        return user.id_number if self._is_self(user) else mask_id_number(user.id_number) or None

    def _roles(self, user) -> list[str]:
        return sorted(r.value for r in user.roles)


class UserCreateSchema(Schema):
    employee_no = fields.Str(
        required=True,
        validate=[validate.Length(min=1, max=32), validate.Regexp(r"^[A-Za-z0-9_-]+$")],
    )
    name = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    mobile = fields.Str(allow_none=True, validate=validate.Regexp(r"^1\d{10}$"))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    organization_id = fields.Int(required=True)
    trade = fields.Str(allow_none=True, validate=validate.Length(max=64))
    skill_level = fields.Enum(SkillLevel, by_value=True, allow_none=True)
    roles = fields.List(
        fields.Enum(Role, by_value=True),
        load_default=lambda: [Role.worker],
        validate=validate.Length(min=1),
    )
    password = fields.Str(required=True, load_only=True, validate=validate.Length(min=8, max=128))


class UserUpdateSchema(Schema):
    name = fields.Str(validate=validate.Length(min=1, max=64))
    mobile = fields.Str(allow_none=True, validate=validate.Regexp(r"^1\d{10}$"))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    trade = fields.Str(allow_none=True, validate=validate.Length(max=64))
    skill_level = fields.Enum(SkillLevel, by_value=True, allow_none=True)
    bio = fields.Str(allow_none=True, validate=validate.Length(max=2000))
    organization_id = fields.Int()
    active = fields.Bool()


class RolesSchema(Schema):
    roles = fields.List(
        fields.Enum(Role, by_value=True), required=True, validate=validate.Length(min=1)
    )


class UserQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))
    organization_id = fields.Int()
    role = fields.Enum(Role, by_value=True)
    trade = fields.Str(validate=validate.Length(max=64))
    skill_level = fields.Enum(SkillLevel, by_value=True)


class TokenCreateSchema(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=80))


class TokenSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    prefix = fields.Str()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.Str(
        attribute="secret", metadata={"description": "The token itself. Shown only this once."}
    )
