"""Domain errors and the one handler that turns them into HTTP answers.

Services raise these; views and API handlers never build error responses themselves.
"""

from __future__ import annotations

import http

from apispec import BasePlugin
from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, fields
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status = 400
    code = "error"
    default_message = _l("请求无法完成。")

    def __init__(self, message: str | None = None, errors: dict | None = None):
        self.message = str(message) if message is not None else str(self.default_message)
        self.errors = errors or {}
        super().__init__(self.message)


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _l("找不到您要的内容，它可能已被删除，或您没有查看权限。")


class BadRequest(DomainError):
    """The request itself cannot be read (a body that is not JSON, or not JSON at all)."""

    status = 400
    code = "bad_request"
    default_message = _l("请求格式不正确。")


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    default_message = _l("请先登录。")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _l("您没有权限进行此操作。如需权限，请联系本单位培训专员。")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _l("操作与现有数据冲突，请刷新后重试。")


class Invalid(DomainError):
    status = 422
    code = "invalid"
    default_message = _l("提交的内容有误，请按提示修改后重试。")


class ErrorSchema(Schema):
    """Every error answer of the API, as ``error_response`` writes it."""

    class Meta:
        ordered = True

    code = fields.Str(
        required=True,
        metadata={"description": "A stable name: not_found, forbidden, invalid, conflict …"},
    )
    message = fields.Str(required=True, metadata={"description": "For people, in their language"})
    errors = fields.Dict(
        keys=fields.Str(),
        values=fields.List(fields.Str()),
        required=True,
        metadata={"description": "Messages per field (nested fields named with dots)"},
    )


#: The error answers any operation may give, each documented with ``ErrorSchema``.
DOCUMENTED_ERRORS = (400, 401, 403, 404, 409, 422, 429)


class ErrorResponsesPlugin(BasePlugin):
    """Documents the error answers on every operation of the OpenAPI document, so clients
    generated from it read errors as the API writes them (flask-smorest documents only some)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            for status in DOCUMENTED_ERRORS:
                if str(status) not in responses and status not in responses:
                    responses[str(status)] = http.HTTPStatus(status).name


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


_HTTP_MESSAGES = {
    400: _l("请求格式不正确。"),
    401: _l("请先登录。"),
    403: _l("您没有权限进行此操作。"),
    404: _l("页面不存在。请检查网址，或从首页重新进入。"),
    405: _l("不支持此操作方式。"),
    413: _l("上传的文件太大。请压缩或拆分后再上传。"),
    415: _l("不支持的内容类型。"),
    422: _l("提交的内容有误，请按提示修改后重试。"),
    429: _l("操作太频繁，请稍后再试。"),
    500: _l("系统出错了，我们已记录此问题。请稍后重试。"),
}

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}


def _flatten_webargs(errors: dict) -> dict:
    """webargs nests field messages under the location ("json", "query"); clients want fields."""
    flat: dict = {}
    for location, messages_by_field in errors.items():
        if isinstance(messages_by_field, dict):
            for field, messages in messages_by_field.items():
                flat[field] = messages
        else:
            flat[location] = messages_by_field
    return flat


def field_messages(errors: dict | None, prefix: str = "") -> dict[str, list[str]]:
    """Errors as ``{field: [message, …]}``, the shape the API documents: nested fields are
    named with dots (``goals.0.title``), and every message becomes text in the reader's
    language (marshmallow's are translated only now, see ``lms.core.messages``)."""
    flat: dict[str, list[str]] = {}
    for key, value in (errors or {}).items():
        name = f"{prefix}{key}"
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if isinstance(item, dict):
                for field, texts in field_messages(item, f"{name}.").items():
                    flat.setdefault(field, []).extend(texts)
            else:
                flat.setdefault(name, []).append(str(item))
    return flat


def error_response(status: int, code: str, message: str, errors: dict | None = None):
    errors = field_messages(errors)
    if wants_json():
        body = {"code": code, "message": str(message), "errors": errors}
        return jsonify(body), status
    return render_template(
        "errors/error.html", status=status, message=message, errors=errors
    ), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError):
        return error_response(exc.status, exc.code, exc.message, exc.errors)

    @app.errorhandler(CSRFError)
    def handle_csrf(exc: CSRFError):
        return error_response(
            400, "csrf", _("页面已过期或来源不明（安全校验失败）。请刷新页面后重新提交。")
        )

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        errors = {}
        message = str(_HTTP_MESSAGES.get(status, exc.description or ""))
        data = getattr(exc, "data", None)
        if data and isinstance(data.get("messages"), dict):
            errors = _flatten_webargs(data["messages"])
        if status == 401 and not wants_json():
            from flask import redirect, url_for

            return redirect(url_for("accounts.login", next=request.full_path))
        response = error_response(status, _HTTP_CODES.get(status, "error"), message, errors)
        if status == 429 and exc.get_headers():
            body, code = response
            return body, code, [(k, v) for k, v in exc.get_headers() if k.lower() == "retry-after"]
        return response

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def handle_out_of_range(exc: Exception):
        # A number or text the database cannot hold: the client's input, not our failure.
        from lms.extensions import db

        db.session.rollback()
        return error_response(422, "invalid", _("提交的数值超出允许范围，请检查后重试。"))

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "server_error", str(_HTTP_MESSAGES[500]))
