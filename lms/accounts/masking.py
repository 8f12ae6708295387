"""Personal information shown only as much as the task needs (PIPL)."""

from __future__ import annotations


def mask_mobile(mobile: str | None) -> str:
    if not mobile:
        return ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_id_number(id_number: str | None) -> str:
    if not id_number:
        return ""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return f"{id_number[:3]}{'*' * (len(id_number) - 7)}{id_number[-4:]}"


def mask_name(name: str | None) -> str:
    """张三丰 → 张*丰, 张三 → 张*: enough to recognise, not to identify."""
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"
