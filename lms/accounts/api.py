"""JSON API for the signed-in person, people and organizations in scope, and API tokens."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.accounts import schemas, services
from lms.accounts.models import Role
from lms.accounts.services import skills
from lms.core.apiutil import PageArgsSchema, api_blueprint, page_of, paginated
from lms.extensions import db

blp = api_blueprint("accounts-api", __name__, "People, organizations and personal API tokens.")


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, schemas.UserSchema)
    def get(self):
        """The signed-in person."""
        return current_user

    @blp.arguments(schemas.UserUpdateSchema)
    @blp.response(200, schemas.UserSchema)
    def patch(self, changes):
        """Update one's own contact details."""
        return services.update_user(current_user, current_user, **changes)


@blp.route("/users")
class Users(MethodView):
    @blp.arguments(schemas.UserQuerySchema, location="query")
    @blp.response(200, page_of(schemas.UserSchema))
    def get(self, args):
        """People in the caller's scope (officers: their subtree; workers: themselves)."""
        filters = services.UserFilter(
            q=args.get("q"),
            organization_id=args.get("organization_id"),
            role=args["role"].value if args.get("role") else None,
            trade=args.get("trade"),
            skill_level=args["skill_level"].value if args.get("skill_level") else None,
        )
        return paginated(services.users_query(current_user, filters), args)

    @blp.arguments(schemas.UserCreateSchema)
    @blp.response(201, schemas.UserSchema)
    def post(self, data):
        """Add a person to an organization in scope."""
        org = services.get_organization(current_user, data.pop("organization_id"))
        return services.create_user(
            current_user,
            organization=org,
            roles=data.pop("roles"),
            password=data.pop("password"),
            must_change_password=True,
            **data,
        )


@blp.route("/users/<int:user_id>")
class UserItem(MethodView):
    @blp.response(200, schemas.UserSchema)
    def get(self, user_id: int):
        """One person in scope."""
        return services.get_user(current_user, user_id)

    @blp.arguments(schemas.UserUpdateSchema)
    @blp.response(200, schemas.UserSchema)
    def patch(self, changes, user_id: int):
        """Edit a person in scope (audited)."""
        return services.update_user(
            current_user, services.get_user(current_user, user_id), **changes
        )


@blp.route("/users/<int:user_id>/roles")
class UserRoles(MethodView):
    @blp.arguments(schemas.RolesSchema)
    @blp.response(200, schemas.UserSchema)
    def put(self, data, user_id: int):
        """Replace a person's roles (audited)."""
        user = services.get_user(current_user, user_id)
        return services.set_roles(current_user, user, {Role(r) for r in data["roles"]})


@blp.route("/users/<int:user_id>/skill-changes")
class SkillChanges(MethodView):
    @blp.response(200, schemas.SkillChangeSchema(many=True))
    def get(self, user_id: int):
        """A person's skill-level changes, newest first (the person, officers in scope)."""
        return skills.changes_of(current_user, services.get_user(current_user, user_id))

    @blp.arguments(schemas.SkillChangeSchema)
    @blp.response(201, schemas.SkillChangeSchema)
    def post(self, data, user_id: int):
        """Record a skill-level change with its evidence; the current level follows the
        latest change by date (officers in scope; audited)."""
        return skills.record_change(current_user, services.get_user(current_user, user_id), **data)


@blp.route("/organizations")
class Organizations(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, page_of(schemas.OrganizationSchema))
    def get(self, args):
        """Organizations in the caller's scope, tree order."""
        return paginated(services.organizations_in_scope(current_user), args)

    @blp.arguments(schemas.OrganizationSchema)
    @blp.response(201, schemas.OrganizationSchema)
    def post(self, data):
        """Add an enterprise or workshop under an organization in scope."""
        parent = (
            services.get_organization(current_user, data["parent_id"])
            if data.get("parent_id")
            else None
        )
        org = services.create_organization(current_user, data["name"], data["kind"], parent)
        db.session.commit()
        return org


@blp.route("/organizations/<int:org_id>")
class OrganizationItem(MethodView):
    @blp.response(200, schemas.OrganizationSchema)
    def get(self, org_id: int):
        """One organization in scope."""
        return services.get_organization(current_user, org_id)


@blp.route("/me/tokens")
class Tokens(MethodView):
    @blp.response(200, schemas.TokenSchema(many=True))
    def get(self):
        """The caller's personal API tokens (never the secrets)."""
        return services.api_tokens(current_user)

    @blp.arguments(schemas.TokenCreateSchema)
    @blp.response(201, schemas.NewTokenSchema)
    def post(self, data):
        """Create a token; the answer holds the secret, shown only this once."""
        token, secret = services.create_api_token(current_user, data["name"])
        token.secret = secret  # never stored; carried to the answer only
        return token


@blp.route("/me/tokens/<int:token_id>")
class TokenItem(MethodView):
    @blp.response(204)
    def delete(self, token_id: int):
        """Revoke a token."""
        services.revoke_api_token(current_user, token_id)
