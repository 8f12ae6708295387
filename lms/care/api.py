"""JSON API of the care link under /api/v1/care/…: the same services and permissions as
the pages (the care duty decides; out-of-scope ids are 404)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.accounts.models import Organization, User
from lms.care import schemas, services
from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated
from lms.errors import NotFound
from lms.extensions import db

blp = api_blueprint(
    "care-api",
    __name__,
    "Care (服务): care files, hardship cases, visits, check-ups, recuperation trips. "
    "Only holders of the care duty for a person's organization (and admins) read care data.",
)


def _org(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None or not services.covers(current_user, organization):
        raise NotFound()
    return organization


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


# --- people and files ------------------------------------------------------------------------


@blp.route("/care/people")
class People(MethodView):
    @blp.arguments(schemas.CarePeopleQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CarePersonListSchema))
    def get(self, args):
        """Honoured people in the caller's care scope."""
        level = args["level"].value if args.get("level") else None
        return paginated(services.people_query(current_user, args.get("q"), level), args)


@blp.route("/care/people/<int:person_id>/file")
class PersonFile(MethodView):
    @blp.response(200, schemas.CareFileSchema)
    def get(self, person_id: int):
        """A person's care file (the read is audited unless it is the caller's own)."""
        return services.care_file(current_user, person_id)


@blp.route("/care/me/file")
class MyFile(MethodView):
    @blp.response(200, schemas.CareFileSchema)
    def get(self):
        """The caller's own care file, without entries the care team keeps internal."""
        return services.care_file(current_user, current_user.id)


@blp.route("/care/people/<int:person_id>/situations")
class Situations(MethodView):
    @blp.arguments(schemas.CareSituationSchema)
    @blp.response(201, schemas.CareSituationSchema)
    def post(self, data, person_id: int):
        """Record a living-situation survey."""
        person = services.get_person(current_user, person_id)
        return services.record_situation(current_user, person, **data)


# --- duties ----------------------------------------------------------------------------------


@blp.route("/care/duties")
class Duties(MethodView):
    @blp.response(200, schemas.CareDutySchema(many=True))
    def get(self):
        """Care duties within the caller's duties (all for admins)."""
        return db.session.scalars(services.duties_query(current_user)).all()

    @blp.arguments(schemas.CareDutySchema)
    @blp.response(201, schemas.CareDutySchema)
    def post(self, data):
        """Grant a duty: admins, or a holder of a duty strictly above the organization."""
        services.require_care_team(current_user)
        return services.grant_duty(
            current_user, _user(data["user_id"]), _org(data["organization_id"])
        )


@blp.route("/care/duties/<int:duty_id>")
class DutyItem(MethodView):
    @blp.response(204)
    def delete(self, duty_id: int):
        """Withdraw a duty (same rule as granting)."""
        services.revoke_duty(current_user, services.get_duty(current_user, duty_id))


# --- cases -----------------------------------------------------------------------------------


@blp.route("/care/cases")
class Cases(MethodView):
    @blp.arguments(schemas.CareCaseQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareCaseSchema))
    def get(self, args):
        """Hardship cases in the caller's care scope."""
        filters = services.CaseFilter(
            status=args["status"].value if args.get("status") else None,
            need=args["need"].value if args.get("need") else None,
            overdue=args["overdue"],
            q=args.get("q"),
        )
        return paginated(services.cases_query(current_user, filters), args)

    @blp.arguments(schemas.CareCaseSchema)
    @blp.response(201, schemas.CareCaseDetailSchema)
    def post(self, data):
        """Open a case for an honoured person."""
        person = services.get_person(current_user, data["person_id"])
        return services.open_case(
            current_user,
            person,
            need=data["need"].value,
            help_kind=data["help_kind"].value,
            title=data["title"],
            description=data.get("description"),
            owner_id=data.get("owner_id"),
            internal=data["internal"],
        )


@blp.route("/care/cases/<int:case_id>")
class CaseItem(MethodView):
    @blp.response(200, schemas.CareCaseDetailSchema)
    def get(self, case_id: int):
        """One case with its steps and payments."""
        return services.get_case(current_user, case_id)


@blp.route("/care/cases/<int:case_id>/steps")
class CaseSteps(MethodView):
    @blp.arguments(schemas.CareStepSchema)
    @blp.response(201, schemas.CareStepSchema)
    def post(self, data, case_id: int):
        """Add a step or follow-up (a due date in the past is refused)."""
        case = services.get_case(current_user, case_id)
        return services.add_step(current_user, case, **data)


@blp.route("/care/steps/<int:step_id>/done")
class StepDone(MethodView):
    @blp.arguments(schemas.CareStepDoneSchema)
    @blp.response(200, schemas.CareStepSchema)
    def post(self, data, step_id: int):
        """Mark a step done."""
        step = services.get_step(current_user, step_id)
        return services.complete_step(current_user, step, data.get("note"))


@blp.route("/care/cases/<int:case_id>/payments")
class CasePayments(MethodView):
    @blp.arguments(schemas.CarePaymentSchema)
    @blp.response(201, schemas.CarePaymentSchema)
    def post(self, data, case_id: int):
        """Record help paid (409 for a second check-up subsidy in a year)."""
        case = services.get_case(current_user, case_id)
        return services.record_payment(
            current_user,
            case,
            amount=data["amount"],
            kind=data["kind"].value if data.get("kind") else None,
            paid_on=data.get("paid_on"),
            note=data.get("note"),
        )


@blp.route("/care/cases/<int:case_id>/close")
class CaseClose(MethodView):
    @blp.arguments(schemas.CareCloseSchema)
    @blp.response(200, schemas.CareCaseDetailSchema)
    def post(self, data, case_id: int):
        """Close a case with its outcome."""
        case = services.get_case(current_user, case_id)
        return services.close_case(current_user, case, data["outcome"])


# --- visits ----------------------------------------------------------------------------------


@blp.route("/care/visits")
class Visits(MethodView):
    @blp.arguments(schemas.CareVisitQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareVisitSchema))
    def get(self, args):
        """Visits in the caller's care scope."""
        filters = services.VisitFilter(
            status=args["status"].value if args.get("status") else None,
            occasion=args["occasion"].value if args.get("occasion") else None,
            q=args.get("q"),
        )
        return paginated(services.visits_query(current_user, filters), args)

    @blp.arguments(schemas.CareVisitSchema)
    @blp.response(201, schemas.CareVisitSchema)
    def post(self, data):
        """Plan a visit."""
        person = services.get_person(current_user, data["person_id"])
        return services.plan_visit(
            current_user,
            person,
            occasion=data["occasion"].value,
            planned_on=data["planned_on"],
            visitors=data.get("visitors"),
            note=data.get("note"),
            internal=data["internal"],
        )


@blp.route("/care/visits/<int:visit_id>/record")
class VisitRecord(MethodView):
    @blp.arguments(schemas.CareVisitRecordSchema)
    @blp.response(200, schemas.CareVisitSchema)
    def post(self, data, visit_id: int):
        """Record a planned visit as done: who went and what was given."""
        visit = services.get_visit(current_user, visit_id)
        return services.record_visit(current_user, visit, **data)


@blp.route("/care/visits/<int:visit_id>/cancel")
class VisitCancel(MethodView):
    @blp.response(200, schemas.CareVisitSchema)
    def post(self, visit_id: int):
        """Cancel a planned visit."""
        return services.cancel_visit(current_user, services.get_visit(current_user, visit_id))


# --- check-ups -------------------------------------------------------------------------------


@blp.route("/care/checkup-batches")
class Batches(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.CareBatchSchema))
    def get(self, args):
        """Check-up batches in the caller's care scope."""
        return paginated(services.batches_query(current_user), args)

    @blp.arguments(schemas.CareBatchSchema)
    @blp.response(201, schemas.CareBatchSchema)
    def post(self, data):
        """Create a batch; the eligible people (by honour level) are put on it."""
        return services.create_batch(
            current_user,
            _org(data["organization_id"]),
            name=data["name"],
            year=data["year"],
            levels=data["levels"],
            place=data.get("place"),
        )


@blp.route("/care/checkup-batches/<int:batch_id>/checkups")
class BatchCheckups(MethodView):
    @blp.arguments(schemas.CareTripQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareCheckupSchema))
    def get(self, args, batch_id: int):
        """The batch's people with appointments, attendance and result notes (care team)."""
        batch = services.get_batch(current_user, batch_id)
        return paginated(services.checkups_query(current_user, batch, args.get("q")), args)


@blp.route("/care/checkup-batches/<int:batch_id>/status")
class BatchStatus(MethodView):
    @blp.response(200, schemas.CareCheckupStatusSchema(many=True))
    def get(self, batch_id: int):
        """Officers: "done / not done" for the people of their organization, nothing more."""
        return services.status_view(current_user, batch_id)[1]


@blp.route("/care/checkups/<int:checkup_id>/booking")
class CheckupBooking(MethodView):
    @blp.arguments(schemas.CareBookingSchema)
    @blp.response(200, schemas.CareCheckupSchema)
    def post(self, data, checkup_id: int):
        """Book (or move) an appointment."""
        checkup = services.get_checkup(current_user, checkup_id)
        return services.book(current_user, checkup, data["appointment_on"])


@blp.route("/care/checkups/<int:checkup_id>/attendance")
class CheckupAttendance(MethodView):
    @blp.arguments(schemas.CareCheckupAttendanceSchema)
    @blp.response(200, schemas.CareCheckupSchema)
    def post(self, data, checkup_id: int):
        """Record that the person attended."""
        checkup = services.get_checkup(current_user, checkup_id)
        return services.record_checkup(
            current_user, checkup, data.get("attended_on"), data.get("result_note")
        )


# --- trips -----------------------------------------------------------------------------------


@blp.route("/care/trips")
class Trips(MethodView):
    @blp.arguments(schemas.CareTripListQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareTripSchema))
    def get(self, args):
        """Recuperation trips and study tours in the caller's care scope."""
        kind = args["kind"].value if args.get("kind") else None
        return paginated(services.trips_query(current_user, args.get("q"), kind), args)

    @blp.arguments(schemas.CareTripSchema)
    @blp.response(201, schemas.CareTripSchema)
    def post(self, data):
        """Create a recuperation trip or a study tour with its priority weights."""
        organization = _org(data.pop("organization_id"))
        return services.create_trip(current_user, organization, **data)


@blp.route("/care/trips/<int:trip_id>")
class TripItem(MethodView):
    @blp.response(200, schemas.CareTripSchema)
    def get(self, trip_id: int):
        """One trip."""
        return services.get_trip(current_user, trip_id)


@blp.route("/care/trips/<int:trip_id>/quotas")
class TripQuotas(MethodView):
    @blp.arguments(schemas.CareQuotaSchema)
    @blp.response(200, schemas.CareQuotaSchema)
    def put(self, data, trip_id: int):
        """Set a unit's quota."""
        trip = services.get_trip(current_user, trip_id)
        return services.set_quota(current_user, trip, _org(data["organization_id"]), data["places"])


@blp.route("/care/trips/<int:trip_id>/nominations")
class TripNominations(MethodView):
    @blp.arguments(schemas.CareTripQuerySchema, location="query")
    @blp.response(200, page_of(schemas.CareNominationSchema))
    def get(self, args, trip_id: int):
        """The roster, highest priority first."""
        trip = services.get_trip(current_user, trip_id)
        return paginated(services.roster_query(current_user, trip), args)

    @blp.arguments(schemas.CareNominationSchema)
    @blp.response(201, schemas.CareNominationSchema)
    def post(self, data, trip_id: int):
        """Nominate a person (quota, overlapping trips and duplicates are refused)."""
        trip = services.get_trip(current_user, trip_id)
        person = services.get_person(current_user, data["person_id"])
        return services.nominate(current_user, trip, person, frontline=data["frontline"])


def _nomination(nomination_id: int):
    return services.get_nomination(current_user, nomination_id)


@blp.route("/care/nominations/<int:nomination_id>/approval")
class NominationApproval(MethodView):
    @blp.response(200, schemas.CareNominationSchema)
    def post(self, nomination_id: int):
        """Approve (409 when the trip is full)."""
        return services.approve(current_user, _nomination(nomination_id))


@blp.route("/care/nominations/<int:nomination_id>/decline")
class NominationDecline(MethodView):
    @blp.response(200, schemas.CareNominationSchema)
    def post(self, nomination_id: int):
        """Decline a waiting nomination."""
        return services.decline(current_user, _nomination(nomination_id))


@blp.route("/care/nominations/<int:nomination_id>/withdrawal")
class NominationWithdrawal(MethodView):
    @blp.response(200, schemas.CareNominationSchema)
    def post(self, nomination_id: int):
        """Take a person off the roster (an approved place is given back)."""
        return services.withdraw(current_user, _nomination(nomination_id))


@blp.route("/care/nominations/<int:nomination_id>/attendance")
class NominationAttendance(MethodView):
    @blp.arguments(schemas.CareTripAttendanceSchema)
    @blp.response(200, schemas.CareNominationSchema)
    def post(self, data, nomination_id: int):
        """Record whether an approved person went."""
        return services.record_trip_attendance(
            current_user, _nomination(nomination_id), data["attended"]
        )


# --- reports ---------------------------------------------------------------------------------


@blp.route("/care/reports")
class Reports(MethodView):
    @blp.arguments(schemas.CareReportQuerySchema, location="query")
    @blp.response(200, schemas.CareReportSchema)
    def get(self, args):
        """Figures for the caller's care scope (or one organization in it) and a period
        (from_year … year; one year when from_year is left out)."""
        report = services.build(
            current_user, args.get("year"), args.get("organization_id"), args.get("from_year")
        )
        return {
            "from_year": report.from_year,
            "year": report.year,
            "organization_id": report.organization.id if report.organization else None,
            "served": [
                {"need": str(n), "level": str(lv) if lv else None, "people": c}
                for (n, lv), c in report.served.items()
            ],
            "amounts": [
                {"year": y, "kind": str(k), "total": t} for y, k, t in report.amounts_by_year
            ],
            "open_cases": report.open_cases,
            "overdue_followups": len(report.overdue),
            "checkups_on_batches": report.checkups[0],
            "checkups_done": report.checkups[1],
            "trips_approved": report.trips[0],
            "trips_attended": report.trips[1],
            "served_by_kind": [
                {"kind": str(k), "level": str(lv) if lv else None, "people": c}
                for (k, lv), c in report.served_by_kind.items()
            ],
            "trips_by_kind": [
                {"kind": str(k), "approved": a, "attended": b}
                for k, (a, b) in report.trips_by_kind.items()
            ],
        }
