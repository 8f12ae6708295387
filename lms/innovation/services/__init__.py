"""The rules of innovation, split by sub-domain; ``from lms.innovation import services`` and
``services.submit(...)`` work for every caller.

- ``common``: the clock, who may see and review an item, getters
- ``submission``: submitting (kind, problem, method, team shares, attachments)
- ``duplicates``: similar earlier items
- ``review``: the queue, deadlines, decisions, supporters and merging
- ``benefit``: benefit figures, the finance duty and verification
- ``rewards``: the grade table, reward lines and their export
- ``studios``: the studio registry, naming, members and the funding ledger
- ``stats``: statistics per organization and period
- ``scorecard``: the configurable scorecard and the scoring panels built from it
- ``contest``: the five-smalls contest: call, entries, defence marked by a panel, prizes
- ``recommend``: recommended upward: recommendations, outcomes and prize money
- ``lifecycle``: studios' annual appraisal against the plan and reconfirmation
- ``evaluation``: expert evaluation of an item with declared conflicts (panel engine)
"""

from lms.innovation.services import contest, lifecycle, recommend  # noqa: F401
from lms.innovation.services.benefit import (  # noqa: F401
    assign_finance_duty,
    duties_query,
    holds_finance_duty,
    set_benefit,
    verify_benefit,
)
from lms.innovation.services.common import (  # noqa: F401
    can_review,
    can_view,
    get_item,
    get_organization,
    get_person,
    get_reviewable,
    now,
)
from lms.innovation.services.duplicates import similar  # noqa: F401
from lms.innovation.services.evaluation import (  # noqa: F401
    add_evaluator,
    close_evaluation,
    declare,
    evaluation_of,
    get_evaluation,
    open_evaluation,
    people_from_numbers,
    score,
    tasks_query,
)
from lms.innovation.services.evaluation import view as evaluation_view  # noqa: F401
from lms.innovation.services.review import (  # noqa: F401
    ItemFilter,
    decide,
    escalate_overdue,
    is_overdue,
    items_query,
    merge,
    overdue_count,
    queue_query,
    support,
)
from lms.innovation.services.rewards import (  # noqa: F401
    compute_reward,
    export_ledger,
    grade_for,
    grade_table,
    ledger_query,
    set_grade_table,
    split,
)
from lms.innovation.services.scorecard import scorecard, set_scorecard  # noqa: F401
from lms.innovation.services.stats import compute as compute_stats  # noqa: F401
from lms.innovation.services.studios import (  # noqa: F401
    add_entry,
    add_member,
    can_manage,
    decide_studio,
    get_studio,
    link_innovation,
    qualifying_honor,
    register_studio,
    revoke_studio,
    studio_innovations,
    studios_query,
)
from lms.innovation.services.submission import (  # noqa: F401
    Upload,
    opinion_reason,
    review_days,
    submit,
    team_from_text,
)
