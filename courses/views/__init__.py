"""HTML pages of the course domain, one module per kind of person.

- ``learning``: the catalog, course pages, my learning, the lecture player and quizzes;
- ``authoring``: creating and editing courses, lectures and questions;
- ``officers``: assignments, the report and its exports.

This module holds the blueprint, the labels and filters templates share, and the
pattern every editing page uses (``submitted``).
"""

from __future__ import annotations

import re

from flask import Blueprint, flash
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from courses.models import CourseStatus, EnrollmentStatus, LectureKind
from lms.core import richtext
from lms.errors import DomainError
from lms.extensions import db

bp = Blueprint("courses", __name__, url_prefix="/courses", template_folder="../templates")

KIND_LABELS = {
    LectureKind.video: _l("视频"),
    LectureKind.text: _l("图文"),
    LectureKind.file: _l("资料"),
    LectureKind.quiz: _l("测验"),
    LectureKind.live: _l("云宣讲"),
}
STATUS_LABELS = {
    CourseStatus.draft: _l("草稿"),
    CourseStatus.published: _l("已发布"),
    CourseStatus.archived: _l("已归档"),
}
ENROLLMENT_LABELS = {
    EnrollmentStatus.enrolled: _l("学习中"),
    EnrollmentStatus.waitlisted: _l("候补中"),
    EnrollmentStatus.completed: _l("已结业"),
}


@bp.app_template_global()
def lecture_kind_label(kind) -> str:
    return str(KIND_LABELS.get(kind, kind))


@bp.app_template_global()
def course_status_label(status) -> str:
    return str(STATUS_LABELS.get(status, status))


@bp.app_template_global()
def enrollment_status_label(status) -> str:
    return str(ENROLLMENT_LABELS.get(status, status))


@bp.app_template_filter("markdown")
def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, sanitized (``lms.core.richtext``): images only from this site's
    own course uploads."""
    return richtext.render(text, _OWN_UPLOAD)


#: The app's own uploads an image may show: a course's cover, a lecture's file.
_OWN_UPLOAD = re.compile(r"/courses/(\d+/cover|lectures/\d+/media)")


def form_errors(form, exc: DomainError) -> None:
    """Put a refusal's field messages on the form's fields (or flash them)."""
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
        else:
            flash("；".join(str(m) for m in messages), "error")
    if not exc.errors:
        flash(exc.message, "error")


def submitted(form, save):
    """Run ``save`` for a valid submitted form; the pattern every editing page shares.

    Returns ``(done, result, status)``: ``done`` when ``save`` went through; otherwise the
    page is shown again with ``status`` — 200 before any submission, 422 for field errors,
    or the refusal's own status with its messages put on the form's fields. A 413 (upload
    too large) stays an error page of its own.
    """
    if not form.validate_on_submit():
        return False, None, 422 if form.errors else 200
    try:
        return True, save(), 200
    except DomainError as exc:
        if exc.status == 413:
            raise
        db.session.rollback()
        form_errors(form, exc)
        return False, None, exc.status


from courses.views import authoring, learning, officers  # noqa: E402,F401  (routes)
