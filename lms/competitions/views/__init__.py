"""HTML pages of the competitions, one blueprint split by who uses them:

- ``contests``: organizers' contests, trades, quotas, officials, release and export; the
  enterprise officers' registration page;
- ``judging``: judges' marking codes and marking forms (never a name), the chief judge's
  flags and lock, the identity reveal by chief judge and supervisor together;
- ``results``: a contestant's own page and the public results after release;
- ``labour``: labour competitions inside enterprises.
The online theory exam's organizer page is ``lms.competitions.theory_views``.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from lms.competitions import labels

bp = Blueprint("competitions", __name__, template_folder="../templates", url_prefix="/competitions")


def register_helpers(app: Flask) -> None:
    glob = app.add_template_global
    glob(labels.official, "competition_official")
    glob(labels.title, "competition_title")
    glob(labels.level, "competition_level")


from lms.competitions.views import contests, judging, labour, results  # noqa: E402,F401
