"""Display names for the publicity codes, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.publicity.models import BookStatus, MediaKind, StoryStatus

STATUS_LABELS = {
    StoryStatus.draft: _l("草稿"),
    StoryStatus.review: _l("待审核"),
    StoryStatus.published: _l("已发布"),
    StoryStatus.withdrawn: _l("已撤下"),
}

STATUS_TAGS = {
    StoryStatus.draft: "",
    StoryStatus.review: "amber",
    StoryStatus.published: "green",
    StoryStatus.withdrawn: "red",
}

MEDIA_LABELS = {MediaKind.image: _l("照片"), MediaKind.video: _l("视频")}

ACTION_LABELS = {
    "create": _l("撰写"),
    "edit": _l("修改"),
    "submit": _l("提交审核"),
    "consent": _l("本人确认"),
    "consent_reset": _l("需重新确认"),
    "consent_revoked": _l("本人撤回同意"),
    "publish": _l("发布"),
    "return": _l("退回修改"),
    "withdraw": _l("撤下"),
    "revise": _l("重新修改"),
}

LINK_LABELS = {
    "service": _l("服务"),
    "publicity": _l("宣传"),
    "cultivation": _l("培育"),
    "competition": _l("竞赛"),
    "selection": _l("选树"),
}


BOOK_LABELS = {
    BookStatus.pending: _l("排队中"),
    BookStatus.running: _l("生成中"),
    BookStatus.done: _l("已生成"),
    BookStatus.failed: _l("生成失败"),
}


def book_status(value) -> str:
    return str(BOOK_LABELS.get(value, value or ""))


def status(value) -> str:
    return str(STATUS_LABELS.get(value, value or ""))


def status_tag(value) -> str:
    return STATUS_TAGS.get(value, "")


def action(value) -> str:
    return str(ACTION_LABELS.get(value, value or ""))


def link(value) -> str:
    return str(LINK_LABELS.get(value, value or ""))


def choices(table: dict) -> list[tuple[str, str]]:
    return [(k.value if hasattr(k, "value") else k, str(v)) for k, v in table.items()]
