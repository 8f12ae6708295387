"""Building blocks for every package's JSON API (flask-smorest)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest.utils import resolve_schema_instance
from marshmallow import Schema, fields, missing, validate
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import BadRequest as UnreadableBody

from lms.errors import BadRequest, Unauthorized
from lms.extensions import csrf, db, limiter

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class JsonBodyParser(FlaskParser):
    """Reads a JSON body through Flask, so every API request is read the same way.

    A body that is not declared as JSON, is not valid JSON or is nested too deeply to read
    (``lms.JSONProvider``) is a 400 with the usual error shape, never a server error.
    """

    def load_json(self, req, schema):
        if not req.get_data(cache=True):
            return missing
        if not req.is_json:
            raise BadRequest(_("请求体应为 JSON，请带上请求头 Content-Type: application/json。"))
        try:
            return req.get_json()
        except UnreadableBody:
            raise BadRequest(_("请求体不是有效的 JSON，或嵌套层级过深。")) from None


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema, *args, **kwargs):
        # One schema instance per route, made here, instead of one per request (webargs
        # instantiates a schema class on every call). Marshmallow schemas hold no state
        # between loads.
        return super().arguments(resolve_schema_instance(schema), *args, **kwargs)


def api_blueprint(name: str, import_name: str, description: str, public: bool = False) -> Blueprint:
    """A blueprint under /api/v1 that requires sign-in (cookie or Bearer token).

    Requests signed with a Bearer token are free of CSRF (no cookie is involved);
    requests riding on the session cookie must send the CSRF token in ``X-CSRFToken``.
    """
    blp = ApiBlueprint(name, import_name, url_prefix="/api/v1", description=description)
    csrf.exempt(blp)

    @blp.before_request
    def _authenticate():
        bearer = request.headers.get("Authorization", "").startswith("Bearer ")
        view = current_app.view_functions.get(request.endpoint)
        checked_later = getattr(view, "authenticated_in_service", False)
        if not public and not checked_later and not current_user.is_authenticated:
            raise Unauthorized(
                _("需要登录：请使用会话 Cookie 或个人 API 令牌（Authorization: Bearer）。")
            )
        if (
            request.method in UNSAFE_METHODS
            and not bearer
            and current_app.config.get("WTF_CSRF_ENABLED", True)
        ):
            csrf.protect()

    return blp


def unlimited(view):
    """No rate limit on this view, and no work spent looking for one.

    Flask-Limiter works out every exempt view's limits before it finds the exemption; a
    request filter answers first. For views every learner calls every few seconds.
    """
    view = limiter.exempt(view)
    view.rate_limit_free = True
    return view


@limiter.request_filter
def _rate_limit_free() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "rate_limit_free", False)


def authenticated_in_service(view):
    """Mark a view whose service checks the caller itself (see ``accounts.services.Claim``).

    The blueprint then does not load the signed-in person before the view runs; the
    service must raise ``Unauthorized`` for a caller it cannot identify. CSRF is still
    checked for cookie requests.
    """
    view.authenticated_in_service = True
    return view


class PageArgsSchema(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Int(load_default=20, validate=validate.Range(min=1, max=100))


@cache
def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The envelope of a paginated list of ``item_schema``, named after it in OpenAPI."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (Schema,),
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Int(),
            "per_page": fields.Int(),
            "total": fields.Int(),
            "pages": fields.Int(),
        },
    )


def paginated(stmt: sa.Select, args: dict) -> dict:
    page = db.paginate(
        stmt, page=args["page"], per_page=args["per_page"], max_per_page=100, error_out=False
    )
    return {
        "items": list(page.items),
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
