from flask.views import MethodView
from flask_login import current_user

from lms.core.apiutil import api_blueprint, page_of, paginated
from lms.extensions import db
from lms.notifications import schemas, services

blp = api_blueprint("notifications-api", __name__, "The caller's notifications and preferences.")


@blp.route("/notifications")
class Notifications(MethodView):
    @blp.arguments(schemas.NotificationQuerySchema, location="query")
    @blp.response(200, page_of(schemas.NotificationSchema))
    def get(self, args):
        """The caller's notifications, newest first (``unread=true`` for unread only)."""
        stmt = services.notifications_query(current_user, unread_only=args["unread"])
        return paginated(stmt, args)


@blp.route("/notifications/unread-count")
class UnreadCount(MethodView):
    @blp.response(200, schemas.UnreadCountSchema)
    def get(self):
        """How many notifications the caller has not read."""
        return {"unread": services.unread_count(current_user)}


@blp.route("/notifications/<int:notification_id>/read")
class MarkRead(MethodView):
    @blp.response(200, schemas.NotificationSchema)
    def post(self, notification_id):
        """Mark one notification read."""
        n = services.mark_read(current_user, notification_id)
        db.session.commit()
        return n


@blp.route("/notifications/read-all")
class MarkAllRead(MethodView):
    @blp.response(200, schemas.ReadAllSchema)
    def post(self):
        """Mark every notification read."""
        marked = services.mark_all_read(current_user)
        db.session.commit()
        return {"marked": marked}


@blp.route("/notifications/preferences")
class Preferences(MethodView):
    @blp.response(200, schemas.PreferenceSchema(many=True))
    def get(self):
        """Channels and cadence per category (defaults where nothing was chosen)."""
        return services.preferences_for(current_user)

    @blp.arguments(schemas.PreferenceSchema)
    @blp.response(200, schemas.PreferenceSchema(many=True))
    def put(self, args):
        """Set channels and cadence for one category."""
        services.set_preference(current_user, current_user, **args)
        db.session.commit()
        return services.preferences_for(current_user)
