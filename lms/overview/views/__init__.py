"""HTML pages of the overview package: ``growth`` (a person's growth record and its PDF) and
``overview`` (the five-links figures of a subtree, the annual report)."""

from __future__ import annotations

from flask import Blueprint, Flask

from lms.overview import labels

bp = Blueprint("overview", __name__, template_folder="../templates")


def register_helpers(app: Flask) -> None:
    app.add_template_global(labels.link, "link_label")


from lms.overview.views import growth, overview  # noqa: E402,F401  (routes)
