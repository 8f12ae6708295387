"""Pages of sessions: scheduling, a session's page, moving and cancelling, the attendance
grid (and its export), and excuse requests."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core.pages import paginate
from lms.db import utcnow
from lms.errors import DomainError, Invalid
from lms.training import forms, services
from lms.training.models import AttendanceStatus, ExcuseStatus, SessionStatus
from lms.training.views.common import (
    EXPORT_KINDS,
    aware,
    bp,
    download,
    form_errors,
    local_input,
    mentor_choices,
)


@bp.route("/classes/<int:class_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_sessions(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.require_manage(current_user, training_class)
    form = forms.ScheduleForm()
    form.instructor_id.choices = [(0, _("（不指定）"))] + mentor_choices()
    if request.method == "GET":
        form.room.data = training_class.location
        if training_class.instructors:
            form.instructor_id.data = training_class.instructors[0].id
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
                training_class,
                starts_at=aware(form.starts_at.data),
                ends_at=aware(form.ends_at.data),
                room=form.room.data or "",
                instructor_id=form.instructor_id.data or None,
                recurrence=recurrence,
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            flash(_("已安排 %(n)d 个课次。", n=len(made)), "success")
            return redirect(url_for("training.class_detail", class_id=class_id))
    return render_template("training/schedule_form.html", form=form, training_class=training_class)


@bp.route("/sessions/<int:session_id>")
@login_required
def session_detail(session_id: int):
    session = services.get_session(current_user, session_id)
    training_class = session.training_class
    entry = services.roster_entry(training_class.id, current_user.id)
    record = excuse = None
    if entry is not None:
        record, excuse = services.own_record(current_user, session)
    opens, closes = services.checkin_window(session)
    now = utcnow()
    return render_template(
        "training/session_detail.html",
        session=session,
        training_class=training_class,
        entry=entry,
        record=record,
        excuse=excuse,
        opens=opens,
        closes=closes,
        window_open=opens <= now <= closes and session.status == SessionStatus.scheduled,
        now=now,
        code_form=forms.CodeForm(),
        excuse_form=forms.ExcuseForm(),
        can_manage=services.can_manage(current_user, training_class),
        can_teach=services.can_teach(current_user, training_class, session),
    )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    session = services.get_session(current_user, session_id)
    training_class = session.training_class
    services.require_manage(current_user, training_class)
    form = forms.SessionForm()
    form.instructor_id.choices = [(0, _("（不指定）"))] + mentor_choices()
    cancel_form = forms.CancelForm(prefix="cancel")
    if request.method == "GET":
        form.starts_at.data = local_input(session.starts_at)
        form.ends_at.data = local_input(session.ends_at)
        form.room.data = session.room
        form.instructor_id.data = session.instructor_id or 0
    if form.validate_on_submit():
        try:
            moved = services.update_session(
                current_user,
                session,
                starts_at=aware(form.starts_at.data),
                ends_at=aware(form.ends_at.data),
                room=form.room.data or "",
                instructor_id=form.instructor_id.data or None,
                apply_to=form.apply_to.data,
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            flash(_("已修改 %(n)d 个课次，相关人员会收到通知。", n=len(moved)), "success")
            return redirect(url_for("training.class_detail", class_id=training_class.id))
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


# --- attendance ----------------------------------------------------------------------------


def _marks_from_form() -> dict[int, str]:
    marks = {}
    for key, value in request.form.items():
        if key.startswith("u-") and key[2:].isdigit() and value:
            if value not in AttendanceStatus.__members__:
                raise Invalid(errors={"marks": [_("考勤状态无效。")]})
            marks[int(key[2:])] = value
    return marks


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(session_id: int):
    session = services.get_session(current_user, session_id)
    if request.method == "POST":
        changed = services.mark_attendance(current_user, session, _marks_from_form())
        flash(_("已保存 %(n)d 处修改。", n=changed), "success")
        return redirect(url_for("training.attendance", session_id=session_id))
    export = request.args.get("format")
    if export in EXPORT_KINDS:
        return download(export, services.export_attendance(current_user, session))
    return render_template(
        "training/attendance.html",
        session=session,
        training_class=session.training_class,
        rows=services.attendance_grid(current_user, session),
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
