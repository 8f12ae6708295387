"""Shapes of classes, sessions, rosters and attendance in the API; validation of input."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from lms.core.urls import HttpUrl
from lms.training.models import (
    AttendanceStatus,
    CheckinMethod,
    RegistrationMode,
    RosterStatus,
    SessionStatus,
)


class PersonRefSchema(Schema):
    id = fields.Int()
    employee_no = fields.Str()
    name = fields.Str()


class ClassSchema(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    description = fields.Str(load_default="", validate=validate.Length(max=5000))
    organization_id = fields.Int(required=True)
    officer_id = fields.Int(dump_only=True, allow_none=True)
    instructors = fields.List(fields.Nested(PersonRefSchema), dump_only=True)
    instructor_ids = fields.List(fields.Int(), load_only=True, load_default=list)
    capacity = fields.Int(allow_none=True, load_default=None, validate=validate.Range(min=1))
    location = fields.Str(load_default="", validate=validate.Length(max=200))
    online_url = HttpUrl(load_default="")
    registration_mode = fields.Enum(
        RegistrationMode, by_value=True, load_default=RegistrationMode.assigned
    )
    registration_deadline = fields.AwareDateTime(allow_none=True, load_default=None)
    city_wide = fields.Bool(load_default=False)
    late_threshold_minutes = fields.Int(load_default=10, validate=validate.Range(min=0, max=240))
    checkin_window_minutes = fields.Int(load_default=30, validate=validate.Range(min=1, max=240))
    checkin_networks = fields.Method(
        "_dump_networks",
        deserialize="_load_networks",
        load_default=list,
        metadata={"description": "CIDR ranges check-in is accepted from; empty: anywhere"},
    )
    qr_window_seconds = fields.Int(
        allow_none=True, load_default=None, validate=validate.Range(min=3, max=60)
    )
    completion_rate = fields.Float(load_default=0.8, validate=validate.Range(min=0, max=1))
    low_attendance_rate = fields.Float(load_default=0.8, validate=validate.Range(min=0, max=1))
    low_attendance_min_sessions = fields.Int(load_default=3, validate=validate.Range(min=1))
    completed_at = fields.AwareDateTime(dump_only=True, allow_none=True)

    def _dump_networks(self, training_class) -> list[str]:
        return training_class.checkin_networks.split()

    def _load_networks(self, value) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_('请填写网段列表，例如 ["10.8.0.0/16"]。'))
        return value


class ClassUpdateSchema(ClassSchema):
    class Meta:
        exclude = ("organization_id",)


class RecurrenceSchema(Schema):
    weekdays = fields.List(fields.Int(validate=validate.Range(min=0, max=6)), load_default=list)
    interval = fields.Int(load_default=1, validate=validate.Range(min=1, max=52))
    until = fields.Date(allow_none=True, load_default=None)
    count = fields.Int(allow_none=True, load_default=None)


class ScheduleSchema(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    room = fields.Str(load_default="", validate=validate.Length(max=120))
    instructor_id = fields.Int(allow_none=True, load_default=None)
    recurrence = fields.Nested(RecurrenceSchema, allow_none=True, load_default=None)


class SessionSchema(Schema):
    id = fields.Int()
    class_id = fields.Int()
    title = fields.Function(lambda s: s.training_class.title)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    room = fields.Str()
    instructor_id = fields.Int(allow_none=True)
    status = fields.Enum(SessionStatus, by_value=True)
    cancel_reason = fields.Str()
    series_id = fields.Str(allow_none=True)
    sequence = fields.Int()


class SessionUpdateSchema(Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    room = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=120))
    instructor_id = fields.Int(allow_none=True, load_default=None)
    apply_to = fields.Str(load_default="one", validate=validate.OneOf(["one", "following"]))


class CancelSchema(Schema):
    reason = fields.Str(load_default="", validate=validate.Length(max=255))
    apply_to = fields.Str(load_default="one", validate=validate.OneOf(["one", "following"]))


class RosterEntrySchema(Schema):
    user = fields.Nested(PersonRefSchema)
    status = fields.Enum(RosterStatus, by_value=True)
    waitlist_position = fields.Int(allow_none=True)
    seated_at = fields.AwareDateTime(allow_none=True)
    waitlisted_at = fields.AwareDateTime(allow_none=True)


class RosterAddSchema(Schema):
    user_ids = fields.List(fields.Int(), load_default=list, validate=validate.Length(max=2000))
    organization_id = fields.Int(allow_none=True, load_default=None)
    trade = fields.Str(allow_none=True, load_default=None)

    @validates_schema
    def _one_way(self, data, **kwargs):
        if not data["user_ids"] and not data["organization_id"]:
            raise ValidationError(
                _("请选择学员（user_ids）或单位（organization_id）。"), "user_ids"
            )


class RosterResultSchema(Schema):
    seated = fields.List(fields.Int())
    waitlisted = fields.List(fields.Int())
    already = fields.List(fields.Int())


class CheckinSchema(Schema):
    token = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=500))
    code = fields.Str(
        allow_none=True,
        load_default=None,
        validate=validate.Regexp(r"^\s*\d{6}\s*$", error=_l("签到码是 6 位数字。")),
    )

    @validates_schema
    def _one(self, data, **kwargs):
        if not data["token"] and not data["code"]:
            raise ValidationError(_("请提供二维码（token）或签到码（code）。"), "code")


class AttendanceSchema(Schema):
    session_id = fields.Int()
    user_id = fields.Int()
    status = fields.Enum(AttendanceStatus, by_value=True)
    checked_in_at = fields.AwareDateTime(allow_none=True)
    method = fields.Enum(CheckinMethod, by_value=True)


class GridRowSchema(Schema):
    user = fields.Nested(PersonRefSchema)
    status = fields.Function(lambda r: r.attendance.status.value if r.attendance else None)
    checked_in_at = fields.Function(
        lambda r: (
            r.attendance.checked_in_at.isoformat()
            if r.attendance and r.attendance.checked_in_at
            else None
        )
    )


class MarkSchema(Schema):
    user_id = fields.Int(required=True)
    status = fields.Enum(AttendanceStatus, by_value=True, required=True)


class MarksSchema(Schema):
    marks = fields.List(
        fields.Nested(MarkSchema), required=True, validate=validate.Length(min=1, max=2000)
    )


class ExcuseCreateSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=500))


class DecisionSchema(Schema):
    approve = fields.Bool(required=True)


class ExcuseSchema(Schema):
    id = fields.Int()
    session_id = fields.Int()
    user_id = fields.Int()
    reason = fields.Str()
    status = fields.Str(attribute="status.value")


class MatrixRowSchema(Schema):
    user = fields.Nested(PersonRefSchema)
    cells = fields.Function(lambda r: [c.value if c else None for c in r.cells])
    rate = fields.Float(allow_none=True)


class MatrixSchema(Schema):
    sessions = fields.List(fields.Nested(SessionSchema))
    rows = fields.List(fields.Nested(MatrixRowSchema))


class SummaryArgsSchema(Schema):
    organization_id = fields.Int(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)


class SummaryRowSchema(Schema):
    organization_id = fields.Function(lambda r: r.organization.id)
    organization = fields.Function(lambda r: r.organization.name)
    classes = fields.Int()
    sessions = fields.Int()
    person_times = fields.Int()
    hours = fields.Float()
    person_hours = fields.Float()
    rate = fields.Float(allow_none=True)


class SummarySchema(Schema):
    rows = fields.List(fields.Nested(SummaryRowSchema))
    total = fields.Nested(SummaryRowSchema)


class HistoryRowSchema(Schema):
    session_id = fields.Function(lambda r: r[1].id)
    class_id = fields.Function(lambda r: r[2].id)
    title = fields.Function(lambda r: r[2].title)
    starts_at = fields.Function(lambda r: r[1].starts_at.isoformat())
    status = fields.Function(lambda r: r[0].status.value)
    checked_in_at = fields.Function(
        lambda r: r[0].checked_in_at.isoformat() if r[0].checked_in_at else None
    )
