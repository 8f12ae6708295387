"""HTML pages of the assessment engine, one blueprint split in two:

- ``manage``: officers' banks, questions, imports, exams and their results;
- ``sit``: a candidate's exams, the sitting on the phone, the result.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assessment", __name__, template_folder="../templates", url_prefix="/assessment")

from lms.assessment.views import manage, sit  # noqa: E402,F401
