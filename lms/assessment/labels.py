"""What the pages call the engine's values, in the reader's language."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "single": _l("单选题"),
    "multiple": _l("多选题"),
    "true_false": _l("判断题"),
    "fill": _l("填空题"),
}
DIFFICULTY_LABELS = {1: _l("易"), 2: _l("中"), 3: _l("难")}
CLOSED_BY_LABELS = {"submit": _l("本人交卷"), "timeout": _l("时间到自动交卷"), None: _l("作答中")}


def register_helpers(app: Flask) -> None:
    glob = app.add_template_global
    glob(lambda v: str(KIND_LABELS.get(v, v)), "assessment_kind")
    glob(lambda v: str(DIFFICULTY_LABELS.get(v, v or "")), "assessment_difficulty")
    glob(lambda v: str(CLOSED_BY_LABELS.get(v, v)), "assessment_closed_by")
