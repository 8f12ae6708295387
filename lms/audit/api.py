from flask.views import MethodView
from flask_login import current_user

from lms.audit import schemas, services
from lms.core.apiutil import api_blueprint, page_of, paginated

blp = api_blueprint("audit-api", __name__, "Audit log of sensitive changes, within scope.")


@blp.route("/audit")
class AuditEntries(MethodView):
    @blp.arguments(schemas.AuditQuerySchema, location="query")
    @blp.response(200, page_of(schemas.AuditEntrySchema))
    def get(self, args):
        """Audit entries the caller may read, newest first."""
        return paginated(
            services.entries_query(current_user, action=args.get("action"), q=args.get("q")), args
        )
