"""The selection rules (选树). Callers write ``from lms.selection import services``:

- ``common``: today, who organises, who acts at which level, the chain up the tree;
- ``campaigns``: campaigns, quotas, the live composition check;
- ``dossiers``: nominating, amending, and the tiered review with quotas;
- ``committee``: departmental vetting and the committee's votes;
- ``notice``: the public notice and objections;
- ``approval``: conferring the honour, and revoking it;
- ``strokes``: surname-stroke order.
"""

from lms.selection.services.approval import (  # noqa: F401
    approval_blockers,
    approve_campaign,
    revoke_honour,
)
from lms.selection.services.calendar import calendar_query, remove_day, set_day  # noqa: F401
from lms.selection.services.campaigns import (  # noqa: F401
    Composition,
    campaigns_query,
    composition,
    create_campaign,
    get_campaign,
    quotas,
    set_quota,
    total_places,
)
from lms.selection.services.committee import missing_votes, pending_vettings  # noqa: F401
from lms.selection.services.common import (  # noqa: F401
    acts_at,
    is_organizer,
    local_today,
    sees_dossier,
)
from lms.selection.services.dossiers import (  # noqa: F401
    amend,
    approve,
    basis,
    dossiers_query,
    get_dossier,
    holds,
    nominate,
    queue_query,
    reject,
    return_dossier,
    submit,
)
from lms.selection.services.notice import (  # noqa: F401
    NOTICE_GENERATION,
    dispose,
    file_objection,
    get_notice,
    get_objection,
    has_ended,
    investigate,
    is_open,
    listed,
    my_objections,
    notice_generation,
    objections_query,
    open_objections,
    public_notice,
    publish_notice,
    record_finding,
)
from lms.selection.services.reports import OrgLine, composition_report  # noqa: F401
from lms.selection.services.strokes import in_stroke_order, stroke_key  # noqa: F401
from lms.selection.services.vetting import (  # noqa: F401
    add_department,
    add_member,
    answer,
    ask_departments,
    campaign_vettings,
    cast_vote,
    committee_campaign,
    declare_conflict,
    departments,
    member_of,
    members,
    my_votes,
    tally,
    vettings_query,
    visible_tally,
)
