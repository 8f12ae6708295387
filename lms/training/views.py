"""HTML pages for classes, sessions, rosters, check-in, attendance, calendars and reports."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import segno
import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User
from lms.accounts.services import UserFilter, get_user, organizations_in_scope
from lms.core import tabular
from lms.core.pages import paginate
from lms.db import utcnow
from lms.errors import DomainError, Invalid
from lms.extensions import db, limiter
from lms.timeutil import local_zone, to_local
from lms.training import forms, labels, services
from lms.training.models import (
    AttendanceStatus,
    ExcuseStatus,
    RegistrationMode,
    RosterStatus,
    SessionStatus,
)

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="templates")


def register_helpers(app) -> None:
    app.jinja_env.globals["training_label"] = labels.label

    @app.template_filter("percent")
    def _percent(value):
        return "—" if value is None else f"{value * 100:.0f}%"


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=local_zone()) if value else None


def _local_input(value: datetime | None) -> datetime | None:
    return to_local(value).replace(tzinfo=None) if value else None


def _form_errors(form, exc: DomainError) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
    flash(exc.message, "error")


def _mentor_choices() -> list[tuple[int, str]]:
    from lms.accounts.models import UserRole

    users = db.session.scalars(
        sa.select(User)
        .where(User.role_rows.any(UserRole.role == Role.mentor), User.active.is_(True))
        .order_by(User.name)
        .limit(500)
    )
    return [(u.id, f"{u.name}（{u.employee_no}）") for u in users]


def _org_choices() -> list[tuple[int, str]]:
    return [
        (o.id, "　" * max(0, o.depth) + o.name)
        for o in db.session.scalars(organizations_in_scope(current_user))
    ]


def _export(kind: str, title: str, headers: list[str], rows: list[list]) -> Response:
    if kind == "xlsx":
        body = tabular.xlsx_bytes(title, headers, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = tabular.csv_bytes(headers, rows)
        mimetype = "text/csv; charset=utf-8"
    from urllib.parse import quote

    filename = quote(f"{title}.{kind}")
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


# --- classes -------------------------------------------------------------------------------


@bp.route("/")
@login_required
def classes():
    q = request.args.get("q") or None
    page = paginate(services.classes_query(current_user, q=q))
    mine = {k.id: e for k, e in services.my_classes(current_user)}
    return render_template(
        "training/classes.html",
        page=page,
        q=q,
        mine=mine,
        can_create=scope.is_officer(current_user) or scope.is_admin(current_user),
    )


def _class_form(form: forms.ClassForm) -> None:
    form.organization_id.choices = _org_choices()
    form.instructor_ids.choices = _mentor_choices()


def _class_values(form: forms.ClassForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "capacity": form.capacity.data,
        "location": form.location.data or "",
        "online_url": form.online_url.data or "",
        "registration_mode": RegistrationMode(form.registration_mode.data),
        "registration_deadline": _aware(form.registration_deadline.data),
        "late_threshold_minutes": form.late_threshold_minutes.data,
        "checkin_window_minutes": form.checkin_window_minutes.data,
        "completion_rate": form.completion_percent.data / 100,
        "low_attendance_rate": form.low_attendance_percent.data / 100,
        "low_attendance_min_sessions": form.low_attendance_min_sessions.data,
    }


@bp.route("/classes/new", methods=["GET", "POST"])
@login_required
def new_class():
    scope.require_officer(current_user)
    form = forms.ClassForm()
    _class_form(form)
    if form.validate_on_submit():
        org = db.session.get(Organization, form.organization_id.data)
        try:
            klass = services.create_class(
                current_user,
                organization=org,
                instructor_ids=form.instructor_ids.data,
                **_class_values(form),
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            flash(_("培训班已创建。下一步：安排课次。"), "success")
            return redirect(url_for("training.new_sessions", class_id=klass.id))
    return render_template("training/class_form.html", form=form, klass=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@login_required
def edit_class(class_id: int):
    klass = services.get_class(current_user, class_id)
    services.require_manage(current_user, klass)
    form = forms.ClassForm(obj=klass)
    _class_form(form)
    if request.method == "GET":
        form.instructor_ids.data = [i.id for i in klass.instructors]
        form.registration_mode.data = klass.registration_mode.value
        form.registration_deadline.data = _local_input(klass.registration_deadline)
        form.completion_percent.data = round(klass.completion_rate * 100)
        form.low_attendance_percent.data = round(klass.low_attendance_rate * 100)
    del form.organization_id
    if form.validate_on_submit():
        try:
            services.update_class(
                current_user, klass, instructor_ids=form.instructor_ids.data, **_class_values(form)
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            flash(_("已保存。"), "success")
            return redirect(url_for("training.class_detail", class_id=class_id))
    return render_template("training/class_form.html", form=form, klass=klass)


@bp.route("/classes/<int:class_id>")
@login_required
def class_detail(class_id: int):
    klass = services.get_class(current_user, class_id)
    entry = services.roster_entry(klass.id, current_user.id)
    seated = services._seated_count(klass.id)
    my_rate = None
    if entry is not None:
        my_rate = services.rate_of(*services.class_rates(klass.id).get(current_user.id, (0, 0)))
    return render_template(
        "training/class_detail.html",
        klass=klass,
        entry=entry,
        my_rate=my_rate,
        seated=seated,
        now=utcnow(),
        can_manage=services.can_manage(current_user, klass),
        can_teach=services.can_teach(current_user, klass),
        feed_url=url_for("training.class_feed", token=klass.feed_token, _external=True),
    )


@bp.route("/classes/<int:class_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_sessions(class_id: int):
    klass = services.get_class(current_user, class_id)
    services.require_manage(current_user, klass)
    form = forms.ScheduleForm()
    form.instructor_id.choices = [(0, _("（不指定）"))] + _mentor_choices()
    if request.method == "GET" and klass.instructors:
        form.instructor_id.data = klass.instructors[0].id
    if request.method == "GET":
        form.room.data = klass.location
    if form.validate_on_submit():
        recurrence = None
        if form.repeat.data == "weekly":
            recurrence = services.Recurrence(
                weekdays=form.weekdays.data or [],
                interval=form.interval.data or 1,
                until=form.until.data,
                count=form.count.data,
            )
        try:
            made = services.schedule_sessions(
                current_user,
                klass,
                starts_at=_aware(form.starts_at.data),
                ends_at=_aware(form.ends_at.data),
                room=form.room.data or "",
                instructor_id=form.instructor_id.data or None,
                recurrence=recurrence,
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            flash(_("已安排 %(n)d 个课次。", n=len(made)), "success")
            return redirect(url_for("training.class_detail", class_id=class_id))
    return render_template("training/schedule_form.html", form=form, klass=klass)


# --- sessions ------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int):
    session = services.get_session(current_user, session_id)
    klass = session.training_class
    entry = services.roster_entry(klass.id, current_user.id)
    record = None
    excuse = None
    if entry is not None:
        from lms.training.models import Attendance, ExcuseRequest

        record = db.session.scalar(
            sa.select(Attendance).where(
                Attendance.session_id == session.id, Attendance.user_id == current_user.id
            )
        )
        excuse = db.session.scalar(
            sa.select(ExcuseRequest).where(
                ExcuseRequest.session_id == session.id, ExcuseRequest.user_id == current_user.id
            )
        )
    opens, closes = services.checkin_window(session)
    now = utcnow()
    return render_template(
        "training/session_detail.html",
        session=session,
        klass=klass,
        entry=entry,
        record=record,
        excuse=excuse,
        opens=opens,
        closes=closes,
        window_open=opens <= now <= closes and session.status == SessionStatus.scheduled,
        now=now,
        code_form=forms.CodeForm(),
        excuse_form=forms.ExcuseForm(),
        can_manage=services.can_manage(current_user, klass),
        can_teach=services.can_teach(current_user, klass, session),
    )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    session = services.get_session(current_user, session_id)
    klass = session.training_class
    services.require_manage(current_user, klass)
    form = forms.SessionForm()
    form.instructor_id.choices = [(0, _("（不指定）"))] + _mentor_choices()
    cancel_form = forms.CancelForm(prefix="cancel")
    if request.method == "GET":
        form.starts_at.data = _local_input(session.starts_at)
        form.ends_at.data = _local_input(session.ends_at)
        form.room.data = session.room
        form.instructor_id.data = session.instructor_id or 0
    if form.validate_on_submit():
        try:
            moved = services.update_session(
                current_user,
                session,
                starts_at=_aware(form.starts_at.data),
                ends_at=_aware(form.ends_at.data),
                room=form.room.data or "",
                instructor_id=form.instructor_id.data or None,
                apply_to=form.apply_to.data,
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            flash(_("已修改 %(n)d 个课次，相关人员会收到通知。", n=len(moved)), "success")
            return redirect(url_for("training.class_detail", class_id=klass.id))
    return render_template(
        "training/session_form.html", form=form, cancel_form=cancel_form, session=session
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
@login_required
def cancel_session(session_id: int):
    session = services.get_session(current_user, session_id)
    form = forms.CancelForm(prefix="cancel")
    if not form.validate_on_submit():
        abort(400)
    cancelled = services.cancel_session(
        current_user, session, form.reason.data or "", form.apply_to.data
    )
    flash(_("已取消 %(n)d 个课次，相关人员会收到通知。", n=len(cancelled)), "success")
    return redirect(url_for("training.class_detail", class_id=session.class_id))


# --- roster --------------------------------------------------------------------------------


@bp.route("/classes/<int:class_id>/roster")
@login_required
def roster(class_id: int):
    klass = services.get_class(current_user, class_id)
    services.require_teach(current_user, klass)
    filter_form = forms.AddFilterForm(prefix="f")
    filter_form.organization_id.choices = _org_choices()
    return render_template(
        "training/roster.html",
        klass=klass,
        entries=services.roster(klass),
        can_manage=services.can_manage(current_user, klass),
        add_form=forms.AddPersonForm(prefix="p"),
        filter_form=filter_form,
        import_form=forms.RosterImportForm(prefix="i"),
        import_errors=None,
    )


@bp.route("/classes/<int:class_id>/roster/add", methods=["POST"])
@login_required
def roster_add(class_id: int):
    klass = services.get_class(current_user, class_id)
    form = forms.AddPersonForm(prefix="p")
    if not form.validate_on_submit():
        flash(_("请填写工号或手机号。"), "error")
    else:
        try:
            user = services.find_person(current_user, form.login.data)
            result = services.add_people(current_user, klass, [user])
        except DomainError as exc:
            flash(exc.errors.get("login", [exc.message])[0], "error")
        else:
            flash(result.message, "success")
    return redirect(url_for("training.roster", class_id=class_id))


@bp.route("/classes/<int:class_id>/roster/filter", methods=["POST"])
@login_required
def roster_filter(class_id: int):
    klass = services.get_class(current_user, class_id)
    form = forms.AddFilterForm(prefix="f")
    form.organization_id.choices = _org_choices()
    if form.validate_on_submit():
        try:
            result = services.add_by_filter(
                current_user,
                klass,
                UserFilter(
                    organization_id=form.organization_id.data, trade=form.trade.data or None
                ),
            )
        except DomainError as exc:
            flash(next(iter(exc.errors.values()), [exc.message])[0], "error")
        else:
            flash(result.message, "success")
    return redirect(url_for("training.roster", class_id=class_id))


@bp.route("/classes/<int:class_id>/roster/import", methods=["POST"])
@login_required
def roster_import(class_id: int):
    klass = services.get_class(current_user, class_id)
    services.require_manage(current_user, klass)
    form = forms.RosterImportForm(prefix="i")
    import_errors = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            outcome = services.import_roster(current_user, klass, upload.filename, upload.read())
        except Invalid as exc:
            form.file.errors = list(exc.errors.get("file", [exc.message]))
        else:
            if outcome.errors:
                import_errors = outcome.errors.as_list()
                flash(_("文件有错误，名单未做任何改动。请按下表改正后重新上传。"), "error")
            else:
                flash(outcome.result.message, "success")
                return redirect(url_for("training.roster", class_id=class_id))
    filter_form = forms.AddFilterForm(prefix="f")
    filter_form.organization_id.choices = _org_choices()
    return render_template(
        "training/roster.html",
        klass=klass,
        entries=services.roster(klass),
        can_manage=True,
        add_form=forms.AddPersonForm(prefix="p"),
        filter_form=filter_form,
        import_form=form,
        import_errors=import_errors,
    ), 422


@bp.route("/roster-template.xlsx")
@login_required
def roster_template():
    body = tabular.xlsx_bytes(
        _("培训班名单模板"),
        ["工号", "姓名"],
        [["W10001", "张三"]],
        [
            _("每行一位学员，“工号”必填，“姓名”可用于核对。"),
            _("有任何一行出错时，整个文件都不会导入。"),
        ],
    )
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=roster-template.xlsx"},
    )


@bp.route("/classes/<int:class_id>/roster/<int:user_id>/remove", methods=["POST"])
@login_required
def roster_remove(class_id: int, user_id: int):
    klass = services.get_class(current_user, class_id)
    user = db.session.get(User, user_id) or abort(404)
    services.withdraw(current_user, klass, user)
    flash(_("已将 %(name)s 移出名单。", name=user.name), "success")
    return redirect(url_for("training.roster", class_id=class_id))


@bp.route("/classes/<int:class_id>/register", methods=["POST"])
@login_required
def register(class_id: int):
    klass = services.get_class(current_user, class_id)
    entry = services.register_self(current_user, klass)
    if entry.status == RosterStatus.seated:
        flash(_("报名成功，您已在册。"), "success")
    else:
        flash(
            _("名额已满，您在候补第 %(n)d 位，有空位时会自动递补。", n=entry.waitlist_position),
            "info",
        )
    return redirect(url_for("training.class_detail", class_id=class_id))


@bp.route("/classes/<int:class_id>/withdraw", methods=["POST"])
@login_required
def withdraw(class_id: int):
    klass = services.get_class(current_user, class_id)
    services.withdraw(current_user, klass, current_user)
    flash(_("您已退出此培训班。"), "success")
    return redirect(url_for("training.class_detail", class_id=class_id))


# --- check-in ------------------------------------------------------------------------------


def _qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(
        scale=8, border=2, dark="#000", light="#fff", omitsize=True
    )


@bp.route("/sessions/<int:session_id>/screen")
@login_required
def screen(session_id: int):
    session = services.get_session(current_user, session_id)
    state = services.screen_state(current_user, session)
    scan_url = url_for("training.scan", token=state["token"], _external=True)
    return render_template(
        "training/screen.html",
        session=session,
        klass=session.training_class,
        state=state,
        qr=_qr_svg(scan_url),
        scan_url=scan_url,
    )


@bp.route("/sessions/<int:session_id>/screen/state")
@login_required
def screen_state(session_id: int):
    session = services.get_session(current_user, session_id)
    state = services.screen_state(current_user, session)
    state["scan_url"] = url_for("training.scan", token=state["token"], _external=True)
    state["qr"] = _qr_svg(state["scan_url"])
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


def _flash_checked_in(row) -> None:
    if row.status == AttendanceStatus.late:
        flash(
            _(
                "签到成功（迟到）。签到时间 %(t)s。",
                t=to_local(row.checked_in_at).strftime("%H:%M"),
            ),
            "info",
        )
    else:
        flash(
            _("签到成功！签到时间 %(t)s。", t=to_local(row.checked_in_at).strftime("%H:%M")),
            "success",
        )


def _checkin_result(session, **kwargs):
    try:
        row = services.check_in(current_user, session, **kwargs)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        _flash_checked_in(row)
    return redirect(url_for("training.session_detail", session_id=session.id))


@bp.route("/c/<token>")
@login_required
def scan(token: str):
    """The URL in the QR code: a signed-in worker's phone checks in by opening it."""
    try:
        session = services.session_for_checkin(services.read_token(token))
        row = services.check_in(current_user, session, token=token)
    except DomainError as exc:
        return render_template("training/checkin_refused.html", message=exc.message), exc.status
    _flash_checked_in(row)
    return redirect(url_for("training.session_detail", session_id=session.id))


@bp.route("/sessions/<int:session_id>/checkin", methods=["POST"])
@login_required
@limiter.limit("20 per minute", key_func=lambda: f"checkin:{current_user.get_id()}")
def checkin(session_id: int):
    session = services.session_for_checkin(session_id)
    form = forms.CodeForm()
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()), [_("请输入签到码。")])[0], "error")
        return redirect(url_for("training.session_detail", session_id=session_id))
    return _checkin_result(session, code=form.code.data.strip())


# --- attendance ----------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int):
    session = services.get_session(current_user, session_id)
    if request.method == "POST":
        marks = {}
        for key, value in request.form.items():
            if key.startswith("u-") and key[2:].isdigit() and value:
                if value not in AttendanceStatus.__members__:
                    raise Invalid(errors={"marks": [_("考勤状态无效。")]})
                marks[int(key[2:])] = value
        changed = services.mark_attendance(current_user, session, marks)
        flash(_("已保存 %(n)d 处修改。", n=changed), "success")
        return redirect(url_for("training.attendance", session_id=session_id))
    rows = services.attendance_grid(current_user, session)
    export = request.args.get("format")
    if export in ("xlsx", "csv"):
        headers = [_("工号"), _("姓名"), _("单位"), _("考勤"), _("签到时间"), _("方式")]
        data = [
            [
                r.user.employee_no,
                r.user.name,
                r.user.organization.name,
                labels.label("attendance", r.attendance.status if r.attendance else None),
                to_local(r.attendance.checked_in_at).strftime("%H:%M")
                if r.attendance and r.attendance.checked_in_at
                else "",
                labels.label("method", r.attendance.method if r.attendance else None),
            ]
            for r in rows
        ]
        title = f"{session.training_class.title}-{to_local(session.starts_at):%Y%m%d}"
        return _export(export, title, headers, data)
    return render_template(
        "training/attendance.html",
        session=session,
        klass=session.training_class,
        rows=rows,
        statuses=list(AttendanceStatus),
        after_session=utcnow() >= session.ends_at,
    )


@bp.route("/sessions/<int:session_id>/excuse", methods=["POST"])
@login_required
def excuse(session_id: int):
    session = services.get_session(current_user, session_id)
    form = forms.ExcuseForm()
    if not form.validate_on_submit():
        flash(_("请写明请假原因。"), "error")
    else:
        services.request_excuse(current_user, session, form.reason.data)
        flash(_("请假申请已提交，等待培训专员审批。"), "success")
    return redirect(url_for("training.session_detail", session_id=session_id))


@bp.route("/excuses")
@login_required
def excuses():
    page = paginate(services.excuses_query(current_user))
    return render_template("training/excuses.html", page=page)


@bp.route("/excuses/<int:excuse_id>/<any(approve, reject):decision>", methods=["POST"])
@login_required
def decide_excuse(excuse_id: int, decision: str):
    excuse = services.decide_excuse(current_user, excuse_id, decision == "approve")
    status = _("已批准") if excuse.status == ExcuseStatus.approved else _("已驳回")
    flash(_("%(name)s 的请假申请%(s)s。", name=excuse.user.name, s=status), "success")
    return redirect(url_for("training.excuses"))


# --- schedule and calendar -----------------------------------------------------------------


@bp.route("/schedule")
@login_required
def schedule():
    today = to_local(utcnow()).date()
    start = datetime.combine(today - timedelta(days=7), datetime.min.time(), local_zone())
    end = start + timedelta(days=67)
    sessions = services.schedule_for(current_user, start, end)
    token = services.calendar_token(current_user)
    return render_template(
        "training/schedule.html",
        sessions=sessions,
        feed_url=url_for("training.person_feed", token=token, _external=True),
        now=utcnow(),
    )


@bp.route("/schedule/feed/reset", methods=["POST"])
@login_required
def reset_feed():
    services.reset_calendar_token(current_user)
    flash(_("已生成新的订阅地址，旧地址立即失效。请在手机日历中重新订阅。"), "success")
    return redirect(url_for("training.schedule"))


def _ics(body: bytes) -> Response:
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": "inline; filename=training.ics",
        },
    )


@bp.route("/feeds/<token>.ics")
def person_feed(token: str):
    return _ics(services.person_feed(token))


@bp.route("/feeds/class/<token>.ics")
def class_feed(token: str):
    return _ics(services.class_feed(token))


# --- reports -------------------------------------------------------------------------------


@bp.route("/classes/<int:class_id>/matrix")
@login_required
def matrix(class_id: int):
    klass = services.get_class(current_user, class_id)
    data = services.class_matrix(current_user, klass)
    export = request.args.get("format")
    if export in ("xlsx", "csv"):
        headers = [_("工号"), _("姓名"), _("单位")]
        headers += [to_local(s.starts_at).strftime("%m-%d %H:%M") for s in data.sessions]
        headers += [_("出勤率")]
        rows = [
            [r.user.employee_no, r.user.name, r.user.organization.name]
            + [labels.label("attendance", c) for c in r.cells]
            + ["" if r.rate is None else f"{r.rate * 100:.0f}%"]
            for r in data.rows
        ]
        return _export(export, _("%(t)s 考勤汇总", t=klass.title), headers, rows)
    return render_template("training/matrix.html", klass=klass, data=data)


@bp.route("/people/<int:user_id>/history")
@login_required
def history(user_id: int):
    user = get_user(current_user, user_id)
    rows = services.worker_history(current_user, user)
    export = request.args.get("format")
    if export in ("xlsx", "csv"):
        headers = [_("日期"), _("培训班"), _("考勤"), _("签到时间")]
        data = [
            [
                to_local(s.starts_at).strftime("%Y-%m-%d %H:%M"),
                k.title,
                labels.label("attendance", a.status),
                to_local(a.checked_in_at).strftime("%H:%M") if a.checked_in_at else "",
            ]
            for a, s, k in rows
        ]
        return _export(export, _("%(n)s 培训记录", n=user.name), headers, data)
    return render_template("training/history.html", person=user, rows=rows)


@bp.route("/me/history")
@login_required
def my_history():
    return redirect(url_for("training.history", user_id=current_user.id))


@bp.route("/reports/summary")
@login_required
def summary():
    scope.require_officer(current_user)
    form = forms.SummaryForm(request.args)
    form.org.choices = _org_choices()
    today = to_local(utcnow()).date()
    if not request.args:
        form.org.data = current_user.organization_id
        form.start.data = date(today.year, 1, 1)
        form.end.data = today
    result = None
    if (
        form.org.data
        and form.start.data
        and form.end.data
        and (not request.args or form.validate())
    ):
        org = db.session.get(Organization, form.org.data) or abort(404)
        try:
            result = services.organization_summary(
                current_user, org, form.start.data, form.end.data
            )
        except Invalid as exc:
            _form_errors(form, exc)
    export = request.args.get("format")
    if result and export in ("xlsx", "csv"):
        rows, total = result
        headers = [
            _("单位"),
            _("培训班数"),
            _("课次"),
            _("人次"),
            _("课时（小时）"),
            _("人·小时"),
            _("出勤率"),
        ]
        data = [
            [
                r.organization.name,
                r.classes,
                r.sessions,
                r.person_times,
                round(r.hours, 1),
                round(r.person_hours, 1),
                "" if r.rate is None else f"{r.rate * 100:.0f}%",
            ]
            for r in [*rows, total]
        ]
        data[-1][0] = _("合计")
        return _export(export, _("培训统计"), headers, data)
    return render_template("training/summary.html", form=form, result=result)


@bp.route("/warnings")
@login_required
def warnings():
    page = paginate(services.warnings_query(current_user))
    return render_template("training/warnings.html", page=page)
