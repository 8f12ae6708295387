"""The one rule for every web address a person types: http or https, with a host.

``javascript:``, ``data:`` and every other scheme would run or show something in the
reader's browser when the address is written into ``href`` or ``src``. Inputs go through
``HttpUrl`` (Marshmallow) or ``HttpUrlField`` validators (WTForms); templates write stored
addresses through the ``http_url`` filter, so a value stored before the rule existed is
never a link.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields
from wtforms.validators import ValidationError as FormValidationError

MAX_LENGTH = 500
SCHEMES = frozenset({"http", "https"})
MESSAGE = _l("请填写以 http:// 或 https:// 开头的完整网址。")
TOO_LONG = _l("网址不能超过 %(max)d 个字符。", max=MAX_LENGTH)


def is_http_url(value: str | None) -> bool:
    if not value or len(value) > MAX_LENGTH or any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)


def clean_http_url(value: str | None) -> str:
    """The address stripped of surrounding space, or "" for none; raises ``ValueError``
    with the Chinese message when it is not an http(s) address."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > MAX_LENGTH:
        raise ValueError(str(TOO_LONG))
    if not is_http_url(value):
        raise ValueError(str(MESSAGE))
    return value


class HttpUrl(fields.String):
    """A Marshmallow field for a user-entered address: http(s) only, "" or None for none."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return clean_http_url(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class HttpUrlField:
    """A WTForms validator: the field's data must be an http(s) address (empty passes; add
    ``Optional``/``DataRequired`` for the rest)."""

    def __call__(self, form, field) -> None:
        try:
            field.data = clean_http_url(field.data)
        except ValueError as exc:
            raise FormValidationError(str(exc)) from exc


def http_url_filter(value: str | None) -> str:
    """Jinja filter: the address if it is http(s), else "" (never a ``javascript:`` link)."""
    return value if is_http_url(value) else ""
