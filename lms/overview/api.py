"""JSON API of the growth record and the five-links overview: the same services and
permissions as the pages (a person reads their own record; officers the people and
organizations of their subtree, out-of-scope ids answering 404; officers' reads audited)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.core.apiutil import api_blueprint
from lms.overview import schemas
from lms.overview.services import growth, overview

blp = api_blueprint(
    "overview-api",
    __name__,
    "Growth records (成长档案) and the five-links overview (统筹): a person's entries across the "
    "links; an organization subtree's yearly figures with months and child organizations.",
)


@blp.route("/growth/me")
class MyGrowth(MethodView):
    @blp.response(200, schemas.GrowthRecordSchema)
    def get(self):
        """The caller's own growth record (care received included: it is theirs)."""
        return growth.record_for(current_user, current_user.id)


@blp.route("/growth/people/<int:user_id>")
class PersonGrowth(MethodView):
    @blp.response(200, schemas.GrowthRecordSchema)
    def get(self, user_id: int):
        """A person's growth record, for officers in scope (audited; no care records)."""
        return growth.record_for(current_user, user_id)


@blp.route("/overview")
class Figures(MethodView):
    @blp.arguments(schemas.OverviewQuerySchema, location="query")
    @blp.response(200, schemas.OverviewSchema)
    def get(self, args):
        """The figures of an organization's subtree (default: the caller's) for a year."""
        return overview.build(current_user, args["organization_id"], args["year"])
