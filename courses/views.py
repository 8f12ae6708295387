"""HTML pages: catalog, course page, my learning, lecture player, authoring, reports."""

from __future__ import annotations

import functools
import re

import markdown
import nh3
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from courses import services
from courses.forms import AssignForm, CourseForm, LectureForm, QuestionForm
from courses.models import CourseStatus, EnrollmentStatus, LectureKind, Visibility
from lms.accounts import scope
from lms.accounts.models import Organization, Role, User, UserRole
from lms.core import storage
from lms.core.pagecache import personal_page
from lms.core.pages import int_arg, paginate
from lms.errors import DomainError, Invalid, NotFound, error_response
from lms.extensions import cache, db
from lms.timeutil import local_datetime, local_zone

bp = Blueprint("courses", __name__, url_prefix="/courses", template_folder="templates")

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


_ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "img",
}  # fmt: skip


@bp.app_template_filter("markdown")
def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, sanitized: no scripts, no event handlers, no javascript: links."""
    return Markup(_sanitized_html(text or ""))


@functools.lru_cache(maxsize=256)  # lecture texts can be long: a bounded few
def _sanitized_html(text: str) -> str:
    # The same summaries and lecture texts are shown over and over; the result depends on
    # the text alone, so each is converted once per process.
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _form_errors(form, exc: DomainError) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
        else:
            flash("；".join(str(m) for m in messages), "error")
    if not exc.errors:
        flash(exc.message, "error")


def _submitted(form, save):
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
        _form_errors(form, exc)
        return False, None, exc.status


# --- learners ------------------------------------------------------------------------------


@bp.route("/")
@personal_page
@login_required
def catalog():
    filters = services.CatalogFilter(
        q=request.args.get("q") or None,
        trade=request.args.get("trade") or None,
        skill_level=request.args.get("level") or None,
        lecturer_id=int_arg("lecturer"),
        organization_id=int_arg("org"),
        sort="popular" if request.args.get("sort") == "popular" else "newest",
    )
    key = services.catalog_cache_key(
        current_user, list(request.args.items(multi=True)), str(get_locale())
    )
    body = cache.get(key)
    if body is None:
        page = paginate(services.catalog_query(current_user, filters), per_page=12)
        body = render_template(
            "courses/_catalog_body.html",
            page=page,
            filters=filters,
            choices=services.catalog_choices(),
            live=services.upcoming_live(current_user) if page.page == 1 else [],
        )
        if timeout := current_app.config["COURSE_CATALOG_CACHE_SECONDS"]:
            cache.set(key, body, timeout=timeout)
    return render_template("courses/catalog.html", body=Markup(body))


@bp.route("/<int:course_id>")
@personal_page
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
    course = services.get_course(current_user, course_id)
    if not course.cover_key or not storage.exists(course.cover_key):
        raise NotFound()
    return send_file(storage.path(course.cover_key), conditional=True, max_age=3600)


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
@personal_page
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


@bp.route("/lectures/<int:lecture_id>/media")
@login_required
def lecture_media(lecture_id: int):
    """The uploaded file, with Range support so phones can seek in videos."""
    access = services.open_lecture(current_user, lecture_id)
    lecture = access.lecture
    if not lecture.file_key or not storage.exists(lecture.file_key):
        raise NotFound()
    as_attachment = lecture.kind == LectureKind.file and request.args.get("download") == "1"
    if lecture.kind == LectureKind.file and access.enrollment is not None:
        services.save_progress(current_user, lecture_id, completed=True)
    path = storage.path(lecture.file_key)
    try:
        return send_file(
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
    questions = services.quiz_questions(access.lecture)
    return render_template(
        "courses/quiz_result.html",
        lecture=access.lecture,
        course=access.course,
        result=result,
        questions=questions,
        lectures=access.course.lectures,
    )


# --- authoring -----------------------------------------------------------------------------


def _require_author():
    if not services.can_author(current_user):
        raise NotFound()


def _org_choices():
    from lms.accounts import services as accounts

    if scope.is_admin(current_user) or scope.is_officer(current_user):
        orgs = db.session.scalars(accounts.organizations_in_scope(current_user)).all()
    else:
        orgs = db.session.scalars(
            db.select(Organization)
            .where(Organization.id.in_(services._ancestor_ids(current_user.organization)))
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
    form.organization_ids.choices = _org_choices()
    if course is not None:
        for org in course.organizations:
            if org.id not in dict(form.organization_ids.choices):
                form.organization_ids.choices.append((org.id, org.name))
    form.lecturer_ids.choices = _lecturer_choices(course)


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


def _upload_limit(limit: int) -> None:
    """Refuse an oversized body before reading it, with the limit in the message."""
    request.max_content_length = limit + 1024 * 1024
    if request.content_length and request.content_length > request.max_content_length:
        raise storage.TooLarge(
            _(
                "文件超过 %(limit)s 的上限，未保存。请压缩后再上传。",
                limit=services._human_size(limit),
            )
        )


@bp.route("/manage")
@login_required
def manage():
    _require_author()
    page = paginate(services.managed_courses_query(current_user), per_page=20)
    return render_template("courses/manage.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_course():
    _require_author()
    _upload_limit(current_app.config["COURSE_COVER_MAX_BYTES"])
    form = CourseForm()
    _course_form(form)

    def save():
        course = services.create_course(current_user, **_course_data(form))
        _save_cover(form, course)
        return course

    done, course, status = _submitted(form, save)
    if done:
        flash(_("课程已创建（草稿）。接下来添加各讲内容。"), "success")
        return redirect(url_for("courses.edit_course", course_id=course.id))
    return render_template("courses/course_form.html", form=form, course=None), status


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
@login_required
def edit_course(course_id: int):
    course = services.get_course(current_user, course_id, for_edit=True)
    _upload_limit(current_app.config["COURSE_COVER_MAX_BYTES"])
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

    done, _result, status = _submitted(form, save)
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


def _upload_limit_for(kind: LectureKind) -> int:
    config = current_app.config
    if kind in (LectureKind.video, LectureKind.live):
        return config["COURSE_VIDEO_MAX_BYTES"]
    return config["COURSE_FILE_MAX_BYTES"]


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
def new_lecture(course_id: int, kind: str):
    course = services.get_course(current_user, course_id, for_edit=True)
    try:
        kind = LectureKind(kind)
    except ValueError:
        raise NotFound() from None
    _upload_limit(_upload_limit_for(kind))
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

    done, lecture, status = _submitted(form, save)
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
def edit_lecture(lecture_id: int):
    lecture = services.get_lecture_for_edit(current_user, lecture_id)
    course = lecture.course
    _upload_limit(_upload_limit_for(lecture.kind))
    form = LectureForm(obj=lecture)
    if request.method == "GET" and lecture.starts_at:
        form.starts_at.data = lecture.starts_at.astimezone(local_zone()).replace(tzinfo=None)

    def save():
        services.update_lecture(current_user, lecture, **_lecture_data(form, lecture.kind))
        _save_upload(form, lecture)

    done, _result, status = _submitted(form, save)
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


# --- officers ------------------------------------------------------------------------------


@bp.route("/<int:course_id>/assign", methods=["GET", "POST"])
@login_required
def assign(course_id: int):
    course = services.get_course(current_user, course_id)
    services.require_manage(current_user, course)
    form = AssignForm()
    form.organization_id.choices = [(0, _("（不按单位）"))] + _org_choices()
    status = 200
    if form.validate_on_submit():
        numbers = [n for n in re.split(r"[\s,，、]+", form.employee_nos.data or "") if n]
        user_ids = []
        if numbers:
            found = dict(
                db.session.execute(
                    db.select(User.employee_no, User.id).where(User.employee_no.in_(numbers))
                ).all()
            )
            missing = [n for n in numbers if n not in found]
            if missing:
                form.employee_nos.errors = [_("找不到这些工号：%(nos)s", nos="、".join(missing))]
            user_ids = list(found.values())
        due = form.due_date.data
        if not form.employee_nos.errors:
            try:
                result = services.assign(
                    current_user,
                    course,
                    user_ids=user_ids,
                    organization_id=form.organization_id.data or None,
                    due_at=local_datetime(due, 23, 59) if due else None,
                )
            except DomainError as exc:
                db.session.rollback()
                _form_errors(form, exc)
                status = exc.status
            else:
                flash(
                    _(
                        "已安排 %(added)d 人（其中候补 %(wait)d 人），更新 %(updated)d 人的截止日期。",
                        added=result.added,
                        wait=result.waitlisted,
                        updated=result.updated,
                    ),
                    "success",
                )
                return redirect(url_for("courses.report", course_id=course.id))
        else:
            status = 422
    elif form.errors:
        status = 422
    return render_template("courses/assign.html", form=form, course=course), status


@bp.route("/<int:course_id>/report")
@login_required
def report(course_id: int):
    course = services.get_course(current_user, course_id)
    report = services.course_report(current_user, course)
    learners = paginate(services.course_learners_query(current_user, course), per_page=50)
    return render_template("courses/report.html", report=report, course=course, learners=learners)


@bp.route("/<int:course_id>/report.xlsx")
@login_required
def report_xlsx(course_id: int):
    course = services.get_course(current_user, course_id)
    data = services.report_xlsx(services.course_report(current_user, course))
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=course-{course.id}-report.xlsx"},
    )
