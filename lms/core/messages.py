"""Marshmallow's own messages ("Missing data for required field.", "Must be greater than or
equal to 0." …) in the reader's language, set once for every schema of the platform.

``install()`` replaces the class-level defaults that marshmallow documents for this —
``Field.default_error_messages`` of each field class, the message templates of the
validators (``Range.message_min``, ``OneOf.default_message`` …) and ``Schema.error_messages``
— with :class:`Message` objects. It runs when ``lms`` is imported, before any schema class
is defined, because marshmallow copies the messages into each field when the field is made.

A ``Message`` is text whose language is chosen when it is shown: ``str(message)`` translates
it through Flask-Babel at that moment (Chinese by default, English from the catalogue).
The error handler (``lms.errors``) turns every message into text that way.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import Schema, fields, validate


class Message(str):
    """A str whose own value is the Chinese source text, and whose ``str()`` is the text in
    the current language.

    It is a str because marshmallow checks for one and calls ``format`` on it; ``format``
    keeps the arguments, and they are applied to the translation when it is shown.
    """

    msgid: str
    stages: tuple[dict[str, Any], ...]

    def __new__(cls, msgid: str, stages: tuple[dict[str, Any], ...] = ()):
        value = msgid
        for arguments in stages:
            value = value.format(**arguments)
        message = super().__new__(cls, value)
        message.msgid, message.stages = msgid, stages
        return message

    def format(self, *args: Any, **kwargs: Any) -> str:
        if args:  # not a use marshmallow makes: plain text
            return str(self).format(*args, **kwargs)
        return Message(self.msgid, (*self.stages, kwargs))

    def __str__(self) -> str:
        text = gettext(self.msgid)  # the source text where no language is chosen
        for arguments in self.stages:
            text = text.format(**arguments)
        return text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def N_(msgid: str) -> Message:  # noqa: N802 - the name Babel's extractor looks for
    return Message(msgid)


def _set_field_messages(field_class: type[fields.Field], **messages: Message) -> None:
    field_class.default_error_messages = {**field_class.default_error_messages, **messages}


def install() -> None:
    """Put the translatable messages in place of marshmallow's English defaults."""
    _set_field_messages(
        fields.Field,
        required=N_("此项必填。"),
        null=N_("此项不能为空。"),
        validator_failed=N_("取值无效。"),
    )
    _set_field_messages(fields.Nested, type=N_("格式不正确，应为对象。"))
    _set_field_messages(fields.List, invalid=N_("应为列表。"))
    _set_field_messages(fields.Tuple, invalid=N_("应为固定长度的列表。"))
    _set_field_messages(
        fields.String, invalid=N_("应为文本。"), invalid_utf8=N_("不是有效的 UTF-8 文本。")
    )
    _set_field_messages(fields.UUID, invalid_uuid=N_("不是有效的 UUID。"))
    _set_field_messages(fields.Number, invalid=N_("应为数字。"), too_large=N_("数值过大。"))
    _set_field_messages(fields.Integer, invalid=N_("应为整数。"))
    for number in (fields.Float, fields.Decimal):
        _set_field_messages(number, special=N_("不接受 NaN 或无穷大。"))
    _set_field_messages(fields.Boolean, invalid=N_("应为 true 或 false。"))
    _set_field_messages(
        fields.DateTime,
        invalid=N_("不是有效的日期时间（例如 2026-03-01T08:30:00+08:00）。"),
        invalid_awareness=N_("日期时间的时区不符合要求。"),
        format=N_("无法写成日期时间。"),
    )
    _set_field_messages(
        fields.Date,
        invalid=N_("不是有效的日期（例如 2026-03-01）。"),
        format=N_("无法写成日期。"),
    )
    _set_field_messages(
        fields.Time,
        invalid=N_("不是有效的时间（例如 08:30:00）。"),
        invalid_awareness=N_("时间的时区不符合要求。"),
        format=N_("无法写成时间。"),
    )
    _set_field_messages(
        fields.TimeDelta, invalid=N_("不是有效的时长。"), format=N_("无法写成时长。")
    )
    _set_field_messages(fields.Mapping, invalid=N_("应为对象（键值对）。"))
    _set_field_messages(fields.Url, invalid=N_("不是有效的网址。"))
    _set_field_messages(fields.Email, invalid=N_("不是有效的电子邮箱地址。"))
    _set_field_messages(fields.IP, invalid_ip=N_("不是有效的 IP 地址。"))
    _set_field_messages(fields.IPInterface, invalid_ip_interface=N_("不是有效的网络接口地址。"))
    _set_field_messages(fields.Enum, unknown=N_("只能是以下之一：{choices}。"))

    validate.Range.message_min = N_("必须{min_op} {{min}}。")
    validate.Range.message_max = N_("必须{max_op} {{max}}。")
    validate.Range.message_all = N_("必须{min_op} {{min}}，且{max_op} {{max}}。")
    validate.Range.message_gte = N_("大于或等于")
    validate.Range.message_gt = N_("大于")
    validate.Range.message_lte = N_("小于或等于")
    validate.Range.message_lt = N_("小于")
    validate.Length.message_min = N_("长度不能少于 {min}。")
    validate.Length.message_max = N_("长度不能超过 {max}。")
    validate.Length.message_all = N_("长度应在 {min} 到 {max} 之间。")
    validate.Length.message_equal = N_("长度应为 {equal}。")
    validate.OneOf.default_message = N_("只能是以下之一：{choices}。")
    validate.ContainsOnly.default_message = N_("所选的值须在以下范围内：{choices}。")
    validate.ContainsNoneOf.default_message = N_("所选的值不能包含：{values}。")
    validate.NoneOf.default_message = N_("不接受这个值。")
    validate.Predicate.default_message = N_("取值无效。")
    validate.Equal.default_message = N_("必须等于 {other}。")
    validate.Regexp.default_message = N_("格式不正确。")
    validate.URL.default_message = N_("不是有效的网址。")
    validate.Email.default_message = N_("不是有效的电子邮箱地址。")

    Schema.error_messages = {
        **Schema.error_messages,
        "type": N_("格式不正确，应为对象。"),
        "unknown": N_("不认识的字段。"),
    }
