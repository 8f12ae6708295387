"""JSON API for pairings, their transitions, goals, mentoring logs and mentor suggestions."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.accounts.services import get_organization, get_user
from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated
from lms.mentorship import schemas, services

blp = api_blueprint(
    "mentorship-api", __name__, "Mentorship (传帮带): pairings, goals, mentoring logs, graduation."
)


@blp.route("/mentorships")
class Mentorships(MethodView):
    @blp.arguments(schemas.MentorshipQuerySchema, location="query")
    @blp.response(200, page_of(schemas.MentorshipSchema))
    def get(self, args):
        """Pairings the caller may see: officers their subtree, mentors and apprentices their own."""
        filters = services.MentorshipFilter(
            status=args["status"].value if args.get("status") else None,
            programme_id=args.get("programme_id"),
            organization_id=args.get("organization_id"),
            mentor_id=args.get("mentor_id"),
            q=args.get("q"),
        )
        return paginated(services.mentorships_query(current_user, filters), args)

    @blp.arguments(schemas.MentorshipCreateSchema)
    @blp.response(201, schemas.MentorshipDetailSchema)
    def post(self, data):
        """An officer pairs a mentor with an apprentice (409 if either has no place left)."""
        mentor = services.get_person(current_user, data["mentor_id"])
        apprentice = services.get_person(current_user, data["apprentice_id"])
        programme = (
            services.get_programme(current_user, data["programme_id"])
            if data.get("programme_id")
            else None
        )
        return services.create_pairing(
            current_user,
            mentor=mentor,
            apprentice=apprentice,
            programme=programme,
            start_date=data["start_date"],
            planned_end=data["planned_end"],
            agreement=data.get("agreement"),
            goals=data.get("goals") or [],
        )


@blp.route("/mentorships/<int:mentorship_id>")
class MentorshipItem(MethodView):
    @blp.response(200, schemas.MentorshipDetailSchema)
    def get(self, mentorship_id: int):
        """One pairing with its agreement, goals and history."""
        return services.get_mentorship(current_user, mentorship_id)


@blp.route("/mentorships/<int:mentorship_id>/transitions")
class Transitions(MethodView):
    @blp.response(200, schemas.MentorshipEventSchema(many=True))
    def get(self, mentorship_id: int):
        """The pairing's history: who moved it, when, from which status to which."""
        return services.get_mentorship(current_user, mentorship_id).events

    @blp.arguments(schemas.MentorshipTransitionSchema)
    @blp.response(200, schemas.MentorshipDetailSchema)
    def post(self, data, mentorship_id: int):
        """Pause, resume or cancel (409 if not allowed from the current status)."""
        m = services.get_mentorship(current_user, mentorship_id)
        return services.transition(current_user, m, data["to"], data.get("note"))


@blp.route("/mentorships/<int:mentorship_id>/signature")
class Signature(MethodView):
    @blp.response(200, schemas.MentorshipDetailSchema)
    def post(self, mentorship_id: int):
        """Mentor or apprentice signs the agreement; both signed makes the pairing active."""
        return services.sign(current_user, services.get_mentorship(current_user, mentorship_id))


@blp.route("/mentorships/<int:mentorship_id>/decline")
class Decline(MethodView):
    @blp.arguments(schemas.MentorshipNoteSchema)
    @blp.response(200, schemas.MentorshipDetailSchema)
    def post(self, data, mentorship_id: int):
        """The requested mentor declines an apprentice's request."""
        m = services.get_mentorship(current_user, mentorship_id)
        return services.decline_request(current_user, m, data.get("note"))


@blp.route("/mentorships/<int:mentorship_id>/assessment")
class Assessment(MethodView):
    @blp.arguments(schemas.MentorshipAssessmentSchema)
    @blp.response(200, schemas.MentorshipDetailSchema)
    def put(self, data, mentorship_id: int):
        """The mentor records the final assessment (and may suggest early graduation)."""
        m = services.get_mentorship(current_user, mentorship_id)
        return services.record_assessment(
            current_user, m, data["final_assessment"], early=data["early"]
        )


@blp.route("/mentorships/<int:mentorship_id>/graduation")
class Graduation(MethodView):
    @blp.arguments(schemas.MentorshipGraduationSchema)
    @blp.response(200, schemas.MentorshipDetailSchema)
    def post(self, data, mentorship_id: int):
        """The officer approves graduation; before the planned end ``early`` must be true."""
        m = services.get_mentorship(current_user, mentorship_id)
        return services.approve_graduation(current_user, m, early=data["early"])


@blp.route("/mentorships/<int:mentorship_id>/goals")
class Goals(MethodView):
    @blp.response(200, schemas.MentorshipGoalSchema(many=True))
    def get(self, mentorship_id: int):
        """The pairing's goals."""
        return services.get_mentorship(current_user, mentorship_id).goals

    @blp.arguments(schemas.MentorshipGoalSchema)
    @blp.response(201, schemas.MentorshipGoalSchema)
    def post(self, data, mentorship_id: int):
        """Add a goal (mentor, apprentice or officer)."""
        m = services.get_mentorship(current_user, mentorship_id)
        return services.add_goal(current_user, m, **data)


@blp.route("/mentorship-goals/<int:goal_id>")
class GoalItem(MethodView):
    @blp.arguments(schemas.MentorshipGoalUpdateSchema)
    @blp.response(200, schemas.MentorshipGoalSchema)
    def patch(self, data, goal_id: int):
        """Update a goal's skill, target date or status."""
        goal = services.get_goal(current_user, goal_id)
        if "status" in data:
            data["status"] = data["status"].value
        return services.update_goal(current_user, goal, **data)


@blp.route("/mentorships/<int:mentorship_id>/logs")
class Logs(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.MentorLogSchema))
    def get(self, args, mentorship_id: int):
        """The pairing's mentoring logs, newest first."""
        m = services.get_mentorship(current_user, mentorship_id)
        return paginated(services.logs_query(current_user, m), args)

    @blp.arguments(schemas.MentorLogSchema)
    @blp.response(201, schemas.MentorLogSchema)
    def post(self, data, mentorship_id: int):
        """The mentor logs a session; it waits for the apprentice's confirmation.

        Send the same ``client_token`` again and the first log is returned, not a second one.
        """
        m = services.get_mentorship(current_user, mentorship_id)
        return services.create_log(current_user, m, **data)


@blp.route("/mentor-logs/<int:log_id>/confirm")
class ConfirmLog(MethodView):
    @blp.response(200, schemas.MentorLogSchema)
    def post(self, log_id: int):
        """The apprentice confirms the session took place; its minutes now count."""
        return services.confirm_log(current_user, services.get_log(current_user, log_id))


@blp.route("/mentor-logs/<int:log_id>/dispute")
class DisputeLog(MethodView):
    @blp.arguments(schemas.LogDisputeSchema)
    @blp.response(200, schemas.MentorLogSchema)
    def post(self, data, log_id: int):
        """The apprentice disputes a log, with a reason; it goes to the officer."""
        return services.dispute_log(
            current_user, services.get_log(current_user, log_id), data["reason"]
        )


@blp.route("/mentor-logs/<int:log_id>/resolve")
class ResolveLog(MethodView):
    @blp.arguments(schemas.LogResolveSchema)
    @blp.response(200, schemas.MentorLogSchema)
    def post(self, data, log_id: int):
        """The officer settles a dispute: upheld (counts) or rejected (does not)."""
        return services.resolve_log(
            current_user, services.get_log(current_user, log_id), data["resolution"], data["note"]
        )


@blp.route("/mentorship-suggestions")
class Suggestions(MethodView):
    @blp.arguments(schemas.MentorSuggestionQuerySchema, location="query")
    @blp.response(200, schemas.MentorSuggestionSchema(many=True))
    def get(self, args):
        """Mentors for an apprentice, best first, each with the reasons for its place."""
        apprentice = get_user(current_user, args["apprentice_id"])
        return services.suggestions(current_user, apprentice, args["limit"])


@blp.route("/mentorship-requests")
class Requests(MethodView):
    @blp.arguments(schemas.MentorRequestSchema)
    @blp.response(201, schemas.MentorshipDetailSchema)
    def post(self, data):
        """The caller asks a mentor to take them on as apprentice."""
        mentor = services.get_mentor_for_request(data["mentor_id"])
        programme = (
            services.get_programme(current_user, data["programme_id"])
            if data.get("programme_id")
            else None
        )
        return services.request_mentor(
            current_user,
            mentor=mentor,
            programme=programme,
            start_date=data.get("start_date"),
            planned_end=data.get("planned_end"),
            note=data.get("note"),
        )


@blp.route("/mentorship-programmes")
class Programmes(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.MentorshipProgrammeSchema))
    def get(self, args):
        """Programmes of the organizations in the caller's scope."""
        return paginated(services.programmes_query(current_user), args)

    @blp.arguments(schemas.MentorshipProgrammeSchema)
    @blp.response(201, schemas.MentorshipProgrammeSchema)
    def post(self, data):
        """Add a programme to an organization in scope."""
        org = get_organization(current_user, data["organization_id"])
        return services.create_programme(current_user, org, data["name"], data.get("description"))


@blp.route("/mentors/<int:user_id>/capacity")
class Capacity(MethodView):
    @blp.arguments(schemas.MentorCapacitySchema)
    @blp.response(200, schemas.MentorCapacitySchema)
    def put(self, data, user_id: int):
        """Set how many apprentices a mentor may take at once (officers, audited)."""
        mentor = get_user(current_user, user_id)
        return services.set_capacity(current_user, mentor, data["capacity"])
