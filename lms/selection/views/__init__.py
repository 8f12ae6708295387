"""HTML pages of selection, one blueprint split by sub-domain:

- ``campaigns``: the list, a new campaign, the organizer's page (quotas, composition, the
  list, publishing and approval), the admins' working-day calendar;
- ``dossiers``: a level's queue, nominating, a dossier with its steps and the review;
- ``notice``: the public notice (no sign-in, cached), objections and their handling.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from lms.accounts.labels import HONOR_KIND_LABELS, HONOR_LEVEL_LABELS
from lms.selection import labels

bp = Blueprint("selection", __name__, template_folder="../templates", url_prefix="/selection")


def register_helpers(app: Flask) -> None:
    glob = app.add_template_global
    glob(lambda v: labels.label(labels.CAMPAIGN_STATUS, v), "sel_campaign_status")
    glob(lambda v: labels.label(labels.DOSSIER_STATUS, v), "sel_dossier_status")
    glob(lambda v: labels.label(labels.STEP_ACTION, v), "sel_step_action")
    glob(lambda v: labels.label(labels.OBJECTION_STATUS, v), "sel_objection_status")
    glob(lambda v: labels.label(labels.DISPOSITION, v), "sel_disposition")
    glob(lambda v: labels.label(labels.VERDICT, v), "sel_verdict")
    glob(lambda v: labels.label(labels.VOTE, v), "sel_vote")
    glob(lambda v: str(HONOR_KIND_LABELS.get(v, v or "")), "sel_honour_kind")
    glob(lambda v: str(HONOR_LEVEL_LABELS.get(v, v or "")), "sel_honour_level")


from lms.selection.views import campaigns, dossiers, notice, vetting  # noqa: E402,F401
