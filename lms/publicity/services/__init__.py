"""The publicity rules (宣传). Callers write ``from lms.publicity import services``:

- ``collections``: collections of stories and their PDF and EPUB;
- ``common``: who edits, who reviews, helpers;
- ``stories``: columns, stories, consent, review, photos and videos;
- ``public``: what visitors read, the public pages' cache, reach;
- ``coverage``: media coverage and lecture events.
"""

from lms.publicity.services.collections import build as build_collection  # noqa: F401
from lms.publicity.services.collections import (  # noqa: F401
    collections_query,
    create_collection,
    get_collection,
    publishable_stories,
)
from lms.publicity.services.common import (  # noqa: F401
    column_missing_message,
    edits,
    is_editor,
    is_reviewer,
    local_today,
    people_by_employee_no,
    people_missing_message,
    require_editor,
    require_reviewer,
    reviews,
)
from lms.publicity.services.coverage import (  # noqa: F401
    ReportFilter,
    delete_report,
    get_report,
    lecture_events,
    record_report,
    report_count,
    reports_query,
)
from lms.publicity.services.public import (  # noqa: F401
    PUBLIC_GENERATION,
    cached_body,
    column_stories,
    count_view,
    flush_reach,
    growth_path,
    home,
    most_read,
    public_generation,
    published_story,
    views_of,
)
from lms.publicity.services.stories import (  # noqa: F401
    StoryFilter,
    add_media,
    can_edit,
    can_read,
    can_review,
    columns,
    create_story,
    get_column,
    get_media,
    get_story,
    give_consent,
    history,
    my_stories,
    people_for,
    publish,
    remove_media,
    require_edits,
    review_queue,
    revise,
    revoke_consent,
    save_column,
    send_back,
    stories_query,
    submit,
    update_story,
    withdraw,
)
