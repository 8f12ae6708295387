"""The rules for courses, lectures, enrollment, progress, quizzes and reports.

UI, API, CLI and tasks all come through here (``from courses import services``); every
permission check lives here. Each module says what it owns:

- ``access``: who may see, study, edit and manage a course;
- ``catalog``: the catalog, its menus and its shared cache;
- ``authoring``: courses and lectures, publishing, archiving, the course's audience;
- ``uploads``: lecture files and covers, the server-side length of videos;
- ``quizzes``: quiz questions and attempts;
- ``enrollment``: seats, waitlist, assignments;
- ``progress``: the one progress rule, lecture and course completion;
- ``learning``: a person's own list of courses;
- ``reports``: officers' figures and exports.
"""

from courses.services.access import (
    SEATED,
    ancestor_ids,
    can_author,
    can_edit,
    can_manage,
    can_open_citywide,
    enrollment_for,
    get_course,
    is_lecturer,
    is_visible_to,
    require_manage,
    visible_condition,
)
from courses.services.authoring import (
    COURSE_FIELDS,
    LECTURE_FIELDS,
    add_lecture,
    archive,
    create_course,
    delete_lecture,
    get_lecture_for_edit,
    move_lecture,
    publish,
    reorder_lectures,
    update_course,
    update_lecture,
)
from courses.services.catalog import (
    CATALOG_GENERATION,
    CatalogFilter,
    catalog_cache_key,
    catalog_choices,
    catalog_generation,
    catalog_query,
    managed_courses_query,
    upcoming_live,
)
from courses.services.enrollment import (
    AssignResult,
    assign,
    enroll,
    enrollment_with_progress,
    promote_waitlist,
    self_enroll,
    withdraw,
)
from courses.services.learning import LearningItem, NextLecture, learning_items, my_learning_query
from courses.services.progress import (
    MAX_PLAYBACK_RATE,
    PLAYED_KINDS,
    WATCHED_SHARE,
    LectureAccess,
    SavedProgress,
    on_class_completed,
    open_lecture,
    progress_map,
    refresh_course_progress,
    refresh_enrollment,
    save_progress,
)
from courses.services.quizzes import (
    QuizResult,
    add_question,
    attempts_of,
    delete_question,
    quiz_questions,
    replace_questions,
    submit_quiz,
)
from courses.services.reports import (
    CourseReport,
    OrgRow,
    course_learners_query,
    course_report,
    learners_xlsx,
    report_xlsx,
)
from courses.services.uploads import (
    attach_file,
    check_upload,
    file_duration,
    human_size,
    set_cover,
    too_large_message,
    upload_limit,
)

__all__ = [
    "AssignResult",
    "CATALOG_GENERATION",
    "COURSE_FIELDS",
    "CatalogFilter",
    "CourseReport",
    "LECTURE_FIELDS",
    "LearningItem",
    "LectureAccess",
    "MAX_PLAYBACK_RATE",
    "NextLecture",
    "OrgRow",
    "PLAYED_KINDS",
    "QuizResult",
    "SEATED",
    "SavedProgress",
    "WATCHED_SHARE",
    "add_lecture",
    "add_question",
    "ancestor_ids",
    "archive",
    "assign",
    "attach_file",
    "attempts_of",
    "can_author",
    "can_edit",
    "can_manage",
    "can_open_citywide",
    "catalog_cache_key",
    "catalog_choices",
    "catalog_generation",
    "catalog_query",
    "check_upload",
    "course_learners_query",
    "course_report",
    "create_course",
    "delete_lecture",
    "delete_question",
    "enroll",
    "enrollment_for",
    "enrollment_with_progress",
    "file_duration",
    "get_course",
    "get_lecture_for_edit",
    "human_size",
    "is_lecturer",
    "is_visible_to",
    "learners_xlsx",
    "learning_items",
    "managed_courses_query",
    "move_lecture",
    "my_learning_query",
    "on_class_completed",
    "open_lecture",
    "progress_map",
    "promote_waitlist",
    "publish",
    "quiz_questions",
    "refresh_course_progress",
    "refresh_enrollment",
    "reorder_lectures",
    "replace_questions",
    "report_xlsx",
    "require_manage",
    "save_progress",
    "self_enroll",
    "set_cover",
    "submit_quiz",
    "too_large_message",
    "upcoming_live",
    "update_course",
    "update_lecture",
    "upload_limit",
    "visible_condition",
    "withdraw",
]
