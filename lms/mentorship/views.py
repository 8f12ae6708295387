"""HTML pages: the officer's list and pairing page, a pairing's page, the mentor's and the
apprentice's dashboards and the mentor's quick "log a session" form."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Role
from lms.core import storage
from lms.core.pages import int_arg, paginate
from lms.core.tabular import xlsx_bytes
from lms.errors import Conflict, DomainError, Forbidden, Invalid
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.forms import (
    AssessmentForm,
    DisputeForm,
    GoalForm,
    GoalStatusForm,
    GraduationForm,
    LogForm,
    PairingForm,
    RequestForm,
    ResolveForm,
    TransitionForm,
)
from lms.mentorship.models import LogStatus, MentorshipStatus

bp = Blueprint("mentorship", __name__, template_folder="templates")


def _id(value) -> int:
    """A posted id; anything that is not a positive whole number becomes 0 (found nowhere)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _form_errors(form, exc: DomainError) -> None:
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)


def _flash_form_errors(form) -> None:
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "error")


def _back(mentorship_id: int):
    return redirect(url_for("mentorship.detail", mentorship_id=mentorship_id))


def _filters() -> services.MentorshipFilter:
    status = request.args.get("status") or None
    if status not in MentorshipStatus.__members__:
        status = None
    return services.MentorshipFilter(
        status=status,
        programme_id=int_arg("programme"),
        organization_id=int_arg("org"),
        q=(request.args.get("q") or "").strip() or None,
    )


# --- officers --------------------------------------------------------------------------------


@bp.route("/mentorships")
@login_required
def officer_list():
    scope.require_officer(current_user)
    filters = _filters()
    totals = services.totals(current_user, filters)
    # The totals already count the pairs: no second count for the pager.
    page = db.paginate(
        services.mentorships_query(current_user, filters),
        page=max(1, int_arg("page", 1) or 1),
        per_page=20,
        error_out=False,
        count=False,
    )
    page.total = totals["pairs"]
    from lms.accounts.services import organizations_in_scope

    return render_template(
        "mentorship/officer_list.html",
        page=page,
        filters=filters,
        totals=totals,
        programmes=db.session.scalars(services.programmes_query(current_user)).all(),
        organizations=db.session.scalars(organizations_in_scope(current_user)).all(),
        disputes=db.session.scalar(
            services.disputes_query(current_user).with_only_columns(db.func.count()).order_by(None)
        ),
    )


@bp.route("/mentorships/export.xlsx")
@login_required
def export():
    scope.require_officer(current_user)
    rows = services.export_rows(current_user, _filters())
    data = xlsx_bytes(_("师徒结对"), [str(h) for h in services.EXPORT_HEADERS], rows)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=mentorships.xlsx"},
    )


@bp.route("/mentorships/new", methods=["GET", "POST"])
@login_required
def pair():
    scope.require_officer(current_user)
    form = PairingForm()
    programmes = db.session.scalars(services.programmes_query(current_user)).all()
    form.programme_id.choices = [(0, _("不属于任何项目"))] + [(p.id, p.name) for p in programmes]
    q = (request.args.get("q") or "").strip()
    apprentice_id = int_arg("apprentice_id") or (_id(form.apprentice_id.data) or None)
    apprentice = None
    if apprentice_id:
        apprentice = services.get_person(current_user, apprentice_id, "apprentice_id")
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and apprentice is not None:
            try:
                mentor = services.get_person(current_user, _id(form.mentor_id.data), "mentor_id")
                programme = (
                    services.get_programme(current_user, form.programme_id.data)
                    if form.programme_id.data
                    else None
                )
                mentorship = services.create_pairing(
                    current_user,
                    mentor=mentor,
                    apprentice=apprentice,
                    programme=programme,
                    start_date=form.start_date.data,
                    planned_end=form.planned_end.data,
                    agreement=form.agreement.data,
                )
            except (Invalid, Conflict) as exc:
                db.session.rollback()
                _form_errors(form, exc)
                flash(exc.message, "error")
                status = exc.status
            else:
                flash(
                    _(
                        "已为%(a)s结对师傅%(m)s，等待师徒双方签署协议。",
                        a=apprentice.name,
                        m=mentor.name,
                    ),
                    "success",
                )
                return redirect(url_for("mentorship.detail", mentorship_id=mentorship.id))
        else:
            _flash_form_errors(form)
            status = 422
    if request.method == "GET":
        today = services.local_today()
        form.start_date.data = today
        form.planned_end.data = (
            today.replace(year=today.year + 1)
            if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year + 1, day=28)
        )
    suggestions = services.suggestions(current_user, apprentice) if apprentice else []
    return render_template(
        "mentorship/pair.html",
        form=form,
        q=q,
        matches=services.users_for_pairing(current_user, q) if q and not apprentice else [],
        apprentice=apprentice,
        existing=services.open_pairings(apprentice) if apprentice else [],
        suggestions=suggestions,
    ), status


@bp.route("/mentorships/disputes")
@login_required
def disputes():
    scope.require_officer(current_user)
    page = paginate(services.disputes_query(current_user))
    return render_template("mentorship/disputes.html", page=page, form=ResolveForm())


# --- one pairing -----------------------------------------------------------------------------


@bp.route("/mentorships/<int:mentorship_id>")
@login_required
def detail(mentorship_id: int):
    mentorship = services.get_mentorship(current_user, mentorship_id)
    roles = services.roles_in(current_user, mentorship)
    logs = paginate(services.logs_query(current_user, mentorship), per_page=30)
    return render_template(
        "mentorship/detail.html",
        m=mentorship,
        roles=roles,
        logs=logs,
        today=services.local_today(),
        goal_form=GoalForm(),
        goal_status_form=GoalStatusForm(),
        assessment_form=AssessmentForm(obj=mentorship),
        graduation_form=GraduationForm(),
        transition_form=TransitionForm(),
        dispute_form=DisputeForm(),
        resolve_form=ResolveForm(),
    )


def _act(mentorship_id: int, action, success: str):
    try:
        action()
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        messages = [exc.message] + [m for ms in exc.errors.values() for m in ms]
        flash(" ".join(dict.fromkeys(str(m) for m in messages)), "error")
    else:
        flash(success, "success")
    return _back(mentorship_id)


@bp.route("/mentorships/<int:mentorship_id>/sign", methods=["POST"])
@login_required
def sign(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    return _act(m.id, lambda: services.sign(current_user, m), _("已签署带徒协议。"))


@bp.route("/mentorships/<int:mentorship_id>/decline", methods=["POST"])
@login_required
def decline(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    note = (request.form.get("note") or "").strip()
    return _act(
        m.id, lambda: services.decline_request(current_user, m, note), _("已婉拒拜师申请。")
    )


@bp.route("/mentorships/<int:mentorship_id>/transition", methods=["POST"])
@login_required
def transition(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    return _act(
        m.id,
        lambda: services.transition(current_user, m, form.to.data, form.note.data),
        _("状态已更新。"),
    )


@bp.route("/mentorships/<int:mentorship_id>/goals", methods=["POST"])
@login_required
def add_goal(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = GoalForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(m.id)
    return _act(
        m.id,
        lambda: services.add_goal(
            current_user, m, skill=form.skill.data, target_date=form.target_date.data
        ),
        _("已添加学习目标。"),
    )


@bp.route("/goals/<int:goal_id>", methods=["POST"])
@login_required
def update_goal(goal_id: int):
    goal = services.get_goal(current_user, goal_id)
    form = GoalStatusForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    return _act(
        goal.mentorship_id,
        lambda: services.update_goal(current_user, goal, status=form.status.data),
        _("目标状态已更新。"),
    )


@bp.route("/mentorships/<int:mentorship_id>/assessment", methods=["POST"])
@login_required
def assessment(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = AssessmentForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(m.id)
    return _act(
        m.id,
        lambda: services.record_assessment(
            current_user, m, form.final_assessment.data, early=form.early.data
        ),
        _("出师评价已保存，等待培训专员审批。"),
    )


@bp.route("/mentorships/<int:mentorship_id>/graduate", methods=["POST"])
@login_required
def graduate(mentorship_id: int):
    m = services.get_mentorship(current_user, mentorship_id)
    form = GraduationForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    return _act(
        m.id,
        lambda: services.approve_graduation(current_user, m, early=form.early.data),
        _("已批准出师。"),
    )


# --- logs ------------------------------------------------------------------------------------


@bp.route("/logs/<int:log_id>/confirm", methods=["POST"])
@login_required
def confirm_log(log_id: int):
    entry = services.get_log(current_user, log_id)
    response = _act(
        entry.mentorship_id,
        lambda: services.confirm_log(current_user, entry),
        _("已确认这条带徒记录。"),
    )
    return _redirect_next(response)


@bp.route("/logs/<int:log_id>/dispute", methods=["POST"])
@login_required
def dispute_log(log_id: int):
    entry = services.get_log(current_user, log_id)
    form = DisputeForm()
    reason = form.reason.data if form.validate_on_submit() else None
    response = _act(
        entry.mentorship_id,
        lambda: services.dispute_log(current_user, entry, reason),
        _("已提出异议，培训专员会处理。"),
    )
    return _redirect_next(response)


@bp.route("/logs/<int:log_id>/resolve", methods=["POST"])
@login_required
def resolve_log(log_id: int):
    entry = services.get_log(current_user, log_id)
    form = ResolveForm()
    resolution = form.resolution.data if form.validate_on_submit() else None
    response = _act(
        entry.mentorship_id,
        lambda: services.resolve_log(current_user, entry, resolution or "", form.note.data),
        _("异议已处理。"),
    )
    return _redirect_next(response)


def _redirect_next(response):
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return response


@bp.route("/logs/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    item = services.get_attachment(current_user, attachment_id)
    return send_file(
        storage.path(item.stored_name),
        mimetype=item.content_type,
        download_name=item.filename,
        as_attachment=not item.content_type.startswith("image/"),
    )


# --- mentors ---------------------------------------------------------------------------------


def _require_mentor():
    if not current_user.has_role(Role.mentor):
        raise Forbidden(_("此页面供导师使用。"))


@bp.route("/mentoring")
@login_required
def mentor_dashboard():
    _require_mentor()
    idle_days = min(max(int_arg("idle_days", 14) or 14, 1), 365)
    board = services.mentor_dashboard(current_user, idle_days=idle_days)
    return render_template("mentorship/mentor_dashboard.html", board=board)


@bp.route("/mentoring/log", methods=["GET", "POST"])
@login_required
def log_session():
    _require_mentor()
    board_rows = [
        r
        for r in services.mentor_dashboard(current_user)["rows"]
        if r.mentorship.status == MentorshipStatus.active
    ]
    form = LogForm()
    form.mentorship_id.choices = [
        (r.mentorship.id, r.mentorship.apprentice.name) for r in board_rows
    ]
    status = 200
    if request.method == "GET":
        form.session_date.data = services.local_today()
        form.kind.data = services.last_kind(current_user).value
        form.client_token.data = uuid.uuid4().hex
        chosen = int_arg("mentorship")
        if chosen in {c[0] for c in form.mentorship_id.choices}:
            form.mentorship_id.data = chosen
        elif len(form.mentorship_id.choices) == 1:
            form.mentorship_id.data = form.mentorship_id.choices[0][0]
    elif form.validate_on_submit():
        mentorship = services.get_mentorship(current_user, form.mentorship_id.data)
        uploads = [
            services.Upload(f.filename or "file", f.mimetype or "", f.read())
            for f in (form.files.data or [])
            if f and f.filename
        ]
        try:
            entry = services.create_log(
                current_user,
                mentorship,
                session_date=form.session_date.data,
                minutes=form.minutes.data,
                kind=form.kind.data,
                topic=form.topic.data,
                skills=form.skills.data,
                notes=form.notes.data,
                files=uploads,
                client_token=form.client_token.data or None,
            )
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            _form_errors(form, exc)
            if "files" in exc.errors:
                form.files.errors = list(exc.errors["files"])
            status = exc.status
        else:
            flash(
                _(
                    "已记录%(name)s的带徒 %(minutes)d 分钟，等待徒弟确认。",
                    name=mentorship.apprentice.name,
                    minutes=entry.minutes,
                ),
                "success",
            )
            return redirect(url_for("mentorship.mentor_dashboard"))
    else:
        status = 422
    return render_template("mentorship/log_form.html", form=form, rows=board_rows), status


# --- apprentices -----------------------------------------------------------------------------


@bp.route("/my-mentor")
@login_required
def apprentice_dashboard():
    board = services.apprentice_dashboard(current_user)
    suggestions = [] if board["current"] else services.suggestions(current_user, current_user, 5)
    return render_template(
        "mentorship/apprentice_dashboard.html",
        board=board,
        suggestions=suggestions,
        dispute_form=DisputeForm(),
        request_form=RequestForm(),
        LogStatus=LogStatus,
    )


@bp.route("/my-mentor/request", methods=["POST"])
@login_required
def request_mentor():
    form = RequestForm()
    if not form.validate_on_submit():
        raise Invalid(errors=form.errors)
    mentor = services.get_mentor_for_request(_id(form.mentor_id.data))
    try:
        services.request_mentor(current_user, mentor=mentor, note=form.note.data)
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("已向%(name)s师傅发出拜师申请，请等待回复。", name=mentor.name), "success")
    return redirect(url_for("mentorship.apprentice_dashboard"))


# --- officers: mentors' places and programmes ----------------------------------------------


@bp.route("/mentorships/mentors", methods=["GET", "POST"])
@login_required
def mentors():
    scope.require_officer(current_user)
    if request.method == "POST":
        from lms.accounts.services import get_user

        mentor = get_user(current_user, _id(request.form.get("mentor_id")))
        value = request.form.get("capacity", "")
        try:
            services.set_capacity(
                current_user, mentor, _id(value) if value.strip().isdigit() else -1
            )
        except Invalid as exc:
            db.session.rollback()
            flash(" ".join(str(m) for ms in exc.errors.values() for m in ms), "error")
        else:
            flash(_("已将%(name)s的带徒名额设为 %(n)s 名。", name=mentor.name, n=value), "success")
        return redirect(url_for("mentorship.mentors", **request.args.to_dict()))
    page = paginate(services.mentors_in_scope(current_user), per_page=30)
    ids = [u.id for u in page.items]
    return render_template(
        "mentorship/mentors.html",
        page=page,
        loads=services.loads(ids),
        capacities=services.capacities(ids),
    )


@bp.route("/mentorships/programmes", methods=["GET", "POST"])
@login_required
def programmes():
    scope.require_officer(current_user)
    from lms.accounts.services import get_organization, organizations_in_scope

    organizations = db.session.scalars(organizations_in_scope(current_user)).all()
    status = 200
    if request.method == "POST":
        try:
            org = get_organization(current_user, _id(request.form.get("organization_id")))
            services.create_programme(
                current_user,
                org,
                request.form.get("name", ""),
                (request.form.get("description") or "").strip() or None,
            )
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            flash(
                " ".join([exc.message] + [str(m) for ms in exc.errors.values() for m in ms]),
                "error",
            )
            status = exc.status
        else:
            flash(_("带徒项目已创建。"), "success")
            return redirect(url_for("mentorship.programmes"))
    return render_template(
        "mentorship/programmes.html",
        programmes=db.session.scalars(services.programmes_query(current_user)).all(),
        organizations=organizations,
    ), status
