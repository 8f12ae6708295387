"""Lists of names in surname-stroke order (姓氏笔画), as Chinese public notices are ordered.

The stroke counts come from the ``strokes`` package's table (Unihan total strokes): names
compare by the strokes of the surname, then of each following character; a character the
table lacks sorts after every known one; equal counts fall back to the text itself, so the
order never depends on anything but the names.
"""

from __future__ import annotations

from strokes import strokes as _strokes

UNKNOWN = 99


def stroke_key(name: str) -> tuple:
    counts = tuple(_strokes(char) or UNKNOWN for char in name)
    return counts, name


def in_stroke_order(items, name=lambda item: item):
    return sorted(items, key=lambda item: stroke_key(name(item)))
