"""HTML pages of innovation, split by who uses them:

- ``items``: a worker's list, the phone submission form with similar items, an item's page
- ``officers``: the review queue and overdue list, decisions, merging, benefit, verification,
  rewards, the finance duties and statistics
- ``contests``: the five-smalls contest: calls, entries, defence marks, prizes
- ``evaluations``: expert evaluation with the scorecard and declared conflicts
- ``recommendations``: recommended upward to higher-level awards, and their outcomes
- ``studios``: the studio registry, a studio's page, naming, revocation and the ledger
"""

from flask import Blueprint

bp = Blueprint("innovation", __name__, template_folder="../templates", url_prefix="/innovation")

from lms.innovation.views import (  # noqa: E402, F401
    contests,
    evaluations,
    items,
    officers,
    recommendations,
    studios,
)
