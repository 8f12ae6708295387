"""The care team's list of honoured people, a person's care file, one's own file, and the
care duties page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import HonorLevel, Organization, User
from lms.care import services
from lms.care.forms import CaseForm, DutyForm, SituationForm, VisitPlanForm
from lms.care.views import bp
from lms.care.views.common import REFUSALS, attempt, flash_refusal, form_errors
from lms.core.pages import paginate
from lms.errors import NotFound
from lms.extensions import db


@bp.route("/")
@login_required
def index():
    """The care team's people; anyone else is sent to their own file."""
    if not services.is_care_team(current_user):
        if services.is_honoured(current_user):
            return redirect(url_for("care.my_file"))
        if scope.is_officer(current_user):
            return redirect(url_for("care.checkup_overview"))
        services.require_care_team(current_user)
    q = (request.args.get("q") or "").strip() or None
    level = request.args.get("level") or None
    page = paginate(services.people_query(current_user, q=q, level=level))
    return render_template(
        "care/index.html",
        page=page,
        q=q,
        level=level,
        levels=list(HonorLevel),
        overdue=services.overdue_count(current_user),
    )


@bp.route("/me")
@login_required
def my_file():
    """The person's own care file (without what the care team keeps internal)."""
    if not services.is_honoured(current_user):
        return render_template("care/no_file.html")
    care_file = services.care_file(current_user, current_user.id)
    return render_template(
        "care/file.html",
        f=care_file,
        trips=services.my_trips(current_user),
        surveys=services.my_responses(current_user),
        today=services.local_today(),
    )


@bp.route("/people/<int:person_id>")
@login_required
def person_file(person_id: int):
    if person_id == current_user.id:
        return redirect(url_for("care.my_file"))
    care_file = services.care_file(current_user, person_id)  # audited
    return render_template(
        "care/file.html",
        f=care_file,
        trips=[],
        situation_form=SituationForm(),
        case_form=CaseForm(),
        visit_form=VisitPlanForm(),
    )


@bp.route("/people/<int:person_id>/situation", methods=["POST"])
@login_required
def record_situation(person_id: int):
    person = services.get_person(current_user, person_id)
    form = SituationForm()
    if form.validate_on_submit():
        if attempt(
            services.record_situation,
            current_user,
            person,
            surveyed_on=form.surveyed_on.data,
            housing=form.housing.data,
            income=form.income.data,
            health=form.health.data,
            family=form.family.data,
            needs=form.needs.data,
            internal=form.internal.data,
        ):
            flash(_("已记录生活状况。"), "success")
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(str(message), "error")
    return redirect(url_for("care.person_file", person_id=person.id))


# --- duties ----------------------------------------------------------------------------------


def _duty_form() -> DutyForm:
    form = DutyForm()
    form.user_id.choices = [
        (u.id, f"{u.name}（{u.organization.name}）")
        for u in services.officers_for_duty(current_user)
    ]
    form.organization_id.choices = [
        (o.id, o.name) for o in services.grantable_organizations(current_user)
    ]
    return form


@bp.route("/duties", methods=["GET", "POST"])
@login_required
def duties():
    services.require_care_team(current_user)
    form = _duty_form()
    if request.method == "POST" and form.validate_on_submit():
        officer = db.session.get(User, form.user_id.data)
        organization = db.session.get(Organization, form.organization_id.data)
        if officer is None or organization is None:
            raise NotFound()
        try:
            services.grant_duty(current_user, officer, organization)
            flash(_("已授予关爱服务职责。"), "success")
            return redirect(url_for("care.duties"))
        except REFUSALS as exc:
            form_errors(form, exc)
    grantable = {value for value, _label in form.organization_id.choices}
    return (
        render_template(
            "care/duties.html",
            duties=db.session.scalars(services.duties_query(current_user)).all(),
            form=form,
            grantable=grantable,
        ),
        422 if form.errors else 200,
    )


@bp.route("/duties/<int:duty_id>/revoke", methods=["POST"])
@login_required
def revoke_duty(duty_id: int):
    duty = services.get_duty(current_user, duty_id)
    try:
        services.revoke_duty(current_user, duty)
        flash(_("已撤销关爱服务职责。"), "success")
    except REFUSALS as exc:
        flash_refusal(exc)
    return redirect(url_for("care.duties"))
