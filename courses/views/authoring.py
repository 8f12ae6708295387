"""Authoring pages: courses, lectures (with their uploads) and quiz questions.

Upload pages take bodies up to the upload limit, far above the app's usual
``MAX_CONTENT_LENGTH``: ``takes_upload`` raises the request's own limit *before* anything
reads the body, then runs the CSRF check itself (Flask-WTF's app-wide check runs before
any blueprint hook and would parse the body under the usual limit).
"""

from __future__ import annotations

import functools

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from courses import services
from courses.forms import CourseForm, LectureForm, QuestionForm
from courses.models import Lecture, LectureKind, Visibility
from courses.views import bp, submitted
from lms.accounts import scope
from lms.accounts import services as accounts
from lms.accounts.models import Organization, Role, User, UserRole
from lms.core import storage
from lms.core.pages import paginate
from lms.errors import DomainError, Invalid, NotFound
from lms.extensions import csrf, db
from lms.timeutil import local_datetime, local_zone


def takes_upload(limit_for):
    """Let the view's body be as large as ``limit_for(**view_args)`` bytes (plus the form
    around the file), refuse a larger one before reading it, then check CSRF."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            limit = limit_for(**kwargs)
            request.max_content_length = limit + 1024 * 1024
            if request.content_length and request.content_length > request.max_content_length:
                raise storage.TooLarge(services.too_large_message(limit))
            if current_app.config.get("WTF_CSRF_ENABLED", True):
                csrf.protect()
            return view(**kwargs)

        return csrf.exempt(wrapper)

    return decorate


def _cover_limit(**_kwargs) -> int:
    return current_app.config["COURSE_COVER_MAX_BYTES"]


def _new_lecture_limit(course_id: int, kind: str) -> int:
    try:
        return services.upload_limit(LectureKind(kind))
    except ValueError:
        raise NotFound() from None


def _lecture_limit(lecture_id: int) -> int:
    kind = db.session.scalar(db.select(Lecture.kind).where(Lecture.id == lecture_id))
    return services.upload_limit(kind or LectureKind.file)


def _require_author():
    if not services.can_author(current_user):
        raise NotFound()


def org_choices():
    """Organizations a course may be opened to or assigned to, indented as a tree."""
    if scope.is_admin(current_user) or scope.is_officer(current_user):
        orgs = db.session.scalars(accounts.organizations_in_scope(current_user)).all()
    else:
        orgs = db.session.scalars(
            db.select(Organization)
            .where(Organization.id.in_(services.ancestor_ids(current_user.organization)))
            .order_by(Organization.path)
        ).all()
    return [(o.id, "　" * o.depth + o.name) for o in orgs]


def _lecturer_choices(course=None):
    mentors = db.session.scalars(
        db.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.mentor, User.active.is_(True))
        .order_by(User.name)
        .limit(300)
    ).all()
    extra = list(course.lecturers) if course else []
    seen = {}
    for u in [*extra, *mentors]:
        seen.setdefault(u.id, f"{u.name}（{u.organization.name}）")
    return list(seen.items())


def _course_form(form: CourseForm, course=None) -> None:
    form.organization_ids.choices = org_choices()
    if course is not None:
        for org in course.organizations:
            if org.id not in dict(form.organization_ids.choices):
                form.organization_ids.choices.append((org.id, org.name))
    form.lecturer_ids.choices = _lecturer_choices(course)
    citywide = course is not None and course.visibility == Visibility.everyone
    if not (citywide or services.can_open_citywide(current_user)):
        form.visibility.choices = [
            (value, label)
            for value, label in form.visibility.choices
            if value != Visibility.everyone.value
        ]


def _course_data(form: CourseForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "summary": form.summary.data or "",
        "trade": (form.trade.data or "").strip() or None,
        "skill_level": form.skill_level.data or None,
        "hours": float(form.hours.data or 0),
        "visibility": Visibility(form.visibility.data),
        "organization_ids": form.organization_ids.data or [],
        "lecturer_ids": form.lecturer_ids.data or [],
        "self_enroll": bool(form.self_enroll.data),
        "capacity": form.capacity.data,
        "linked_class_id": form.linked_class_id.data,
    }


@bp.route("/manage")
@login_required
def manage():
    _require_author()
    page = paginate(services.managed_courses_query(current_user), per_page=20)
    return render_template("courses/manage.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@takes_upload(_cover_limit)
def new_course():
    _require_author()
    form = CourseForm()
    _course_form(form)

    def save():
        course = services.create_course(current_user, **_course_data(form))
        _save_cover(form, course)
        return course

    done, course, status = submitted(form, save)
    if done:
        flash(_("课程已创建（草稿）。接下来添加各讲内容。"), "success")
        return redirect(url_for("courses.edit_course", course_id=course.id))
    return render_template("courses/course_form.html", form=form, course=None), status


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
@takes_upload(_cover_limit)
def edit_course(course_id: int):
    course = services.get_course(current_user, course_id, for_edit=True)
    form = CourseForm(obj=course)
    _course_form(form, course)
    if request.method == "GET":
        form.visibility.data = course.visibility.value
        form.skill_level.data = course.skill_level.value if course.skill_level else ""
        form.organization_ids.data = [o.id for o in course.organizations]
        form.lecturer_ids.data = [u.id for u in course.lecturers]

    def save():
        services.update_course(current_user, course, **_course_data(form))
        _save_cover(form, course)

    done, _result, status = submitted(form, save)
    if done:
        flash(_("课程已保存。"), "success")
        return redirect(url_for("courses.edit_course", course_id=course.id))
    return render_template(
        "courses/course_form.html",
        form=form,
        course=course,
        lectures=course.lectures,
        can_manage=services.can_manage(current_user, course),
        kinds=list(LectureKind),
    ), status


@bp.route("/<int:course_id>/publish", methods=["POST"])
@login_required
def publish(course_id: int):
    course = services.get_course(current_user, course_id)
    services.publish(current_user, course)
    flash(_("课程已发布，学员可以在课程中心看到它。"), "success")
    return redirect(url_for("courses.edit_course", course_id=course_id))


@bp.route("/<int:course_id>/archive", methods=["POST"])
@login_required
def archive(course_id: int):
    course = services.get_course(current_user, course_id)
    services.archive(current_user, course)
    flash(_("课程已归档，不再出现在课程中心；已报名的学员仍可回看。"), "info")
    return redirect(url_for("courses.edit_course", course_id=course_id))


def _lecture_data(form: LectureForm, kind: LectureKind) -> dict:
    data = {
        "title": (form.title.data or "").strip(),
        "required": bool(form.required.data),
        "body": form.body.data or "",
    }
    if kind in (LectureKind.video, LectureKind.live):
        data["video_url"] = (form.video_url.data or "").strip() or None
        data["duration_seconds"] = form.duration_seconds.data
    if kind == LectureKind.live:
        when = form.starts_at.data
        data["starts_at"] = local_datetime(when.date(), when.hour, when.minute) if when else None
        data["join_url"] = (form.join_url.data or "").strip() or None
    if kind == LectureKind.quiz:
        data["pass_mark"] = form.pass_mark.data if form.pass_mark.data is not None else 60
        data["max_attempts"] = form.max_attempts.data
    return data


def _save_cover(form: CourseForm, course) -> None:
    cover = form.cover.data
    if cover and getattr(cover, "filename", ""):
        services.set_cover(
            current_user, course, cover.stream, cover.filename, request.content_length
        )


def _save_upload(form: LectureForm, lecture) -> None:
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        services.attach_file(current_user, lecture, upload.stream, upload.filename, None)


@bp.route("/<int:course_id>/lectures/new/<kind>", methods=["GET", "POST"])
@login_required
@takes_upload(_new_lecture_limit)
def new_lecture(course_id: int, kind: str):
    course = services.get_course(current_user, course_id, for_edit=True)
    kind = LectureKind(kind)
    form = LectureForm()

    def save():
        upload = form.file.data
        has_upload = bool(upload and getattr(upload, "filename", ""))
        if kind == LectureKind.file and not has_upload:
            raise Invalid(errors={"file": [_("请选择要上传的文件。")]})
        if kind == LectureKind.video and not has_upload and not form.video_url.data:
            raise Invalid(errors={"video_url": [_("请上传视频，或填写外部视频链接。")]})
        if has_upload:
            # Check type and size before the lecture exists, so a refusal leaves nothing.
            services.check_upload(kind, upload.filename)
        lecture = services.add_lecture(current_user, course, kind, **_lecture_data(form, kind))
        if has_upload:
            try:
                _save_upload(form, lecture)
            except DomainError:
                services.delete_lecture(current_user, lecture)
                raise
        return lecture

    done, lecture, status = submitted(form, save)
    if done:
        if kind == LectureKind.quiz:
            flash(_("测验已添加，现在添加题目。"), "success")
            return redirect(url_for("courses.edit_lecture", lecture_id=lecture.id))
        flash(_("已添加。"), "success")
        return redirect(url_for("courses.edit_course", course_id=course.id))
    return render_template(
        "courses/lecture_form.html", form=form, course=course, kind=kind, lecture=None
    ), status


@bp.route("/lectures/<int:lecture_id>/edit", methods=["GET", "POST"])
@login_required
@takes_upload(_lecture_limit)
def edit_lecture(lecture_id: int):
    lecture = services.get_lecture_for_edit(current_user, lecture_id)
    course = lecture.course
    form = LectureForm(obj=lecture)
    if request.method == "GET" and lecture.starts_at:
        form.starts_at.data = lecture.starts_at.astimezone(local_zone()).replace(tzinfo=None)

    def save():
        services.update_lecture(current_user, lecture, **_lecture_data(form, lecture.kind))
        _save_upload(form, lecture)

    done, _result, status = submitted(form, save)
    if done:
        flash(_("已保存。"), "success")
        return redirect(url_for("courses.edit_lecture", lecture_id=lecture.id))
    question_form = QuestionForm(formdata=None)
    return render_template(
        "courses/lecture_form.html",
        form=form,
        course=course,
        kind=lecture.kind,
        lecture=lecture,
        question_form=question_form,
        questions=services.quiz_questions(lecture) if lecture.kind == LectureKind.quiz else [],
    ), status


@bp.route("/lectures/<int:lecture_id>/questions", methods=["POST"])
@login_required
def add_question(lecture_id: int):
    lecture = services.get_lecture_for_edit(current_user, lecture_id)
    form = QuestionForm()
    if form.validate_on_submit():
        options = []
        for line in (form.options.data or "").splitlines():
            line = line.strip()
            if line:
                correct = line.startswith(("*", "＊"))
                options.append((line.lstrip("*＊ ").strip(), correct))
        try:
            services.add_question(
                current_user, lecture, form.text.data, options, bool(form.multiple.data)
            )
        except DomainError as exc:
            for messages in exc.errors.values():
                flash("；".join(str(m) for m in messages), "error")
            if not exc.errors:
                flash(exc.message, "error")
        else:
            flash(_("题目已添加。"), "success")
    else:
        for messages in form.errors.values():
            flash("；".join(str(m) for m in messages), "error")
    return redirect(url_for("courses.edit_lecture", lecture_id=lecture_id) + "#questions")


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def delete_question(question_id: int):
    lecture = services.delete_question(current_user, question_id)
    flash(_("题目已删除。"), "info")
    return redirect(url_for("courses.edit_lecture", lecture_id=lecture.id) + "#questions")


@bp.route("/lectures/<int:lecture_id>/move", methods=["POST"])
@login_required
def move_lecture(lecture_id: int):
    lecture = services.get_lecture_for_edit(current_user, lecture_id)
    services.move_lecture(current_user, lecture, -1 if request.form.get("dir") == "up" else 1)
    return redirect(url_for("courses.edit_course", course_id=lecture.course_id) + "#lectures")


@bp.route("/lectures/<int:lecture_id>/delete", methods=["POST"])
@login_required
def delete_lecture(lecture_id: int):
    lecture = services.get_lecture_for_edit(current_user, lecture_id)
    course_id = lecture.course_id
    services.delete_lecture(current_user, lecture)
    flash(_("已删除。"), "info")
    return redirect(url_for("courses.edit_course", course_id=course_id) + "#lectures")
