"""Shapes of contests, judging, results and labour competitions in the API; validation of
what comes in. The judges' shapes carry marking codes only: no schema a judge receives has
a field for a contestant's name, employee number or organization."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lms.competitions.labels import LEVEL_LABELS
from lms.competitions.models import Official
from lms.core.apiutil import PageArgsSchema

_money = dict(as_string=True, places=2)


class CompetitionSearchArgsSchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=100))


# --- contests --------------------------------------------------------------------------------


class ContestTradeSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    person_trade = fields.Str(allow_none=True, validate=validate.Length(max=64))
    skill_levels = fields.List(fields.Str(validate=validate.Length(max=32)), allow_none=True)
    min_age = fields.Int(allow_none=True, validate=validate.Range(14, 80))
    max_age = fields.Int(allow_none=True, validate=validate.Range(14, 80))
    drop_extremes = fields.Bool(load_only=True, load_default=False)


class ContestSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    level = fields.Str(load_default="city", validate=validate.OneOf(list(LEVEL_LABELS)))
    venue = fields.Str(load_default="", validate=validate.Length(max=200))
    organization_id = fields.Int(dump_only=True)
    registration_opens_at = fields.AwareDateTime(required=True)
    registration_closes_at = fields.AwareDateTime(required=True)
    theory_weight = fields.Decimal(
        load_default="0.3", as_string=True, places=3, validate=validate.Range(0, 1)
    )
    chief_technician_places = fields.Int(load_default=0, validate=validate.Range(0, 10000))
    technical_expert_places = fields.Int(load_default=0, validate=validate.Range(0, 10000))
    revealed_at = fields.AwareDateTime(dump_only=True)
    released_at = fields.AwareDateTime(dump_only=True)


class ContestQuotaSchema(Schema):
    organization_id = fields.Int(required=True)
    organization = fields.Str(dump_only=True)
    places = fields.Int(required=True, validate=validate.Range(0, 10000))
    used = fields.Int(dump_only=True)


class ContestOfficialSchema(Schema):
    id = fields.Int(dump_only=True)
    trade_id = fields.Int(required=True)
    user_id = fields.Int(required=True, load_only=True)
    name = fields.Function(lambda a: a.user.name, dump_only=True)
    official = fields.Str(required=True, validate=validate.OneOf(list(Official)))
    conflicts = fields.Str(load_default="", validate=validate.Length(max=255))


class ContestDetailSchema(ContestSchema):
    trades = fields.List(fields.Nested(ContestTradeSchema), dump_only=True)
    quotas = fields.List(fields.Nested(ContestQuotaSchema), dump_only=True)
    organizer = fields.Bool(dump_only=True)


class ContestantSchema(Schema):
    """A contestant as officers see them: never the secret marking code."""

    id = fields.Int(dump_only=True)
    number = fields.Int(dump_only=True)
    trade_id = fields.Int(required=True)
    user_id = fields.Int(required=True)
    name = fields.Function(lambda c: c.user.name, dump_only=True)
    organization_id = fields.Int(dump_only=True)
    theory_score = fields.Decimal(dump_only=True, allow_none=True, **_money)


class ContestTheoryScoreSchema(Schema):
    score = fields.Decimal(required=True, validate=validate.Range(0, 100), **_money)


class ContestStandingSchema(Schema):
    trade_id = fields.Int()
    rank = fields.Int()
    number = fields.Int()
    name = fields.Str(metadata={"description": "masked (张*)"})
    organization = fields.Str()
    theory = fields.Decimal(allow_none=True, **_money)
    practical = fields.Decimal(allow_none=True, **_money)
    total = fields.Decimal(**_money)
    title = fields.Str(allow_none=True)


# --- judging ---------------------------------------------------------------------------------


class JudgeDutySchema(Schema):
    official = fields.Str()
    trade_id = fields.Int()
    trade = fields.Str()
    contest_id = fields.Int()
    contest = fields.Str()


class JudgeCodeSchema(Schema):
    code = fields.Str()
    submitted = fields.Bool()


class JudgeCriterionSchema(Schema):
    code = fields.Str()
    title = fields.Str()
    kind = fields.Str()
    max_mark = fields.Decimal(**_money)
    allowed = fields.List(fields.Decimal(**_money))
    levels = fields.List(fields.Str(), allow_none=True)


class JudgeSheetSchema(Schema):
    code = fields.Str()
    locked = fields.Bool()
    criteria = fields.List(fields.Nested(JudgeCriterionSchema))
    mine = fields.Dict(keys=fields.Str(), values=fields.Decimal(**_money), allow_none=True)
    others = fields.List(
        fields.Dict(keys=fields.Str(), values=fields.Decimal(**_money)),
        metadata={"description": "the other judges' marks, unnamed, once all have submitted"},
    )


class JudgeMarksSchema(Schema):
    marks = fields.Dict(
        keys=fields.Str(validate=validate.Length(max=40)),
        values=fields.Decimal(allow_nan=False),
        required=True,
        metadata={"description": "aspect code → mark (measurement) or level 0–3 (judgement)"},
    )


class ChiefCodeReviewSchema(Schema):
    code = fields.Str()
    submitted = fields.Int()
    flags = fields.List(fields.Str())


class ChiefViewSchema(Schema):
    locked = fields.Bool()
    scorers = fields.Int()
    open_flags = fields.Int()
    codes = fields.List(fields.Nested(ChiefCodeReviewSchema))


class ChiefResolutionSchema(Schema):
    code = fields.Str(required=True, validate=validate.Length(max=12))
    criterion = fields.Str(required=True, validate=validate.Length(max=40))
    level = fields.Int(required=True, validate=validate.Range(0, 3))
    note = fields.Str(load_default="", validate=validate.Length(max=255))


class ContestRevealSchema(Schema):
    login = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "the other official's employee number (or mobile)"},
    )
    password = fields.Str(required=True, load_only=True, validate=validate.Length(max=200))


# --- contestants and the public --------------------------------------------------------------


class ContestEntrySchema(Schema):
    contest_id = fields.Function(lambda e: e.contest.id)
    contest = fields.Function(lambda e: e.contest.name)
    trade = fields.Function(lambda e: e.trade.name)
    number = fields.Function(lambda e: e.contestant.number)
    released = fields.Bool()
    modules = fields.Dict(keys=fields.Str(), values=fields.Decimal(**_money))
    theory = fields.Decimal(allow_none=True, **_money)
    practical = fields.Decimal(allow_none=True, **_money)
    total = fields.Decimal(allow_none=True, **_money)
    rank = fields.Int(allow_none=True)
    entrants = fields.Int()
    title = fields.Str(allow_none=True)


class PublicContestSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    level = fields.Str()
    released_at = fields.AwareDateTime()


class PublicTradeSchema(Schema):
    trade_id = fields.Int()
    trade = fields.Str()
    rows = fields.List(fields.Nested(ContestStandingSchema))


class PublicResultsSchema(PublicContestSchema):
    trades = fields.List(fields.Nested(PublicTradeSchema))


# --- labour competitions ---------------------------------------------------------------------


class LabourCompetitionSchema(Schema):
    id = fields.Int(dump_only=True)
    organization_id = fields.Int(required=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))


class LabourIndicatorSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    weight = fields.Decimal(required=True, validate=validate.Range(0.01, 10000), **_money)
    higher_is_better = fields.Bool(load_default=True)


class LabourEntrantSchema(Schema):
    id = fields.Int(dump_only=True)
    team = fields.Str(allow_none=True, validate=validate.Length(min=1, max=120))
    members = fields.Int(load_default=1, validate=validate.Range(1, 10000))
    user_id = fields.Int(allow_none=True)
    name = fields.Str(dump_only=True)


class LabourResultSchema(Schema):
    id = fields.Int(dump_only=True)
    entrant_id = fields.Int(required=True)
    indicator_id = fields.Int(required=True)
    period = fields.Str(required=True, validate=validate.Length(min=1, max=16))
    value = fields.Decimal(required=True, validate=validate.Range(-1e12, 1e12), **_money)


class LabourRankSchema(Schema):
    rank = fields.Int()
    entrant_id = fields.Int()
    name = fields.Str()
    score = fields.Decimal(**_money)


class LabourDetailSchema(LabourCompetitionSchema):
    indicators = fields.List(fields.Nested(LabourIndicatorSchema))
    entrants = fields.List(fields.Nested(LabourEntrantSchema))
    ranking = fields.List(fields.Nested(LabourRankSchema))
    person_times = fields.Int()
