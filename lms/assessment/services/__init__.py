"""The assessment engine's service API, split by sub-domain (callers write
``from lms.assessment import services``):

- ``access``: who manages banks and exams, who sits, fetching with that check;
- ``banks``: banks and questions, one question's checks;
- ``importer``: questions from a spreadsheet, all rows or none;
- ``exams``: blueprints, candidates, drawing a paper from a seed;
- ``sittings``: the server's clock, answers, submit, closing at the deadline, what a reader sees.
"""

from lms.assessment.services.access import (  # noqa: F401
    banks_query,
    candidate_exams_query,
    exam_for_candidate,
    exams_query,
    get_bank,
    get_exam,
    manages,
    may_sit,
    require_manager,
    require_officer_like,
    sitting_for,
)
from lms.assessment.services.banks import (  # noqa: F401
    add_question,
    check_question,
    create_bank,
    pool_sizes,
    questions_query,
    retire_question,
)
from lms.assessment.services.exams import (  # noqa: F401
    add_candidates,
    check_blueprint,
    create_exam,
    draw,
)
from lms.assessment.services.importer import import_questions, template_xlsx  # noqa: F401
from lms.assessment.services.sittings import (  # noqa: F401
    close_expired,
    get,
    own_sitting,
    paper,
    results,
    reveals,
    save_answer,
    save_answers,
    start,
    submit,
    window_state,
)
