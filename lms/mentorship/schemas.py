"""Shapes of pairings, goals and logs in the API; validation of what comes in."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.core.apiutil import PageArgsSchema
from lms.mentorship.models import GoalStatus, LogKind, LogStatus, MentorshipStatus, Resolution


class MentorshipPersonSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    employee_no = fields.Str()
    trade = fields.Str(allow_none=True)


class MentorshipProgrammeSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    organization_id = fields.Int(required=True)
    description = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=4000))


class MentorshipGoalSchema(Schema):
    id = fields.Int(dump_only=True)
    mentorship_id = fields.Int(dump_only=True)
    skill = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    description = fields.Str(allow_none=True, validate=validate.Length(max=2000))
    target_date = fields.Date(allow_none=True)
    status = fields.Enum(GoalStatus, by_value=True, dump_only=True)
    achieved_at = fields.DateTime(dump_only=True, allow_none=True)


class MentorshipGoalCreateSchema(Schema):
    skill = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    description = fields.Str(allow_none=True, validate=validate.Length(max=2000))
    target_date = fields.Date(allow_none=True)


class MentorshipGoalUpdateSchema(Schema):
    skill = fields.Str(validate=validate.Length(min=1, max=120))
    description = fields.Str(allow_none=True, validate=validate.Length(max=2000))
    target_date = fields.Date(allow_none=True)
    status = fields.Enum(GoalStatus, by_value=True)


class MentorshipEventSchema(Schema):
    id = fields.Int()
    actor_id = fields.Int(allow_none=True)
    from_status = fields.Enum(MentorshipStatus, by_value=True, allow_none=True)
    to_status = fields.Enum(MentorshipStatus, by_value=True)
    note = fields.Str(allow_none=True)
    created_at = fields.DateTime()


class MentorshipSchema(Schema):
    id = fields.Int()
    mentor = fields.Nested(MentorshipPersonSchema)
    apprentice = fields.Nested(MentorshipPersonSchema)
    programme_id = fields.Int(allow_none=True)
    organization_id = fields.Int()
    status = fields.Enum(MentorshipStatus, by_value=True)
    requested_by_apprentice = fields.Bool()
    start_date = fields.Date()
    planned_end = fields.Date()
    mentor_signed_at = fields.DateTime(allow_none=True)
    apprentice_signed_at = fields.DateTime(allow_none=True)
    confirmed_hours = fields.Float()
    early_graduation = fields.Bool()
    graduation_approved_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class MentorshipDetailSchema(MentorshipSchema):
    agreement = fields.Str()
    final_assessment = fields.Str(allow_none=True)
    assessed_at = fields.DateTime(allow_none=True)
    graduation_approved_by_id = fields.Int(allow_none=True)
    goals = fields.List(fields.Nested(MentorshipGoalSchema))
    events = fields.List(fields.Nested(MentorshipEventSchema))


class MentorshipQuerySchema(PageArgsSchema):
    status = fields.Enum(MentorshipStatus, by_value=True)
    programme_id = fields.Int()
    organization_id = fields.Int()
    mentor_id = fields.Int()
    q = fields.Str(validate=validate.Length(max=64))


class MentorshipCreateSchema(Schema):
    mentor_id = fields.Int(required=True)
    apprentice_id = fields.Int(required=True)
    programme_id = fields.Int(allow_none=True, load_default=None)
    start_date = fields.Date(required=True)
    planned_end = fields.Date(required=True)
    agreement = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    goals = fields.List(
        fields.Nested(lambda: MentorshipGoalCreateSchema()),
        load_default=list,
        validate=validate.Length(max=20),
    )


class MentorRequestSchema(Schema):
    mentor_id = fields.Int(required=True)
    programme_id = fields.Int(allow_none=True, load_default=None)
    start_date = fields.Date(allow_none=True, load_default=None)
    planned_end = fields.Date(allow_none=True, load_default=None)
    note = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=500))


class MentorshipTransitionSchema(Schema):
    to = fields.Enum(MentorshipStatus, by_value=True, required=True)
    note = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=500))


class MentorshipNoteSchema(Schema):
    note = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=500))


class MentorshipAssessmentSchema(Schema):
    final_assessment = fields.Str(required=True, validate=validate.Length(min=5, max=4000))
    early = fields.Bool(load_default=False)


class MentorshipGraduationSchema(Schema):
    early = fields.Bool(load_default=False)


class MentorCapacitySchema(Schema):
    capacity = fields.Int(required=True, validate=validate.Range(min=0, max=20))


class LogAttachmentSchema(Schema):
    id = fields.Int()
    filename = fields.Str()
    content_type = fields.Str()
    size = fields.Int()


class MentorLogSchema(Schema):
    id = fields.Int(dump_only=True)
    mentorship_id = fields.Int(dump_only=True)
    session_date = fields.Date(required=True)
    minutes = fields.Int(required=True, strict=True)
    kind = fields.Enum(LogKind, by_value=True, required=True)
    topic = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    skills = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=255))
    notes = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    client_token = fields.Str(
        allow_none=True, load_default=None, load_only=True, validate=validate.Length(max=64)
    )
    status = fields.Enum(LogStatus, by_value=True, dump_only=True)
    dispute_reason = fields.Str(dump_only=True, allow_none=True)
    resolution = fields.Enum(Resolution, by_value=True, dump_only=True, allow_none=True)
    resolution_note = fields.Str(dump_only=True, allow_none=True)
    confirmed_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    attachments = fields.List(fields.Nested(LogAttachmentSchema), dump_only=True)


class LogDisputeSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=2, max=500))


class LogResolveSchema(Schema):
    resolution = fields.Enum(Resolution, by_value=True, required=True)
    note = fields.Str(allow_none=True, load_default=None, validate=validate.Length(max=500))


class MentorSuggestionQuerySchema(Schema):
    apprentice_id = fields.Int(required=True)
    limit = fields.Int(load_default=10, validate=validate.Range(min=1, max=50))


class MentorSuggestionSchema(Schema):
    mentor = fields.Nested(MentorshipPersonSchema)
    score = fields.Int()
    load = fields.Int()
    capacity = fields.Int()
    reasons = fields.List(fields.Str())
