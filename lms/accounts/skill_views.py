"""Skill-level changes (职业技能等级) of a person: the list, and the form officers in scope use
to record a change with its evidence. The rules are in ``services.skills``."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import services
from lms.accounts.forms import SkillChangeForm
from lms.accounts.services import skills
from lms.accounts.views import bp
from lms.errors import DomainError
from lms.extensions import db


@bp.route("/people/<int:user_id>/skills", methods=["GET", "POST"])
@login_required
def skill_changes(user_id: int):
    person = services.get_user(current_user, user_id)
    changes = skills.changes_of(current_user, person)
    can_record = skills.may_record(current_user, person)
    if request.method == "POST":
        skills.require_recorder(current_user, person)
    form = SkillChangeForm()
    if form.validate_on_submit():
        try:
            skills.record_change(
                current_user,
                person,
                to_level=form.to_level.data,
                changed_on=form.changed_on.data,
                certificate_no=form.certificate_no.data,
                issuing_body=form.issuing_body.data,
            )
        except DomainError as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name).errors = list(messages)
            if not exc.errors:
                flash(exc.message, "error")
        else:
            flash(_("技能等级变化已登记，当前等级已更新，并已记入审计日志。"), "success")
            return redirect(url_for("accounts.skill_changes", user_id=person.id))
    status = 422 if form.errors else 200
    return render_template(
        "accounts/skills.html", person=person, changes=changes, form=form, can_record=can_record
    ), status
