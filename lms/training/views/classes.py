"""Pages of classes: the list, creating and editing one, and its page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization
from lms.core.pages import paginate
from lms.db import utcnow
from lms.errors import DomainError, NotFound
from lms.extensions import db
from lms.training import forms, services
from lms.training.models import RegistrationMode
from lms.training.views.common import (
    aware,
    bp,
    form_errors,
    local_input,
    mentor_choices,
    org_choices,
)


@bp.route("/")
@login_required
def classes():
    q = request.args.get("q") or None
    page = paginate(services.classes_query(current_user, q=q))
    mine = {c.id: e for c, e in services.my_classes(current_user)}
    return render_template(
        "training/classes.html",
        page=page,
        q=q,
        mine=mine,
        can_create=scope.is_officer(current_user) or scope.is_admin(current_user),
    )


def _prepare(form: forms.ClassForm) -> None:
    form.organization_id.choices = org_choices()
    form.instructor_ids.choices = mentor_choices()
    if not services.can_mark_city_wide(current_user):
        del form.city_wide


def _values(form: forms.ClassForm) -> dict:
    values = {
        "title": form.title.data,
        "description": form.description.data or "",
        "capacity": form.capacity.data,
        "location": form.location.data or "",
        "online_url": form.online_url.data or "",
        "registration_mode": RegistrationMode(form.registration_mode.data),
        "registration_deadline": aware(form.registration_deadline.data),
        "late_threshold_minutes": form.late_threshold_minutes.data,
        "checkin_window_minutes": form.checkin_window_minutes.data,
        "checkin_networks": form.checkin_networks.data or "",
        "qr_window_seconds": form.qr_window_seconds.data,
        "completion_rate": form.completion_percent.data / 100,
        "low_attendance_rate": form.low_attendance_percent.data / 100,
        "low_attendance_min_sessions": form.low_attendance_min_sessions.data,
    }
    if getattr(form, "city_wide", None) is not None:
        values["city_wide"] = bool(form.city_wide.data)
    return values


@bp.route("/classes/new", methods=["GET", "POST"])
@login_required
def new_class():
    scope.require_officer(current_user)
    form = forms.ClassForm()
    _prepare(form)
    if form.validate_on_submit():
        organization = db.session.get(Organization, form.organization_id.data)
        if organization is None:
            raise NotFound()
        try:
            training_class = services.create_class(
                current_user,
                organization=organization,
                instructor_ids=form.instructor_ids.data,
                **_values(form),
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            flash(_("培训班已创建。下一步：安排课次。"), "success")
            return redirect(url_for("training.new_sessions", class_id=training_class.id))
    return render_template("training/class_form.html", form=form, training_class=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@login_required
def edit_class(class_id: int):
    training_class = services.get_class(current_user, class_id)
    services.require_manage(current_user, training_class)
    form = forms.ClassForm(obj=training_class)
    _prepare(form)
    if request.method == "GET":
        form.instructor_ids.data = [i.id for i in training_class.instructors]
        form.registration_mode.data = training_class.registration_mode.value
        form.registration_deadline.data = local_input(training_class.registration_deadline)
        form.completion_percent.data = round(training_class.completion_rate * 100)
        form.low_attendance_percent.data = round(training_class.low_attendance_rate * 100)
    del form.organization_id
    if form.validate_on_submit():
        try:
            services.update_class(
                current_user,
                training_class,
                instructor_ids=form.instructor_ids.data,
                **_values(form),
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            flash(_("已保存。"), "success")
            return redirect(url_for("training.class_detail", class_id=class_id))
    return render_template("training/class_form.html", form=form, training_class=training_class)


@bp.route("/classes/<int:class_id>")
@login_required
def class_detail(class_id: int):
    training_class = services.get_class(current_user, class_id)
    entry = services.roster_entry(training_class.id, current_user.id)
    my_rate = None
    if entry is not None:
        rates = services.class_rates(training_class.id)
        my_rate = services.rate_of(*rates.get(current_user.id, (0, 0)))
    return render_template(
        "training/class_detail.html",
        training_class=training_class,
        entry=entry,
        my_rate=my_rate,
        seated=services.seated_count(training_class.id),
        now=utcnow(),
        can_manage=services.can_manage(current_user, training_class),
        can_teach=services.can_teach(current_user, training_class),
        feed_url=url_for("training.class_feed", token=training_class.feed_token, _external=True),
    )
