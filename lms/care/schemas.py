"""Shapes of care records in the API; validation of what comes in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from lms.accounts.models import HonorLevel
from lms.care.models import (
    CaseStatus,
    HelpKind,
    NeedKind,
    NominationStatus,
    ResponseStatus,
    TripKind,
    VisitOccasion,
    VisitStatus,
)
from lms.core.apiutil import PageArgsSchema

_text = validate.Length(max=4000)


class CarePersonSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    employee_no = fields.Str()
    organization_id = fields.Int()


class CareHonorSchema(Schema):
    kind = fields.Str()
    level = fields.Str()
    year = fields.Int()
    title = fields.Str(allow_none=True)


class CarePersonListSchema(CarePersonSchema):
    honors = fields.List(fields.Nested(CareHonorSchema))


class CarePeopleQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))
    level = fields.Enum(HonorLevel, by_value=True)


class CareSituationSchema(Schema):
    id = fields.Int(dump_only=True)
    surveyed_on = fields.Date(allow_none=True)
    housing = fields.Str(allow_none=True, validate=validate.Length(max=200))
    income = fields.Str(allow_none=True, validate=validate.Length(max=200))
    health = fields.Str(allow_none=True, validate=validate.Length(max=200))
    family = fields.Str(allow_none=True, validate=validate.Length(max=200))
    needs = fields.Str(allow_none=True, validate=_text)
    internal = fields.Bool(load_default=False)


class CareTimelineEntrySchema(Schema):
    day = fields.Date()
    kind = fields.Str()
    title = fields.Str()
    detail = fields.Str()
    internal = fields.Bool()
    case_id = fields.Int(allow_none=True)


class CareFileSchema(Schema):
    person = fields.Nested(CarePersonListSchema)
    own = fields.Bool()
    situation = fields.Nested(CareSituationSchema, allow_none=True)
    open_cases = fields.Int()
    timeline = fields.List(fields.Nested(CareTimelineEntrySchema))


class CareDutySchema(Schema):
    id = fields.Int(dump_only=True)
    user_id = fields.Int(required=True)
    organization_id = fields.Int(required=True)
    granted_by_id = fields.Int(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class CareStepSchema(Schema):
    id = fields.Int(dump_only=True)
    case_id = fields.Int(dump_only=True)
    text = fields.Str(required=True, validate=validate.Length(min=1, max=500))
    due_on = fields.Date(required=True)
    done_on = fields.Date(dump_only=True, allow_none=True)
    note = fields.Str(dump_only=True, allow_none=True)
    internal = fields.Bool(load_default=False)


class CareStepDoneSchema(Schema):
    note = fields.Str(allow_none=True, validate=validate.Length(max=500))


class CarePaymentSchema(Schema):
    id = fields.Int(dump_only=True)
    case_id = fields.Int(dump_only=True, allow_none=True)
    kind = fields.Enum(HelpKind, by_value=True, allow_none=True)
    # Yuan as a string ("2000.50") keeps the exact decimal; the service checks the range.
    amount = fields.Str(required=True, validate=validate.Length(min=1, max=20))
    year = fields.Int(dump_only=True)
    paid_on = fields.Date(allow_none=True)
    note = fields.Str(allow_none=True, validate=validate.Length(max=200))


class CareCaseSchema(Schema):
    id = fields.Int(dump_only=True)
    person = fields.Nested(CarePersonSchema, dump_only=True)
    person_id = fields.Int(required=True, load_only=True)
    organization_id = fields.Int(dump_only=True)
    need = fields.Enum(NeedKind, by_value=True, required=True)
    help_kind = fields.Enum(HelpKind, by_value=True, required=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    description = fields.Str(allow_none=True, validate=_text)
    owner_id = fields.Int(allow_none=True)
    status = fields.Enum(CaseStatus, by_value=True, dump_only=True)
    opened_on = fields.Date(dump_only=True)
    closed_on = fields.Date(dump_only=True, allow_none=True)
    outcome = fields.Str(dump_only=True, allow_none=True)
    internal = fields.Bool(load_default=False)


class CareCaseDetailSchema(CareCaseSchema):
    steps = fields.List(fields.Nested(CareStepSchema), dump_only=True)
    payments = fields.List(fields.Nested(CarePaymentSchema), dump_only=True)


class CareCaseQuerySchema(PageArgsSchema):
    status = fields.Enum(CaseStatus, by_value=True)
    need = fields.Enum(NeedKind, by_value=True)
    overdue = fields.Bool(load_default=False)
    q = fields.Str(validate=validate.Length(max=64))


class CareCloseSchema(Schema):
    outcome = fields.Str(required=True, validate=validate.Length(min=1, max=4000))


class CareVisitSchema(Schema):
    id = fields.Int(dump_only=True)
    person = fields.Nested(CarePersonSchema, dump_only=True)
    person_id = fields.Int(required=True, load_only=True)
    occasion = fields.Enum(VisitOccasion, by_value=True, required=True)
    status = fields.Enum(VisitStatus, by_value=True, dump_only=True)
    planned_on = fields.Date(required=True)
    visited_on = fields.Date(dump_only=True, allow_none=True)
    visitors = fields.Str(allow_none=True, validate=validate.Length(max=200))
    given = fields.Str(dump_only=True, allow_none=True)
    note = fields.Str(allow_none=True, validate=_text)
    internal = fields.Bool(load_default=False)


class CareVisitQuerySchema(PageArgsSchema):
    status = fields.Enum(VisitStatus, by_value=True)
    occasion = fields.Enum(VisitOccasion, by_value=True)
    q = fields.Str(validate=validate.Length(max=64))


class CareVisitRecordSchema(Schema):
    visited_on = fields.Date(allow_none=True)
    visitors = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    given = fields.Str(allow_none=True, validate=validate.Length(max=200))
    note = fields.Str(allow_none=True, validate=_text)


class CareBatchSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    year = fields.Int(required=True, validate=validate.Range(2000, 2100))
    organization_id = fields.Int(required=True)
    # Honour levels that make a person eligible, e.g. ["national", "provincial"].
    levels = fields.Method("_dump_levels", deserialize="_load_levels", required=True)
    place = fields.Str(allow_none=True, validate=validate.Length(max=200))

    def _dump_levels(self, batch) -> list[str]:
        return [lv for lv in batch.levels.split(",") if lv]

    def _load_levels(self, value) -> list[str]:
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(lv, str) and lv in HonorLevel.__members__ for lv in value)
        ):
            raise ValidationError(
                str(_l("请选择荣誉级别：national、provincial、city、enterprise。"))
            )
        return value


class CareSurveySchema(CareBatchSchema):
    """A living-conditions survey campaign (sent to everyone in scope when created)."""

    class Meta:
        exclude = ("year", "place")

    intro = fields.Str(allow_none=True, validate=_text)
    closes_on = fields.Date(required=True)
    sent_at = fields.DateTime(dump_only=True, allow_none=True)
    asked = fields.Int(dump_only=True)
    answered = fields.Int(dump_only=True)
    needs_flagged = fields.Int(dump_only=True)
    needs_cased = fields.Int(dump_only=True)


class CareSurveyQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))


class CareResponseQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))
    status = fields.Enum(ResponseStatus, by_value=True)


class CareSurveyNeedSchema(Schema):
    id = fields.Int()
    need = fields.Enum(NeedKind, by_value=True)
    case_id = fields.Int(allow_none=True)


class CareResponseListSchema(Schema):
    """A person's place in a survey, without the answers."""

    id = fields.Int()
    survey_id = fields.Int()
    person = fields.Nested(CarePersonSchema)
    status = fields.Enum(ResponseStatus, by_value=True)
    via = fields.Str(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)
    needs = fields.List(fields.Nested(CareSurveyNeedSchema))


class CareResponseSchema(CareResponseListSchema):
    """With the answers (a read by anyone but the person is audited)."""

    situation = fields.Nested(CareSituationSchema, allow_none=True)
    closes_on = fields.Date(attribute="survey.closes_on")
    survey_name = fields.Str(attribute="survey.name")


class CareAnswerSchema(Schema):
    surveyed_on = fields.Date(allow_none=True)
    housing = fields.Str(allow_none=True, validate=validate.Length(max=200))
    income = fields.Str(allow_none=True, validate=validate.Length(max=200))
    health = fields.Str(allow_none=True, validate=validate.Length(max=200))
    family = fields.Str(allow_none=True, validate=validate.Length(max=200))
    needs = fields.Str(allow_none=True, validate=_text)
    flagged = fields.List(
        fields.Enum(NeedKind, by_value=True), load_default=list, validate=validate.Length(max=5)
    )


class CareCheckupSchema(Schema):
    id = fields.Int()
    batch_id = fields.Int()
    person = fields.Nested(CarePersonSchema)
    appointment_on = fields.Date(allow_none=True)
    attended_on = fields.Date(allow_none=True)
    done = fields.Bool()
    result_note = fields.Str(allow_none=True)


class CareBookingSchema(Schema):
    appointment_on = fields.Date(required=True)


class CareCheckupAttendanceSchema(Schema):
    attended_on = fields.Date(allow_none=True)
    result_note = fields.Str(allow_none=True, validate=_text)


class CareCheckupStatusSchema(Schema):
    name = fields.Str()
    organization = fields.Str()
    done = fields.Bool()


class CareTripSchema(Schema):
    id = fields.Int(dump_only=True)
    kind = fields.Enum(TripKind, by_value=True, load_default=TripKind.recuperation)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    place = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    organization_id = fields.Int(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Int(required=True, validate=validate.Range(1, 1000))
    approved_count = fields.Int(dump_only=True)
    itinerary = fields.Str(allow_none=True, validate=_text)
    weight_first_time = fields.Int(load_default=50, validate=validate.Range(0, 100))
    weight_frontline = fields.Int(load_default=30, validate=validate.Range(0, 100))
    weight_honour = fields.Int(load_default=10, validate=validate.Range(0, 100))


class CareTripQuerySchema(PageArgsSchema):
    q = fields.Str(validate=validate.Length(max=64))


class CareTripListQuerySchema(CareTripQuerySchema):
    kind = fields.Enum(TripKind, by_value=True)


class CareTourReportSchema(Schema):
    id = fields.Int(dump_only=True)
    trip_id = fields.Int(dump_only=True)
    person = fields.Nested(CarePersonSchema, dump_only=True)
    title = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    summary = fields.Str(allow_none=True, validate=validate.Length(max=20000))
    file_name = fields.Str(allow_none=True, validate=validate.Length(max=200))
    file_type = fields.Str(dump_only=True, allow_none=True)
    file_size = fields.Int(dump_only=True, allow_none=True)
    # The file's bytes in base64 (up to 20 MB once decoded), with file_name.
    file_base64 = fields.Str(load_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


class CareQuotaSchema(Schema):
    id = fields.Int(dump_only=True)
    organization_id = fields.Int(required=True)
    places = fields.Int(required=True, validate=validate.Range(1, 1000))


class CareNominationSchema(Schema):
    id = fields.Int(dump_only=True)
    trip_id = fields.Int(dump_only=True)
    person = fields.Nested(CarePersonSchema, dump_only=True)
    person_id = fields.Int(required=True, load_only=True)
    frontline = fields.Bool(load_default=False)
    score = fields.Int(dump_only=True)
    status = fields.Enum(NominationStatus, by_value=True, dump_only=True)
    attended = fields.Bool(dump_only=True, allow_none=True)


class CareTripAttendanceSchema(Schema):
    attended = fields.Bool(required=True)


class CareReportQuerySchema(Schema):
    year = fields.Int(validate=validate.Range(2000, 2100))
    from_year = fields.Int(validate=validate.Range(2000, 2100))
    organization_id = fields.Int()


class CareAmountRowSchema(Schema):
    year = fields.Int()
    kind = fields.Str()
    total = fields.Decimal(as_string=True)


class CareServedRowSchema(Schema):
    need = fields.Str()
    level = fields.Str(allow_none=True)
    people = fields.Int()


class CareServedKindRowSchema(Schema):
    kind = fields.Str()
    level = fields.Str(allow_none=True)
    people = fields.Int()


class CareTripsRowSchema(Schema):
    kind = fields.Str()
    approved = fields.Int()
    attended = fields.Int()


class CareReportSchema(Schema):
    from_year = fields.Int()
    year = fields.Int()
    organization_id = fields.Int(allow_none=True)
    served = fields.List(fields.Nested(CareServedRowSchema))
    amounts = fields.List(fields.Nested(CareAmountRowSchema))
    open_cases = fields.Int()
    overdue_followups = fields.Int()
    checkups_on_batches = fields.Int()
    checkups_done = fields.Int()
    trips_approved = fields.Int()
    trips_attended = fields.Int()
    served_by_kind = fields.List(fields.Nested(CareServedKindRowSchema))
    trips_by_kind = fields.List(fields.Nested(CareTripsRowSchema))
