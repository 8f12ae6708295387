"""Shapes of courses, lectures, enrollments and progress in the API; validation of input."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields, validate

from courses.models import CourseStatus, EnrollmentStatus, LectureKind, Visibility
from lms.accounts.models import SkillLevel
from lms.accounts.schemas import HonorSchema, OrganizationRefSchema
from lms.core.apiutil import PageArgsSchema
from lms.core.urls import HttpUrl


def Id(**kwargs) -> fields.Int:  # noqa: N802 - reads like a field class
    """A database id: a positive 32-bit integer, so nonsense never reaches the database."""
    return fields.Int(validate=validate.Range(min=1, max=2_147_483_647), **kwargs)


class LecturerSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    trade = fields.Str(allow_none=True)
    honors = fields.List(fields.Nested(HonorSchema))


class CourseSchema(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    summary = fields.Str(load_default="", validate=validate.Length(max=10000))
    trade = fields.Str(allow_none=True, validate=validate.Length(max=64))
    skill_level = fields.Enum(SkillLevel, by_value=True, allow_none=True)
    hours = fields.Float(load_default=0, validate=validate.Range(min=0, max=1000))
    visibility = fields.Enum(
        Visibility,
        by_value=True,
        load_default=Visibility.organizations,
        metadata={
            "description": "organizations: the chosen ones (or the owner when none is chosen) and everything below them; everyone: the whole city, only for the federation's officers"
        },
    )
    organization_ids = fields.List(Id(), load_only=True, load_default=list)
    lecturer_ids = fields.List(Id(), load_only=True, load_default=list)
    self_enroll = fields.Bool(load_default=True)
    capacity = fields.Int(allow_none=True, load_default=None, validate=validate.Range(min=1))
    linked_class_id = fields.Int(
        allow_none=True, load_default=None, validate=validate.Range(min=1, max=2_147_483_647)
    )
    status = fields.Enum(CourseStatus, by_value=True, dump_only=True)
    organization = fields.Nested(OrganizationRefSchema, dump_only=True)
    organizations = fields.List(fields.Nested(OrganizationRefSchema), dump_only=True)
    lecturers = fields.List(fields.Nested(LecturerSchema), dump_only=True)
    seats_taken = fields.Int(dump_only=True)
    seats_left = fields.Int(dump_only=True, allow_none=True)
    published_at = fields.DateTime(dump_only=True, allow_none=True)


class CourseUpdateSchema(CourseSchema):
    """A course's fields to change; loaded with ``partial=True`` (only the fields sent)."""


class CourseQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=100))
    trade = fields.Str()
    skill_level = fields.Enum(SkillLevel, by_value=True)
    lecturer_id = Id()
    organization_id = Id()
    sort = fields.Str(load_default="newest", validate=validate.OneOf(["newest", "popular"]))


class OptionSchema(Schema):
    """An answer option as learners see it: never whether it is correct."""

    id = fields.Int()
    text = fields.Str()


class QuestionSchema(Schema):
    id = fields.Int()
    text = fields.Str()
    multiple = fields.Bool()
    options = fields.List(fields.Nested(OptionSchema))


class OptionInSchema(Schema):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=500))
    correct = fields.Bool(load_default=False)


class QuestionInSchema(Schema):
    """A quiz question as its author writes it, with the right answers marked."""

    text = fields.Str(required=True, validate=validate.Length(min=1, max=5000))
    multiple = fields.Bool(load_default=False)
    options = fields.List(
        fields.Nested(OptionInSchema), required=True, validate=validate.Length(min=2, max=20)
    )


class LectureSchema(Schema):
    id = fields.Int(dump_only=True)
    course_id = fields.Int(dump_only=True)
    position = fields.Int(dump_only=True)
    kind = fields.Enum(LectureKind, by_value=True, required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    required = fields.Bool(load_default=True)
    body = fields.Str(load_default="", validate=validate.Length(max=200000))
    video_url = HttpUrl(allow_none=True)
    duration_seconds = fields.Int(allow_none=True, validate=validate.Range(min=1, max=24 * 3600))
    starts_at = fields.AwareDateTime(allow_none=True)
    join_url = HttpUrl(allow_none=True)
    pass_mark = fields.Int(load_default=60, validate=validate.Range(min=0, max=100))
    max_attempts = fields.Int(allow_none=True, validate=validate.Range(min=1))
    file_name = fields.Str(dump_only=True, allow_none=True)
    file_size = fields.Int(dump_only=True, allow_none=True)
    media_url = fields.Method("_media_url", dump_only=True, allow_none=True)
    questions = fields.List(
        fields.Nested(QuestionInSchema),
        load_only=True,
        validate=validate.Length(max=200),
        metadata={"description": "a quiz's questions; on PATCH they replace the old ones"},
    )

    def _media_url(self, lecture) -> str | None:
        if lecture.file_key:
            return url_for("courses.lecture_media", lecture_id=lecture.id)
        return lecture.video_url


class LectureUpdateSchema(LectureSchema):
    """A lecture's editable fields (its kind is fixed); loaded with ``partial=True``."""

    class Meta:
        exclude = ("kind",)


class LectureDetailSchema(LectureSchema):
    questions = fields.List(fields.Nested(QuestionSchema), dump_only=True)


class ReorderSchema(Schema):
    lecture_ids = fields.List(Id(), required=True, validate=validate.Length(min=1))


class EnrollmentSchema(Schema):
    id = fields.Int()
    course_id = fields.Int()
    user_id = fields.Int()
    status = fields.Enum(EnrollmentStatus, by_value=True)
    progress_percent = fields.Int()
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    assigned_by_id = fields.Int(allow_none=True)
    last_lecture_id = fields.Int(allow_none=True)


class AssignSchema(Schema):
    user_ids = fields.List(Id(), load_default=list)
    organization_id = Id(allow_none=True, load_default=None)
    due_at = fields.AwareDateTime(allow_none=True, load_default=None)


class AssignResultSchema(Schema):
    added = fields.Int()
    updated = fields.Int()
    waitlisted = fields.Int()


class ProgressInSchema(Schema):
    position_seconds = fields.Int(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=24 * 3600)
    )
    duration_seconds = fields.Int(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=24 * 3600),
        metadata={"description": "the player's measure; used only when the server has none"},
    )
    completed = fields.Bool(load_default=False)


class ProgressSchema(Schema):
    lecture_id = fields.Int()
    position_seconds = fields.Int()
    completed = fields.Bool()
    saved = fields.Bool()


class QuizSubmitSchema(Schema):
    answers = fields.Dict(
        keys=fields.Str(validate=validate.Regexp(r"^\d{1,10}$")),
        values=fields.List(Id()),
        required=True,
    )


class QuizResultSchema(Schema):
    number = fields.Int()
    score = fields.Int()
    passed = fields.Bool()
    pass_mark = fields.Int()
    attempts_left = fields.Int(allow_none=True)
    correct_question_ids = fields.List(fields.Int())
    course_completed = fields.Bool()


class OrgRowSchema(Schema):
    organization = fields.Str()
    enrolled = fields.Int()
    completed = fields.Int()
    rate = fields.Float()


class ReportSchema(Schema):
    enrolled = fields.Int()
    waitlisted = fields.Int()
    in_progress = fields.Int()
    completed = fields.Int()
    completion_rate = fields.Float()
    average_quiz_score = fields.Float(allow_none=True)
    by_organization = fields.List(fields.Nested(OrgRowSchema))
