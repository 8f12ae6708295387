"""Recuperation trips: the list, a new trip, the roster with quotas, nominations,
approval by priority and attendance."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.models import Organization, User
from lms.care import services
from lms.care.forms import QuotaForm, TripForm
from lms.care.views import bp
from lms.care.views.common import REFUSALS, attempt, flash_form, form_errors, posted_id
from lms.core.pages import paginate
from lms.errors import NotFound
from lms.extensions import db


@bp.route("/trips")
@login_required
def trips():
    q = (request.args.get("q") or "").strip() or None
    kind = request.args.get("kind") or None
    page = paginate(services.trips_query(current_user, q, kind))
    return render_template("care/trips.html", page=page, q=q, kind=kind)


@bp.route("/trips/new", methods=["GET", "POST"])
@login_required
def new_trip():
    organizations = services.care_organizations(current_user)
    form = TripForm()
    if request.method == "GET" and request.args.get("kind") == "study_tour":
        form.kind.data = "study_tour"
    form.organization_id.choices = [(o.id, o.name) for o in organizations]
    if form.validate_on_submit():
        organization = next(o for o in organizations if o.id == form.organization_id.data)
        try:
            trip = services.create_trip(
                current_user,
                organization,
                name=form.name.data,
                place=form.place.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                capacity=form.capacity.data,
                itinerary=form.itinerary.data,
                weight_first_time=form.weight_first_time.data,
                weight_frontline=form.weight_frontline.data,
                weight_honour=form.weight_honour.data,
                kind=form.kind.data,
            )
            flash(_("已创建。下一步：分配各单位名额，推荐人员。"), "success")
            return redirect(url_for("care.trip", trip_id=trip.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template("care/trip_form.html", form=form), status


@bp.route("/trips/<int:trip_id>")
@login_required
def trip(trip_id: int):
    trip = services.get_trip(current_user, trip_id)
    q = (request.args.get("q") or "").strip() or None
    candidates = []
    if q:
        candidates = db.session.scalars(services.people_query(current_user, q=q).limit(20)).all()
    quota_form = QuotaForm()
    quota_form.organization_id.choices = [
        (o.id, o.name)
        for o in services.care_organizations(current_user)
        if o.path.startswith(trip.organization.path)
    ]
    return render_template(
        "care/trip.html",
        trip=trip,
        page=paginate(services.roster_query(current_user, trip), per_page=50),
        q=q,
        candidates=candidates,
        quota_form=quota_form,
        manage=services.manages(current_user, trip),
        today=services.local_today(),
    )


@bp.route("/trips/<int:trip_id>/quotas", methods=["POST"])
@login_required
def set_quota(trip_id: int):
    trip = services.get_trip(current_user, trip_id)
    form = QuotaForm()
    form.organization_id.choices = [(posted_id("organization_id"), "")]
    if form.validate_on_submit():
        organization = db.session.get(Organization, form.organization_id.data)
        if organization is None or not services.covers(current_user, organization):
            raise NotFound()
        if attempt(services.set_quota, current_user, trip, organization, form.places.data):
            flash(_("已设置名额。"), "success")
    else:
        flash_form(form)
    return redirect(url_for("care.trip", trip_id=trip_id))


@bp.route("/trips/<int:trip_id>/nominations", methods=["POST"])
@login_required
def nominate(trip_id: int):
    trip = services.get_trip(current_user, trip_id)
    person = db.session.get(User, posted_id("person_id"))
    if person is None:
        raise NotFound()
    if attempt(
        services.nominate, current_user, trip, person, frontline=bool(request.form.get("frontline"))
    ):
        flash(_("已推荐 %(name)s。", name=person.name), "success")
    return redirect(url_for("care.trip", trip_id=trip_id))


@bp.route("/trips/<int:trip_id>/fill", methods=["POST"])
@login_required
def fill_trip(trip_id: int):
    trip = services.get_trip(current_user, trip_id)
    count = services.approve_by_priority(current_user, trip)
    flash(_("已按优先顺序批准 %(n)d 人。", n=count), "success")
    return redirect(url_for("care.trip", trip_id=trip_id))


def _decide(nomination_id: int, action, message: str):
    nomination = services.get_nomination(current_user, nomination_id)
    trip_id = nomination.trip_id
    if attempt(action, current_user, nomination):
        flash(message, "success")
    return redirect(url_for("care.trip", trip_id=trip_id))


@bp.route("/nominations/<int:nomination_id>/approve", methods=["POST"])
@login_required
def approve(nomination_id: int):
    return _decide(nomination_id, services.approve, _("已批准。"))


@bp.route("/nominations/<int:nomination_id>/decline", methods=["POST"])
@login_required
def decline(nomination_id: int):
    return _decide(nomination_id, services.decline, _("已不予批准。"))


@bp.route("/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@login_required
def withdraw(nomination_id: int):
    return _decide(nomination_id, services.withdraw, _("已撤回，名额已释放。"))


@bp.route("/nominations/<int:nomination_id>/attendance", methods=["POST"])
@login_required
def trip_attendance(nomination_id: int):
    nomination = services.get_nomination(current_user, nomination_id)
    attended = request.form.get("attended") == "1"
    if attempt(services.record_trip_attendance, current_user, nomination, attended):
        flash(_("已登记参加情况。"), "success")
    return redirect(url_for("care.trip", trip_id=nomination.trip_id))
