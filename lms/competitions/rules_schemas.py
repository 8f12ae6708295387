"""Marshmallow schemas of the contest rules' API (appeals and titles): every input checked,
every output shaped. Nothing here carries a contestant's name."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class AppealInSchema(Schema):
    reason = fields.Str(required=True, validate=validate.Length(min=1, max=2000))


class RemarkSchema(Schema):
    scorer_id = fields.Int(required=True)
    criterion = fields.Str(required=True, validate=validate.Length(min=1, max=40))
    value = fields.Decimal(required=True, as_string=True, places=2)


class DecisionInSchema(Schema):
    outcome = fields.Str(required=True, validate=validate.OneOf(["upheld", "dismissed"]))
    decision = fields.Str(required=True, validate=validate.Length(min=1, max=2000))
    remarks = fields.List(fields.Nested(RemarkSchema), load_default=list)


class AppealSchema(Schema):
    id = fields.Int()
    contestant_id = fields.Int()
    trade_id = fields.Int()
    reason = fields.Str()
    status = fields.Str(metadata={"description": "pending, upheld or dismissed"})
    filed_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decision = fields.Str()
    remarked = fields.Int(metadata={"description": "marks the re-mark changed"})


class ProposedTitleSchema(Schema):
    contestant_id = fields.Int()
    trade_id = fields.Int()
    trade = fields.Str()
    title = fields.Str(metadata={"description": "chief_technician or technical_expert"})
    rank = fields.Int()
    total = fields.Decimal(as_string=True)


class TitlesSchema(Schema):
    notice_days = fields.Int()
    notice_ends_at = fields.DateTime(allow_none=True)
    conferred_at = fields.DateTime(allow_none=True)
    titles = fields.List(fields.Nested(ProposedTitleSchema))


class ConferredSchema(Schema):
    conferred = fields.Int(metadata={"description": "titles conferred now (0: already were)"})
