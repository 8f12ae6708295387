"""The care rules (服务). Callers write ``from lms.care import services``:

- ``access``: care duties, who reads whose file, the file and its timeline;
- ``cases``: hardship cases, steps and follow-ups, payments (the ledger);
- ``visits``: planned and recorded visits;
- ``checkups``: yearly check-up batches, appointments, attendance;
- ``trips``: recuperation trips and study tours, quotas, nominations, approval, attendance;
- ``tours``: what participants learned on a study tour, attached afterwards;
- ``surveys``: living-conditions survey campaigns, answers, flagged needs become cases;
- ``reports``: figures per organization and year, and their export.
"""

from lms.care.services.access import (  # noqa: F401
    CareFile,
    TimelineEntry,
    care_file,
    care_organizations,
    covers,
    duties_query,
    duty_organizations,
    get_duty,
    get_person,
    grant_duty,
    grantable_organizations,
    is_care_team,
    is_honoured,
    officers_for_duty,
    people_query,
    record_situation,
    require_care_team,
    revoke_duty,
    top_level,
)
from lms.care.services.cases import (  # noqa: F401
    CaseFilter,
    add_step,
    cases_query,
    close_case,
    complete_step,
    get_case,
    get_step,
    open_case,
    parse_amount,
    record_payment,
    steps_to_remind,
)
from lms.care.services.checkups import (  # noqa: F401
    add_eligible,
    batches_for_officer,
    batches_query,
    book,
    checkups_query,
    create_batch,
    get_batch,
    get_checkup,
    status_view,
)
from lms.care.services.checkups import record_attendance as record_checkup  # noqa: F401
from lms.care.services.common import local_today  # noqa: F401
from lms.care.services.reports import (  # noqa: F401
    MAX_YEARS,
    CareReport,
    build,
    export_sheets,
    overdue_count,
)
from lms.care.services.surveys import (  # noqa: F401
    SurveyCounts,
    answer,
    case_from_need,
    create_survey,
    get_need,
    get_response,
    get_survey,
    my_responses,
    read_response,
    responses_query,
    send_survey,
    survey_counts,
    surveys_query,
)
from lms.care.services.tours import (  # noqa: F401
    Upload,
    add_report,
    get_report,
    get_tour,
    may_report,
    reports_query,
    tours_of,
)
from lms.care.services.trips import (  # noqa: F401
    approve,
    approve_by_priority,
    create_trip,
    decline,
    get_nomination,
    get_trip,
    manages,
    my_trips,
    nominate,
    priority_score,
    roster_query,
    set_quota,
    trips_query,
    withdraw,
)
from lms.care.services.trips import record_attendance as record_trip_attendance  # noqa: F401
from lms.care.services.visits import (  # noqa: F401
    VisitFilter,
    cancel_visit,
    get_visit,
    plan_visit,
    record_visit,
    visits_query,
)
