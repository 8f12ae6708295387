"""Display names for the competitions' codes, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.competitions.models import Official, Title

OFFICIAL_LABELS = {
    Official.judge: _l("裁判"),
    Official.chief_judge: _l("裁判长"),
    Official.supervisor: _l("监督"),
}

TITLE_LABELS = {
    Title.chief_technician: _l("首席技工"),
    Title.technical_expert: _l("技术能手"),
}

LEVEL_LABELS = {
    "city": _l("市级"),
    "enterprise": _l("企业级"),
    "workshop": _l("车间级"),
}


def choices(table: dict) -> list[tuple[str, object]]:
    return [(str(key), label) for key, label in table.items()]


def official(value) -> str:
    return str(OFFICIAL_LABELS.get(value, value or ""))


def title(value) -> str:
    return str(TITLE_LABELS.get(value, value or ""))


def level(value) -> str:
    return str(LEVEL_LABELS.get(value, value or ""))
