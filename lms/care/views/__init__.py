"""HTML pages of the care link, one blueprint split by sub-domain:

- ``files``: the care team's list of people, a person's file, one's own file, duties;
- ``cases``: hardship cases and visits;
- ``checkups``: check-up batches and the officers' "done / not done" view;
- ``trips``: recuperation trips and study tours, quotas, nominations, approval, attendance;
- ``tours``: study tours' reports of what was learned;
- ``surveys``: living-conditions survey campaigns, answers, flagged needs to cases;
- ``reports``: figures and their export.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from lms.accounts.labels import HONOR_KIND_LABELS, HONOR_LEVEL_LABELS
from lms.care import labels

bp = Blueprint("care", __name__, template_folder="../templates", url_prefix="/care")


def register_helpers(app: Flask) -> None:
    glob = app.add_template_global
    glob(labels.need, "care_need")
    glob(labels.help_kind, "care_help_kind")
    glob(labels.case_status, "care_case_status")
    glob(labels.occasion, "care_occasion")
    glob(labels.visit_status, "care_visit_status")
    glob(labels.nomination_status, "care_nomination_status")
    glob(labels.response_status, "care_response_status")
    glob(labels.trip_kind, "care_trip_kind")
    glob(lambda v: str(HONOR_LEVEL_LABELS.get(v, v or "")), "care_level")
    glob(lambda v: str(HONOR_KIND_LABELS.get(v, v or "")), "care_honor_kind")
    glob(
        lambda table: labels.choices(getattr(labels, table)),
        "care_choices",
    )


from lms.care.views import (  # noqa: E402,F401
    cases,
    checkups,
    files,
    reports,
    surveys,
    tours,
    trips,
)
