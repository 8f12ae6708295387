"""The rules of mentoring (传帮带). UI, API, CLI and tasks all come through here.

Who may do what:
- officers (and admins) pair mentors with apprentices in their organization subtree,
  pause, resume or cancel pairings, resolve disputed logs and approve graduation;
- a mentor accepts or declines requests, signs the agreement, logs sessions for their
  own apprentices, pauses or resumes, and records the final assessment;
- an apprentice requests a mentor, signs the agreement, confirms or disputes logs.

Split by sub-domain: ``access`` (who sees which pairing, lists and totals), ``capacity``
(programmes and mentors' places), ``pairing`` (from proposal to graduation), ``suggestions``,
``goals``, ``logs`` (mentoring logs and disputes) and ``dashboards`` (dashboards, export and
the quiet-pairing rule).
"""

from lms.mentorship.services.access import (
    MentorshipFilter,
    get_mentorship,
    local_today,
    mentorships_query,
    roles_in,
    totals,
)
from lms.mentorship.services.capacity import (
    capacities,
    create_programme,
    default_capacity,
    get_programme,
    loads,
    mentors_in_scope,
    programmes_query,
    set_capacity,
)
from lms.mentorship.services.dashboards import (
    EXPORT_HEADERS,
    ApprenticeRow,
    announce_quiet_pairings,
    apprentice_dashboard,
    export_rows,
    export_xlsx,
    mentor_dashboard,
    quiet_mentorships,
)
from lms.mentorship.services.goals import add_goal, get_goal, update_goal
from lms.mentorship.services.logs import (
    ALLOWED_ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_LOG_MINUTES,
    Upload,
    confirm_log,
    create_log,
    dispute_log,
    disputes_query,
    get_attachment,
    get_log,
    last_kind,
    logs_query,
    resolve_log,
)
from lms.mentorship.services.pairing import (
    TRANSITIONS,
    accept_request,
    approve_graduation,
    create_pairing,
    decline_request,
    default_agreement,
    get_mentor_for_request,
    get_person,
    open_pairings,
    record_assessment,
    request_mentor,
    sign,
    transition,
    users_for_pairing,
)
from lms.mentorship.services.suggestions import Suggestion, suggestions

__all__ = [
    "ALLOWED_ATTACHMENT_TYPES",
    "EXPORT_HEADERS",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_LOG_MINUTES",
    "TRANSITIONS",
    "ApprenticeRow",
    "MentorshipFilter",
    "Suggestion",
    "Upload",
    "accept_request",
    "add_goal",
    "announce_quiet_pairings",
    "apprentice_dashboard",
    "approve_graduation",
    "capacities",
    "confirm_log",
    "create_log",
    "create_pairing",
    "create_programme",
    "decline_request",
    "default_agreement",
    "default_capacity",
    "dispute_log",
    "disputes_query",
    "export_rows",
    "export_xlsx",
    "get_attachment",
    "get_goal",
    "get_log",
    "get_mentor_for_request",
    "get_mentorship",
    "get_person",
    "get_programme",
    "last_kind",
    "loads",
    "local_today",
    "logs_query",
    "mentor_dashboard",
    "mentors_in_scope",
    "mentorships_query",
    "open_pairings",
    "programmes_query",
    "quiet_mentorships",
    "record_assessment",
    "request_mentor",
    "resolve_log",
    "roles_in",
    "set_capacity",
    "sign",
    "suggestions",
    "totals",
    "transition",
    "update_goal",
    "users_for_pairing",
]
