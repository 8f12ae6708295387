"""JSON API of publicity under /api/v1/publicity/…: the same services and permissions as
the pages (editors in their subtree, reviewers of the federation, the person concerned;
ids out of reach are 404). Photos, videos and scans are uploaded on the pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.core.apiutil import api_blueprint, page_of, paginated
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.publicity import schemas, services

blp = api_blueprint(
    "publicity-api",
    __name__,
    "Publicity (宣传): columns, stories with the person's consent and review, media coverage, "
    "reach. Editors are officers for their subtree; reviewers are admins and federation officers.",
)


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise Invalid(errors={"person_id": [services.people_missing_message()]})
    return user


def _column(column_id: int):
    try:
        return services.get_column(column_id)
    except NotFound:
        raise Invalid(errors={"column_id": [services.column_missing_message()]}) from None


@blp.route("/publicity/columns")
class Columns(MethodView):
    @blp.response(200, schemas.PublicityColumnSchema(many=True))
    def get(self):
        """The columns, in their order."""
        return services.columns()

    @blp.arguments(schemas.PublicityColumnSchema)
    @blp.response(201, schemas.PublicityColumnSchema)
    def post(self, data):
        """Create a column (reviewers)."""
        return services.save_column(current_user, **data)


@blp.route("/publicity/stories")
class Stories(MethodView):
    @blp.arguments(schemas.PublicityStoryQuerySchema, location="query")
    @blp.response(200, page_of(schemas.PublicityStoryListSchema))
    def get(self, args):
        """Stories of the caller's subtree (editors and reviewers)."""
        filters = services.StoryFilter(
            status=args["status"].value if args.get("status") else None,
            column_id=args.get("column_id"),
            q=args.get("q"),
        )
        return paginated(services.stories_query(current_user, filters), args)

    @blp.arguments(schemas.PublicityStoryInSchema)
    @blp.response(201, schemas.PublicityStorySchema)
    def post(self, data):
        """Write a draft about a person (or a team represented by one) in the caller's subtree."""
        services.require_editor(current_user)
        column = _column(data.pop("column_id"))
        person = _person(data.pop("person_id"))
        return services.create_story(current_user, column=column, person=person, **data)


@blp.route("/publicity/me/stories")
class MyStories(MethodView):
    @blp.response(200, schemas.PublicityStoryListSchema(many=True))
    def get(self):
        """Stories about the caller (to confirm or to take consent back)."""
        return services.my_stories(current_user)


@blp.route("/publicity/stories/<int:story_id>")
class StoryItem(MethodView):
    @blp.response(200, schemas.PublicityStorySchema)
    def get(self, story_id: int):
        """A story, for its editors, reviewers and the person concerned."""
        return services.get_story(current_user, story_id)

    @blp.arguments(schemas.PublicityStoryPatchSchema)
    @blp.response(200, schemas.PublicityStorySchema)
    def patch(self, data, story_id: int):
        """Change a draft; a changed text takes the person's consent back."""
        story = services.get_story(current_user, story_id)
        services.require_edits(current_user, story)
        column = _column(data.pop("column_id")) if "column_id" in data else None
        fields = {
            "title": story.title,
            "body": story.body,
            "summary": story.summary,
            "team_name": story.team_name,
            **data,
        }
        return services.update_story(current_user, story, column=column, **fields)


def _step(name: str, doc: str, action, schema=None):
    """One workflow step as a POST route: ``/publicity/stories/<id>/<name>``."""

    if schema is None:

        class Step(MethodView):
            @blp.response(200, schemas.PublicityStorySchema)
            def post(self, story_id: int):
                return action(current_user, services.get_story(current_user, story_id))

    else:

        class Step(MethodView):
            @blp.arguments(schema)
            @blp.response(200, schemas.PublicityStorySchema)
            def post(self, data, story_id: int):
                return action(current_user, services.get_story(current_user, story_id), **data)

    Step.post.__doc__ = doc
    Step.__name__ = Step.__qualname__ = "Story" + name.title().replace("/", "").replace("_", "")
    blp.route(f"/publicity/stories/<int:story_id>/{name}")(Step)


_step("submit", "Submit a draft for review (its editors).", services.submit)
_step("revise", "A withdrawn story back to a draft (its editors).", services.revise)
_step(
    "consent",
    "The person concerned agrees to publication, and says whether the growth path is shown.",
    services.give_consent,
    schemas.PublicityConsentSchema,
)
_step(
    "consent/revoke",
    "The person takes consent back; a published story is withdrawn at once.",
    services.revoke_consent,
    schemas.PublicityNoteSchema,
)
_step(
    "publish",
    "Publish a story under review (reviewers; needs consent).",
    services.publish,
    schemas.PublicityNoteSchema,
)
_step(
    "return",
    "Send a story under review back with notes (reviewers).",
    services.send_back,
    schemas.PublicityNoteSchema,
)
_step(
    "withdraw",
    "Withdraw a published story with notes (reviewers).",
    services.withdraw,
    schemas.PublicityNoteSchema,
)


@blp.route("/publicity/reports")
class Reports(MethodView):
    @blp.arguments(schemas.PublicityReportQuerySchema, location="query")
    @blp.response(200, page_of(schemas.PublicityReportSchema))
    def get(self, args):
        """Media reports of the caller's subtree, newest first."""
        filters = services.ReportFilter(q=args.get("q"), year=args.get("year"))
        return paginated(services.reports_query(current_user, filters), args)

    @blp.arguments(schemas.PublicityReportSchema)
    @blp.response(201, schemas.PublicityReportSchema)
    def post(self, data):
        """Record a media report with its link (a scan is uploaded on the page)."""
        services.require_editor(current_user)
        organization = None
        if data.get("organization_id"):
            organization = db.session.get(Organization, data["organization_id"])
            if organization is None or not scope.org_in_scope(current_user, organization):
                raise NotFound()
        ids = data.get("person_ids") or []
        people = list(db.session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []
        if len(people) != len(set(ids)):
            raise Invalid(errors={"person_ids": [services.people_missing_message()]})
        return services.record_report(
            current_user,
            outlet=data["outlet"],
            published_on=data["published_on"],
            title=data["title"],
            link=data["link"],
            people=people,
            organization=organization,
        )


@blp.route("/publicity/reports/<int:report_id>")
class ReportItem(MethodView):
    @blp.response(200, schemas.PublicityReportSchema)
    def get(self, report_id: int):
        return services.get_report(current_user, report_id)

    @blp.response(204)
    def delete(self, report_id: int):
        services.delete_report(current_user, services.get_report(current_user, report_id))


@blp.route("/publicity/reach")
class Reach(MethodView):
    @blp.arguments(schemas.PublicityReachQuerySchema, location="query")
    @blp.response(200, schemas.PublicityReachRowSchema(many=True))
    def get(self, args):
        """The stories most read in a month (views per day, no reader recorded)."""
        services.require_editor(current_user)
        rows = services.most_read(args["year"], args["month"])
        return [{"story": story, "views": views} for story, views in rows]
