"""Shapes of the growth record and the overview in the API; validation of the query."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class GrowthEntrySchema(Schema):
    link = fields.Str()
    kind = fields.Str()
    title = fields.Str()
    on = fields.Date()
    detail = fields.Str()
    url = fields.Str(allow_none=True)
    hours = fields.Float(allow_none=True)
    private = fields.Bool()


class GrowthPersonSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    organization_id = fields.Int()


class GrowthRecordSchema(Schema):
    person = fields.Nested(GrowthPersonSchema)
    hours = fields.Float()
    entries = fields.List(fields.Nested(GrowthEntrySchema))


class OverviewQuerySchema(Schema):
    organization_id = fields.Int(load_default=None, validate=validate.Range(min=1))
    year = fields.Int(load_default=None, validate=validate.Range(min=2000, max=2100))


class FigureSchema(Schema):
    link = fields.Str()
    key = fields.Str()
    label = fields.Str()
    value = fields.Float()
    unit = fields.Str()
    drill_url = fields.Str(allow_none=True)
    by_month = fields.Dict(keys=fields.Str(), values=fields.Float())
    by_child = fields.Dict(keys=fields.Str(), values=fields.Float())


class OverviewOrganizationSchema(Schema):
    id = fields.Int()
    name = fields.Str()


class OverviewSchema(Schema):
    organization = fields.Nested(OverviewOrganizationSchema)
    year = fields.Int()
    children = fields.List(fields.Nested(OverviewOrganizationSchema))
    figures = fields.List(fields.Nested(FigureSchema))
