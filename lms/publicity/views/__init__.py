"""HTML pages of publicity, two blueprints:

- ``publicity`` (``/publicity``), for people who work on stories: ``editing`` (stories,
  their media, consent and review) and ``coverage`` (columns, media reports, reach);
- ``stories`` (``/stories``), the public pages for visitors without an account: the columns'
  home, a column, a story with its growth path, its QR code and media, lecture events.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from lms.publicity import labels

bp = Blueprint("publicity", __name__, template_folder="../templates", url_prefix="/publicity")
public_bp = Blueprint("stories", __name__, template_folder="../templates", url_prefix="/stories")


def register_helpers(app: Flask) -> None:
    glob = app.add_template_global
    glob(labels.status, "publicity_status")
    glob(labels.status_tag, "publicity_status_tag")
    glob(labels.action, "publicity_action")
    glob(labels.link, "publicity_link")
    glob(labels.book_status, "publicity_book_status")


from lms.publicity.views import books, coverage, editing, public  # noqa: E402,F401
