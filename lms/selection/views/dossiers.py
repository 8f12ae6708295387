"""A level's queue, nominating, a dossier with its steps, and the review actions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import User
from lms.core.pages import paginate
from lms.errors import NotFound
from lms.extensions import db
from lms.selection import services
from lms.selection.forms import DossierForm
from lms.selection.views import bp
from lms.selection.views.common import REFUSALS, attempt, form_errors

_FIELDS = (
    "summary",
    "achievements",
    "frontline",
    "enterprise_head",
    "congress_resolution",
    "unit_notice_from",
    "unit_notice_to",
)


@bp.route("/<int:campaign_id>/queue")
@login_required
def queue(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    q = (request.args.get("q") or "").strip() or None
    tab = request.args.get("tab") or "queue"
    if tab == "all":
        page = paginate(services.dossiers_query(current_user, campaign, q))
    else:
        page = paginate(services.queue_query(current_user, campaign, q))
    people = []
    who = (request.args.get("who") or "").strip()
    if who:
        people = db.session.scalars(
            db.select(User)
            .where(
                scope.subtree_condition(current_user),
                db.or_(User.name.contains(who), User.employee_no == who),
                User.active.is_(True),
            )
            .join(User.organization)
            .order_by(User.name)
            .limit(20)
        ).all()
    return render_template(
        "selection/queue.html", campaign=campaign, page=page, q=q, tab=tab, who=who, people=people
    )


@bp.route("/<int:campaign_id>/nominate/<int:user_id>", methods=["GET", "POST"])
@login_required
def nominate(campaign_id: int, user_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    candidate = db.session.get(User, user_id)
    if candidate is None or not scope.can_manage_user(current_user, candidate):
        raise NotFound()
    form = DossierForm()
    if form.validate_on_submit():
        try:
            dossier = services.nominate(
                current_user,
                campaign,
                candidate,
                **{name: getattr(form, name).data for name in _FIELDS},
            )
        except REFUSALS as exc:
            form_errors(form, exc)
        else:
            flash(_("推荐材料已保存为草稿。核对无误后点“报送上级”。"), "success")
            return redirect(url_for("selection.dossier", dossier_id=dossier.id))
    status = 422 if form.errors else 200
    return render_template(
        "selection/nominate.html", campaign=campaign, candidate=candidate, form=form
    ), status


@bp.route("/dossiers/<int:dossier_id>", methods=["GET", "POST"])
@login_required
def dossier(dossier_id: int):
    dossier = services.get_dossier(current_user, dossier_id)
    editable = dossier.status.value in ("draft", "returned") and services.acts_at(
        current_user, dossier.level_org_id
    )
    form = DossierForm(obj=dossier)
    if request.method == "POST":
        if not editable:
            raise NotFound()
        if form.validate_on_submit():
            try:
                services.amend(current_user, dossier, **{n: getattr(form, n).data for n in _FIELDS})
            except REFUSALS as exc:
                form_errors(form, exc)
            else:
                flash(_("推荐材料已修改。"), "success")
                return redirect(url_for("selection.dossier", dossier_id=dossier.id))
    status = 422 if form.errors else 200
    return render_template(
        "selection/dossier.html",
        dossier=dossier,
        campaign=dossier.campaign,
        form=form,
        editable=editable,
        reviewable=dossier.status.value == "pending"
        and services.acts_at(current_user, dossier.level_org_id),
        organizer=services.is_organizer(current_user, dossier.campaign),
        basis=services.basis(dossier),
    ), status


def _act(dossier_id: int, action, message: str, *args):
    dossier = services.get_dossier(current_user, dossier_id)
    if attempt(action, current_user, dossier, *args) is not None:
        flash(message, "success")
    return redirect(url_for("selection.dossier", dossier_id=dossier.id))


@bp.route("/dossiers/<int:dossier_id>/submit", methods=["POST"])
@login_required
def submit(dossier_id: int):
    return _act(dossier_id, services.submit, _("已报送上级单位。"))


@bp.route("/dossiers/<int:dossier_id>/approve", methods=["POST"])
@login_required
def approve(dossier_id: int):
    return _act(dossier_id, services.approve, _("已同意。"), request.form.get("note"))


@bp.route("/dossiers/<int:dossier_id>/return", methods=["POST"])
@login_required
def return_dossier(dossier_id: int):
    return _act(
        dossier_id,
        services.return_dossier,
        _("已退回下级单位修改。"),
        request.form.get("reason"),
    )


@bp.route("/dossiers/<int:dossier_id>/reject", methods=["POST"])
@login_required
def reject(dossier_id: int):
    return _act(dossier_id, services.reject, _("已不予推荐。"), request.form.get("reason"))


@bp.route("/dossiers/<int:dossier_id>/revoke", methods=["POST"])
@login_required
def revoke(dossier_id: int):
    return _act(
        dossier_id,
        services.revoke_honour,
        _("荣誉已撤销，并已记入审计日志。"),
        request.form.get("reason"),
    )
