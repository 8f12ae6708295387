"""JSON API for classes, sessions, rosters, check-in, attendance and reports."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_login import current_user

from lms.accounts.models import Organization, User
from lms.accounts.services import UserFilter, get_user
from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated
from lms.errors import NotFound
from lms.extensions import db
from lms.training import schemas, services

blp = api_blueprint(
    "training-api", __name__, "Training classes, sessions, check-in and attendance."
)


@blp.route("/training/classes")
class Classes(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.ClassSchema))
    def get(self, args):
        """Classes the caller manages, teaches, sits in, or may register for."""
        return paginated(services.classes_query(current_user), args)

    @blp.arguments(schemas.ClassSchema)
    @blp.response(201, schemas.ClassSchema)
    def post(self, data):
        """Create a class in an organization the caller manages."""
        org = db.session.get(Organization, data.pop("organization_id"))
        if org is None:
            raise NotFound()
        return services.create_class(current_user, organization=org, **data)


@blp.route("/training/classes/<int:class_id>")
class ClassItem(MethodView):
    @blp.response(200, schemas.ClassSchema)
    def get(self, class_id: int):
        """One class."""
        return services.get_class(current_user, class_id)

    @blp.arguments(schemas.ClassUpdateSchema(partial=True))
    @blp.response(200, schemas.ClassSchema)
    def patch(self, data, class_id: int):
        """Change a class (capacity changes promote the waitlist)."""
        training_class = services.get_class(current_user, class_id)
        return services.update_class(current_user, training_class, **data)


@blp.route("/training/classes/<int:class_id>/sessions")
class ClassSessions(MethodView):
    @blp.response(200, schemas.SessionSchema(many=True))
    def get(self, class_id: int):
        """The class's sessions in time order, cancelled ones included."""
        return services.get_class(current_user, class_id).sessions

    @blp.arguments(schemas.ScheduleSchema)
    @blp.response(201, schemas.SessionSchema(many=True))
    def post(self, data, class_id: int):
        """Schedule one session or a weekly recurrence; clashes are refused with a 409."""
        training_class = services.get_class(current_user, class_id)
        recurrence = data.pop("recurrence")
        return services.schedule_sessions(
            current_user,
            training_class,
            recurrence=services.Recurrence(**recurrence) if recurrence else None,
            **data,
        )


@blp.route("/training/sessions/<int:session_id>")
class SessionItem(MethodView):
    @blp.response(200, schemas.SessionSchema)
    def get(self, session_id: int):
        """One session."""
        return services.get_session(current_user, session_id)

    @blp.arguments(schemas.SessionUpdateSchema)
    @blp.response(200, schemas.SessionSchema(many=True))
    def patch(self, data, session_id: int):
        """Move or edit this session, or it and the rest of its series."""
        return services.update_session(
            current_user, services.get_session(current_user, session_id), **data
        )


@blp.route("/training/sessions/<int:session_id>/cancel")
class SessionCancel(MethodView):
    @blp.arguments(schemas.CancelSchema)
    @blp.response(200, schemas.SessionSchema(many=True))
    def post(self, data, session_id: int):
        """Cancel this session, or it and the rest of its series."""
        return services.cancel_session(
            current_user, services.get_session(current_user, session_id), **data
        )


@blp.route("/training/classes/<int:class_id>/roster")
class Roster(MethodView):
    @blp.response(200, schemas.RosterEntrySchema(many=True))
    def get(self, class_id: int):
        """Seated, waitlisted (in order) and withdrawn people."""
        training_class = services.get_class(current_user, class_id)
        services.require_teach(current_user, training_class)
        return services.roster(training_class)

    @blp.arguments(schemas.RosterAddSchema)
    @blp.response(200, schemas.RosterResultSchema)
    def post(self, data, class_id: int):
        """Add people by id, or everyone in an organization (optionally of one trade)."""
        training_class = services.get_class(current_user, class_id)
        if data["user_ids"]:
            users = list(db.session.scalars(db.select(User).where(User.id.in_(data["user_ids"]))))
            if len(users) != len(set(data["user_ids"])):
                raise NotFound()
            return services.add_people(current_user, training_class, users)
        return services.add_by_filter(
            current_user,
            training_class,
            UserFilter(organization_id=data["organization_id"], trade=data["trade"]),
        )


@blp.route("/training/classes/<int:class_id>/roster/<int:user_id>")
class RosterItem(MethodView):
    @blp.response(200, schemas.RosterEntrySchema)
    def delete(self, class_id: int, user_id: int):
        """Withdraw a person (oneself before the deadline); the waitlist moves up."""
        training_class = services.get_class(current_user, class_id)
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound()
        return services.withdraw(current_user, training_class, user)


@blp.route("/training/classes/<int:class_id>/registration")
class Registration(MethodView):
    @blp.response(201, schemas.RosterEntrySchema)
    def post(self, class_id: int):
        """Register oneself for an open class (seated or waitlisted)."""
        return services.register_self(current_user, services.get_class(current_user, class_id))


@blp.route("/training/sessions/<int:session_id>/checkin")
class Checkin(MethodView):
    @blp.arguments(schemas.CheckinSchema)
    @blp.response(201, schemas.AttendanceSchema)
    def post(self, data, session_id: int):
        """Check oneself in with the screen's QR token or its six-digit code.

        Wrong codes are limited per person and per session (429 past the limit); a class may
        accept check-in only from its own networks; cross-site requests are refused (403).
        """
        session = services.session_for_checkin(session_id)
        client = {
            "address": request.remote_addr,
            "fetch_site": request.headers.get("Sec-Fetch-Site"),
        }
        if data["token"]:
            return services.check_in(current_user, session, token=data["token"], **client)
        return services.check_in(current_user, session, code=data["code"], **client)


@blp.route("/training/sessions/<int:session_id>/attendance")
class SessionAttendance(MethodView):
    @blp.response(200, schemas.GridRowSchema(many=True))
    def get(self, session_id: int):
        """The session's roster with each person's mark."""
        return services.attendance_grid(
            current_user, services.get_session(current_user, session_id)
        )

    @blp.arguments(schemas.MarksSchema)
    @blp.response(200, schemas.GridRowSchema(many=True))
    def put(self, data, session_id: int):
        """Set or correct marks (audited after the session)."""
        session = services.get_session(current_user, session_id)
        services.mark_attendance(
            current_user, session, {m["user_id"]: m["status"] for m in data["marks"]}
        )
        return services.attendance_grid(current_user, session)


@blp.route("/training/sessions/<int:session_id>/excuses")
class Excuses(MethodView):
    @blp.arguments(schemas.ExcuseCreateSchema)
    @blp.response(201, schemas.ExcuseSchema)
    def post(self, data, session_id: int):
        """Ask to be excused from a session."""
        return services.request_excuse(
            current_user, services.get_session(current_user, session_id), data["reason"]
        )


@blp.route("/training/excuses/<int:excuse_id>/decision")
class ExcuseDecision(MethodView):
    @blp.arguments(schemas.DecisionSchema)
    @blp.response(200, schemas.ExcuseSchema)
    def post(self, data, excuse_id: int):
        """Approve or reject an excuse request."""
        return services.decide_excuse(current_user, excuse_id, data["approve"])


@blp.route("/training/classes/<int:class_id>/matrix")
class ClassMatrix(MethodView):
    @blp.response(200, schemas.MatrixSchema)
    def get(self, class_id: int):
        """Workers × sessions with each worker's attendance rate."""
        return services.class_matrix(current_user, services.get_class(current_user, class_id))


@blp.route("/training/reports/summary")
class Summary(MethodView):
    @blp.arguments(schemas.SummaryArgsSchema, location="query")
    @blp.response(200, schemas.SummarySchema)
    def get(self, args):
        """Classes, sessions, person-times (人次), hours and rate per organization."""
        org = db.session.get(Organization, args["organization_id"])
        if org is None:
            raise NotFound()
        rows, total = services.organization_summary(current_user, org, args["start"], args["end"])
        return {"rows": rows, "total": total}


@blp.route("/training/people/<int:user_id>/history")
class History(MethodView):
    @blp.response(200, schemas.HistoryRowSchema(many=True))
    def get(self, user_id: int):
        """A person's attendance, newest first (oneself, or people in the officer's scope)."""
        return services.worker_history(current_user, get_user(current_user, user_id))
