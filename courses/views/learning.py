"""Pages for learners: the catalog, a course, my learning, the lecture player, quizzes."""

from __future__ import annotations

import re

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from courses import services
from courses.models import CourseStatus, EnrollmentStatus, LectureKind, Visibility
from courses.views import bp
from lms.core import storage
from lms.core.pages import int_arg, paginate
from lms.errors import Invalid, NotFound, error_response
from lms.extensions import cache, db


@bp.route("/")
@login_required
def catalog():
    """The catalog's body is shared by everyone with the same audience: it is kept in the
    cache (see ``services.catalog``); the page around it is rendered for the person."""
    filters = services.CatalogFilter(
        q=request.args.get("q") or None,
        trade=request.args.get("trade") or None,
        skill_level=request.args.get("level") or None,
        lecturer_id=int_arg("lecturer"),
        organization_id=int_arg("org"),
        sort="popular" if request.args.get("sort") == "popular" else "newest",
    )
    timeout = current_app.config["COURSE_CATALOG_CACHE_SECONDS"]
    key = services.catalog_cache_key(
        current_user, list(request.args.items(multi=True)), str(get_locale())
    )
    body = cache.get(key) if timeout else None
    if body is None:
        page = paginate(services.catalog_query(current_user, filters), per_page=12)
        body = render_template(
            "courses/_catalog_body.html",
            page=page,
            filters=filters,
            choices=services.catalog_choices(),
            live=services.upcoming_live(current_user) if page.page == 1 else [],
        )
        if timeout:
            cache.set(key, body, timeout=timeout)
    return render_template("courses/catalog.html", body=Markup(body))


@bp.route("/<int:course_id>")
@login_required
def course(course_id: int):
    course = services.get_course(current_user, course_id, with_lectures=True)
    preview = request.args.get("preview") == "1" and services.can_edit(current_user, course)
    enrollment, progress = (
        (None, {}) if preview else services.enrollment_with_progress(current_user.id, course.id)
    )
    lectures = course.lectures
    next_lecture = next(
        (lec for lec in lectures if not (progress.get(lec.id) and progress[lec.id].completed)),
        None,
    )
    return render_template(
        "courses/course.html",
        course=course,
        lectures=lectures,
        enrollment=enrollment,
        progress=progress,
        next_lecture=next_lecture,
        preview=preview,
        can_edit=not preview and services.can_edit(current_user, course),
        can_manage=not preview and services.can_manage(current_user, course),
        visible=services.is_visible_to(current_user, course),
    )


@bp.route("/<int:course_id>/cover")
@login_required
def cover(course_id: int):
    """A cover is public only for a published city-wide course; a draft's or a restricted
    course's is never kept by a shared cache."""
    course = services.get_course(current_user, course_id)
    if not course.cover_key or not storage.exists(course.cover_key):
        raise NotFound()
    response = send_file(storage.path(course.cover_key), conditional=True, max_age=3600)
    if course.status != CourseStatus.published:
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.no_store = True
        response.expires = None
    elif course.visibility != Visibility.everyone:
        response.cache_control.public = False
        response.cache_control.private = True
    return response


@bp.route("/<int:course_id>/enroll", methods=["POST"])
@login_required
def enroll(course_id: int):
    course = services.get_course(current_user, course_id)
    enrollment = services.self_enroll(current_user, course)
    if enrollment.status == EnrollmentStatus.waitlisted:
        flash(_("名额已满，您已进入候补名单。有空位时会自动为您补上并通知您。"), "info")
    else:
        flash(_("报名成功，现在就可以开始学习。"), "success")
    return redirect(url_for("courses.course", course_id=course_id))


@bp.route("/<int:course_id>/withdraw", methods=["POST"])
@login_required
def withdraw(course_id: int):
    enrollment = services.enrollment_for(current_user.id, course_id)
    if enrollment is None:
        raise NotFound()
    services.withdraw(current_user, enrollment)
    flash(_("已退出课程。"), "info")
    return redirect(url_for("courses.my_learning"))


@bp.route("/mine")
@login_required
def my_learning():
    page = paginate(services.my_learning_query(current_user), per_page=20)
    return render_template(
        "courses/my_learning.html", page=page, items=services.learning_items(list(page.items))
    )


@bp.route("/lectures/<int:lecture_id>")
@login_required
def lecture(lecture_id: int):
    access = services.open_lecture(current_user, lecture_id)
    lecture, course = access.lecture, access.course
    progress = services.progress_map(access.enrollment)
    lectures = course.lectures
    index = next(i for i, lec in enumerate(lectures) if lec.id == lecture.id)
    context = {
        "lecture": lecture,
        "course": course,
        "access": access,
        "progress": progress.get(lecture.id),
        "progress_all": progress,
        "lectures": lectures,
        "prev_lecture": lectures[index - 1] if index > 0 else None,
        "next_lecture": lectures[index + 1] if index + 1 < len(lectures) else None,
        "save_every": current_app.config["COURSE_PROGRESS_SAVE_SECONDS"],
        "max_rate": services.MAX_PLAYBACK_RATE,
    }
    if lecture.kind == LectureKind.quiz:
        context["questions"] = services.quiz_questions(lecture)
        context["attempts"] = services.attempts_of(access.enrollment, lecture)
    return render_template("courses/lecture.html", **context)


@bp.route("/lectures/<int:lecture_id>/done", methods=["POST"])
@login_required
def lecture_done(lecture_id: int):
    access = services.open_lecture(current_user, lecture_id)
    services.save_progress(current_user, lecture_id, completed=True)
    enrollment = access.enrollment
    if enrollment is not None:
        db.session.refresh(enrollment)
        if enrollment.status == EnrollmentStatus.completed:
            flash(_("恭喜！您已完成本课程。"), "success")
            return redirect(url_for("courses.course", course_id=access.course.id))
        flash(_("已记为完成。"), "success")
    following = request.form.get("next")
    if following and following.isdigit():
        return redirect(url_for("courses.lecture", lecture_id=int(following)))
    return redirect(url_for("courses.course", course_id=access.course.id))


@bp.route("/lectures/<int:lecture_id>/position", methods=["POST"])
@login_required
def save_position(lecture_id: int):
    """The player's last word when paused or leaving the page (``navigator.sendBeacon``).

    A beacon cannot carry headers, so it posts a form whose ``csrf_token`` field the usual
    CSRF check reads; the save itself is the same service as the API's.
    """
    position = request.form.get("position_seconds", "")
    if not position.isdigit() or int(position) > 24 * 3600:
        raise Invalid(errors={"position_seconds": [_("播放位置不正确。")]})
    services.save_progress(current_user, lecture_id, position_seconds=int(position))
    return "", 204


@bp.route("/lectures/<int:lecture_id>/media")
@login_required
def lecture_media(lecture_id: int):
    """The uploaded file, with Range support so phones can seek in videos.

    Reading changes nothing: an attachment is marked studied by the learner's own
    "我已学完" (a POST), not by downloading it.
    """
    access = services.open_lecture(current_user, lecture_id)
    lecture = access.lecture
    if not lecture.file_key or not storage.exists(lecture.file_key):
        raise NotFound()
    as_attachment = lecture.kind == LectureKind.file and request.args.get("download") == "1"
    path = storage.path(lecture.file_key)
    try:
        response = send_file(
            path,
            mimetype=lecture.file_type,
            as_attachment=as_attachment,
            download_name=lecture.file_name,
            conditional=True,
            max_age=0,
        )
    except RequestedRangeNotSatisfiable:
        body, status = error_response(
            416, "range_not_satisfiable", _("请求的播放位置超出了文件长度，请从头播放。")
        )
        return body, status, {"Content-Range": f"bytes */{path.stat().st_size}"}
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.route("/lectures/<int:lecture_id>/quiz", methods=["POST"])
@login_required
def submit_quiz(lecture_id: int):
    access = services.open_lecture(current_user, lecture_id)
    answers: dict[int, list[int]] = {}
    for key in request.form:
        match = re.fullmatch(r"q(\d+)", key)
        if match:
            values = request.form.getlist(key)
            if not all(v.isdigit() for v in values):
                raise Invalid(errors={"answers": [_("答案格式不正确。")]})
            answers[int(match.group(1))] = [int(v) for v in values]
    result = services.submit_quiz(current_user, lecture_id, answers)
    return render_template(
        "courses/quiz_result.html",
        lecture=access.lecture,
        course=access.course,
        result=result,
        questions=services.quiz_questions(access.lecture),
        lectures=access.course.lectures,
    )
