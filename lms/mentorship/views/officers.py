"""Officers' pages: the list of pairings with totals and export, the pairing page with
suggestions, disputed logs, mentors' places and programmes."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.services import get_organization, get_user, organizations_in_scope
from lms.core.pages import int_arg, paginate
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.forms import (
    PairingForm,
    ResolveForm,
)
from lms.mentorship.views.common import (
    bp,
    flash_form_errors,
    form_errors,
    list_filters,
    posted_id,
)

# --- officers --------------------------------------------------------------------------------


@bp.route("/mentorships")
@login_required
def officer_list():
    scope.require_officer(current_user)
    filters = list_filters()
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
    return Response(
        services.export_xlsx(current_user, list_filters()),
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
    apprentice_id = int_arg("apprentice_id") or (posted_id(form.apprentice_id.data) or None)
    apprentice = None
    if apprentice_id:
        apprentice = services.get_person(current_user, apprentice_id)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and apprentice is not None:
            try:
                mentor = services.get_person(current_user, posted_id(form.mentor_id.data))
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
                form_errors(form, exc)
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
            flash_form_errors(form)
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


# --- officers: mentors' places and programmes ----------------------------------------------


@bp.route("/mentorships/mentors", methods=["GET", "POST"])
@login_required
def mentors():
    scope.require_officer(current_user)
    if request.method == "POST":
        mentor = get_user(current_user, posted_id(request.form.get("mentor_id")))
        value = request.form.get("capacity", "")
        try:
            services.set_capacity(
                current_user, mentor, posted_id(value) if value.strip().isdigit() else -1
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

    organizations = db.session.scalars(organizations_in_scope(current_user)).all()
    status = 200
    if request.method == "POST":
        try:
            org = get_organization(current_user, posted_id(request.form.get("organization_id")))
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
