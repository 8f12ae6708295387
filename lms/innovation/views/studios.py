"""Studio pages: the registry with search, registering an application, a studio's page with
members, innovations and ledger, naming, revocation and ledger entries, the annual
appraisal and reconfirmation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import User
from lms.accounts.services import organizations_in_scope
from lms.core.pages import paginate
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.innovation import services
from lms.innovation.forms import (
    AppraisalForm,
    EmptyForm,
    LedgerForm,
    ReasonForm,
    StudioDecisionForm,
    StudioForm,
)
from lms.innovation.labels import STUDIO_STATUS_LABELS
from lms.innovation.models import StudioStatus
from lms.innovation.views import bp
from lms.innovation.views.common import attempt, flash_domain, flash_errors, form_errors
from lms.timeutil import to_local


@bp.route("/studios")
@login_required
def studios():
    q = (request.args.get("q") or "").strip() or None
    status = (
        request.args.get("status")
        if request.args.get("status") in StudioStatus.__members__
        else None
    )
    return render_template(
        "innovation/studios.html",
        page=paginate(services.studios_query(current_user, q=q, status=status)),
        q=q,
        status=status,
        statuses=STUDIO_STATUS_LABELS,
        officer=scope.is_officer(current_user) or scope.is_admin(current_user),
    )


def _by_number(number: str, field: str) -> User:
    user = db.session.scalar(
        sa.select(User).where(User.employee_no == (number or "").strip(), User.active.is_(True))
    )
    if user is None:
        raise Invalid(errors={field: [_("找不到工号 %(no)s。", no=number)]})
    return user


@bp.route("/studios/new", methods=["GET", "POST"])
@login_required
def studio_new():
    scope.require_officer(current_user)
    form = StudioForm()
    orgs = db.session.scalars(organizations_in_scope(current_user)).all()
    form.organization_id.choices = [(o.id, o.name) for o in orgs]
    if request.method == "GET":
        form.year.data = services.now().year
    if form.validate_on_submit():
        try:
            lead = _by_number(form.lead_no.data, "lead_no")
            members = [
                _by_number(line, "members").id
                for line in (form.members.data or "").split()
                if line.strip()
            ]
            studio = services.register_studio(
                current_user,
                name=form.name.data,
                lead=lead,
                organization=services.get_organization(current_user, form.organization_id.data),
                level=form.level.data,
                year=form.year.data,
                trade=form.trade.data,
                plan=form.plan.data,
                member_ids=members,
            )
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            if "lead_id" in exc.errors:
                exc.errors["lead_no"] = exc.errors.pop("lead_id")
            form_errors(form, exc)
        else:
            db.session.commit()
            flash(_("工作室申报已登记，待审核命名。"), "success")
            return redirect(url_for("innovation.studio", studio_id=studio.id))
    return render_template("innovation/studio_form.html", form=form)


@bp.route("/studios/<int:studio_id>")
@login_required
def studio(studio_id: int):
    studio = services.get_studio(current_user, studio_id)
    manage = services.can_manage(current_user, studio)
    return render_template(
        "innovation/studio.html",
        studio=studio,
        manage=manage,
        innovations=services.studio_innovations(studio),
        recs=services.recommend.of_studio(studio.id),
        appraisals=services.lifecycle.appraisals(studio),
        reconfirm_due=services.lifecycle.reconfirm_due(studio),
        appraisal_form=AppraisalForm(year=to_local(services.now()).year - 1),
        button=EmptyForm(),
        decision_form=StudioDecisionForm(),
        reason_form=ReasonForm(),
        ledger_form=LedgerForm(),
    )


def _studio_action(studio_id: int, form):
    studio = services.get_studio(current_user, studio_id)
    if not services.can_manage(current_user, studio):
        raise NotFound()  # a named studio is public; acting on it is its officers' alone
    if not form.validate_on_submit():
        flash_errors(form)
        return studio, False
    return studio, True


def _done(studio_id: int):
    return redirect(url_for("innovation.studio", studio_id=studio_id))


@bp.route("/studios/<int:studio_id>/decision", methods=["POST"])
@login_required
def studio_decide(studio_id: int):
    form = StudioDecisionForm()
    studio, ok = _studio_action(studio_id, form)
    if ok:
        try:
            services.decide_studio(current_user, studio, form.approve.data == "1", form.reason.data)
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            flash_domain(exc)
        else:
            db.session.commit()
            flash(_("审核结论已保存。"), "success")
    return _done(studio_id)


@bp.route("/studios/<int:studio_id>/revocation", methods=["POST"])
@login_required
def studio_revoke(studio_id: int):
    form = ReasonForm()
    studio, ok = _studio_action(studio_id, form)
    if ok:
        try:
            services.revoke_studio(current_user, studio, form.reason.data)
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            flash_domain(exc)
        else:
            db.session.commit()
            flash(_("已撤销命名。"), "success")
    return _done(studio_id)


@bp.route("/studios/<int:studio_id>/ledger", methods=["POST"])
@login_required
def studio_ledger(studio_id: int):
    form = LedgerForm()
    studio, ok = _studio_action(studio_id, form)
    if ok:
        try:
            services.add_entry(
                current_user,
                studio,
                form.kind.data,
                form.amount.data,
                form.description.data,
                form.corrects_id.data,
            )
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            flash_domain(exc)
        else:
            db.session.commit()
            flash(_("已记账。"), "success")
    return _done(studio_id)


@bp.route("/studios/<int:studio_id>/appraisal", methods=["POST"])
@login_required
def studio_appraise(studio_id: int):
    form = AppraisalForm()
    studio, ok = _studio_action(studio_id, form)
    if ok:
        attempt(
            lambda: services.lifecycle.appraise(
                current_user, studio, form.year.data, form.note.data
            ),
            _("年度考核已记录。"),
        )
    return _done(studio_id)


@bp.route("/studios/<int:studio_id>/reconfirmation", methods=["POST"])
@login_required
def studio_reconfirm(studio_id: int):
    studio, ok = _studio_action(studio_id, EmptyForm())
    if ok:
        attempt(lambda: services.lifecycle.reconfirm(current_user, studio), _("工作室命名已复核。"))
    return _done(studio_id)
