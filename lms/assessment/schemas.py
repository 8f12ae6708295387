"""Marshmallow schemas of the assessment API: every input checked, every output shaped.
Keys (right options, accepted answers) appear only in the managers' question schema and in
a sitting's items once the sitting is closed and revealed."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

KINDS = ["single", "multiple", "true_false", "fill"]


class BankInSchema(Schema):
    organization_id = fields.Int(required=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    subject = fields.Str(load_default="", validate=validate.Length(max=64))


class BankSchema(Schema):
    id = fields.Int(dump_only=True)
    organization_id = fields.Int()
    name = fields.Str()
    subject = fields.Str()
    created_at = fields.DateTime()


class PoolSchema(Schema):
    topic = fields.Str()
    difficulty = fields.Int()
    questions = fields.Int()


class BankDetailSchema(BankSchema):
    pools = fields.List(fields.Nested(PoolSchema))


class BankQuestionInSchema(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(KINDS))
    text = fields.Str(required=True, validate=validate.Length(max=4000))
    topic = fields.Str(required=True, validate=validate.Length(max=64))
    difficulty = fields.Int(load_default=2, validate=validate.Range(min=1, max=3))
    options = fields.List(
        fields.Str(validate=validate.Length(max=500)),
        load_default=list,
        validate=validate.Length(max=8),
    )
    answer = fields.List(
        fields.Raw(),
        required=True,
        validate=validate.Length(max=20),
        metadata={
            "description": "option indexes (0 = first; true/false: 0 true, 1 false), or accepted texts for fill-in"
        },
    )
    points = fields.Decimal(load_default=1, as_string=True, places=2)
    explanation = fields.Str(load_default="", validate=validate.Length(max=4000))


class BankQuestionSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    text = fields.Str()
    topic = fields.Str()
    difficulty = fields.Int()
    options = fields.List(fields.Str())
    key = fields.List(
        fields.Raw(), metadata={"description": "right option indexes or accepted texts"}
    )
    points = fields.Decimal(as_string=True)
    explanation = fields.Str()
    retired = fields.Bool()


class ImportResultSchema(Schema):
    created = fields.Int()
    rows = fields.Int()
    errors = fields.List(fields.Str(), metadata={"description": "第 N 行（列）：… per problem"})


class BlueprintPartSchema(Schema):
    topic = fields.Str(
        load_default="", validate=validate.Length(max=64), metadata={"description": "'' for any"}
    )
    difficulty = fields.Int(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=3)
    )
    count = fields.Int(required=True, validate=validate.Range(min=1, max=200))


class ExamInSchema(Schema):
    bank_id = fields.Int(required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    blueprint = fields.List(
        fields.Nested(BlueprintPartSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    duration_minutes = fields.Int(required=True, validate=validate.Range(min=1, max=1440))
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(load_default=None, allow_none=True)
    partial_credit = fields.Decimal(
        load_default=0, as_string=True, validate=validate.Range(min=0, max=1, max_inclusive=False)
    )
    pass_mark = fields.Int(load_default=60, validate=validate.Range(min=0, max=100))
    open_to_scope = fields.Bool(load_default=True)


class ExamSchema(Schema):
    id = fields.Int()
    organization_id = fields.Int()
    bank_id = fields.Int()
    title = fields.Str()
    blueprint = fields.List(fields.Dict())
    question_count = fields.Int()
    duration_minutes = fields.Int()
    opens_at = fields.DateTime()
    closes_at = fields.DateTime(allow_none=True)
    partial_credit = fields.Decimal(as_string=True)
    pass_mark = fields.Int()
    open_to_scope = fields.Bool()


class SittingSummarySchema(Schema):
    id = fields.Int()
    exam_id = fields.Int()
    user_id = fields.Int()
    started_at = fields.DateTime()
    deadline = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    closed_by = fields.Str(allow_none=True)
    score = fields.Decimal(as_string=True, allow_none=True)
    max_score = fields.Decimal(as_string=True)
    percent = fields.Decimal(as_string=True, allow_none=True)


class ResultRowSchema(SittingSummarySchema):
    name = fields.Str(attribute="user.name")


class PaperItemSchema(Schema):
    position = fields.Int()
    kind = fields.Str()
    text = fields.Str()
    options = fields.List(
        fields.Str(),
        metadata={"description": "in the order shown; true/false: empty (0 true, 1 false)"},
    )
    chosen = fields.List(fields.Int(), metadata={"description": "shown positions chosen"})
    written = fields.Str()
    points = fields.Decimal(as_string=True)
    mark = fields.Decimal(as_string=True, allow_none=True)
    right = fields.List(fields.Int(), metadata={"description": "only once revealed"})
    accepted = fields.List(fields.Str(), metadata={"description": "only once revealed"})
    explanation = fields.Str()


class SittingSchema(SittingSummarySchema):
    revealed = fields.Bool()
    seconds_left = fields.Int()
    items = fields.List(fields.Nested(PaperItemSchema))


class AnswerInSchema(Schema):
    choices = fields.List(
        fields.Int(),
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=8),
        metadata={"description": "shown positions, 0 for the first option shown"},
    )
    text = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=200))


class AnswerSchema(Schema):
    position = fields.Int()
    saved = fields.Bool()


class MyExamSchema(ExamSchema):
    state = fields.Str(metadata={"description": "upcoming | open | over"})
    sitting_id = fields.Int(allow_none=True)


class ImportInSchema(Schema):
    filename = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "ends in .xlsx or .csv"},
    )
    content = fields.Str(
        required=True,
        validate=validate.Length(max=14_000_000),
        metadata={"description": "the file, base64-encoded"},
    )
