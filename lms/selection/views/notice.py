"""The public notice (no sign-in, phone first, served from the cache), filing an objection
(signed in, real name), and the organizers' handling of objections."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from lms.core.pages import paginate
from lms.extensions import cache
from lms.selection import services
from lms.selection.forms import ObjectionForm
from lms.selection.views import bp
from lms.selection.views.common import REFUSALS, attempt, form_errors


def notice_body(campaign_id: int) -> str:
    """The notice's body, rendered once per generation, language and day (it says whether
    the notice is open); a repeated view reads the cache and runs no query."""
    timeout = current_app.config.get("SELECTION_NOTICE_CACHE_SECONDS", 300)
    key = ":".join(
        [
            "selection:notice",
            services.notice_generation(),
            str(campaign_id),
            str(get_locale()),
            services.local_today().isoformat(),
        ]
    )
    body = cache.get(key) if timeout else None
    if body is None:
        body = render_template(
            "selection/_notice_body.html", notice=services.public_notice(campaign_id)
        )
        if timeout:
            cache.set(key, body, timeout=timeout)
    return body


@bp.route("/notice/<int:campaign_id>")
def notice(campaign_id: int):
    response = current_app.make_response(
        render_template("selection/notice.html", body=Markup(notice_body(campaign_id)))
    )
    if not current_user.is_authenticated:
        response.cache_control.public = True
        response.cache_control.max_age = 60
    return response


@bp.route("/notice/<int:campaign_id>/object", methods=["GET", "POST"])
@login_required
def file_objection(campaign_id: int):
    data = services.public_notice(campaign_id)
    form = ObjectionForm()
    form.dossier_id.choices = [
        (e["dossier_id"], f"{e['name']}（{e['unit']}）") for e in data["entries"]
    ]
    if request.method == "GET":
        form.contact.data = current_user.mobile or ""
    if form.validate_on_submit() or (request.method == "POST" and not form.real_name.data):
        try:
            services.file_objection(
                current_user,
                services.get_notice(campaign_id).campaign,
                form.dossier_id.data,
                body=form.body.data,
                contact=form.contact.data,
                real_name=bool(form.real_name.data),
            )
        except REFUSALS as exc:
            form_errors(form, exc)
        else:
            flash(
                _("异议已收到。我们会调查核实并答复您；您的姓名和联系方式严格保密。"),
                "success",
            )
            return redirect(url_for("selection.notice", campaign_id=campaign_id))
    status = 422 if form.errors or request.method == "POST" else 200
    return render_template(
        "selection/objection_form.html", form=form, notice=data, me=current_user
    ), status


@bp.route("/<int:campaign_id>/objections")
@login_required
def objections(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    status = request.args.get("status") or None
    page = paginate(services.objections_query(current_user, campaign, status))
    return render_template("selection/objections.html", campaign=campaign, page=page, status=status)


@bp.route("/objections/<int:objection_id>", methods=["GET", "POST"])
@login_required
def objection(objection_id: int):
    objection = services.get_objection(current_user, objection_id)
    if request.method == "POST":
        step = request.form.get("step")
        done = None
        if step == "investigate":
            done = attempt(
                services.investigate,
                current_user,
                objection,
                note=request.form.get("investigation"),
                unit_explanation=request.form.get("unit_explanation"),
            )
        elif step == "finding":
            done = attempt(
                services.record_finding, current_user, objection, request.form.get("finding")
            )
        elif step == "dispose":
            done = attempt(
                services.dispose,
                current_user,
                objection,
                request.form.get("disposition") or "",
                request.form.get("disposition_note"),
            )
        if done is not None:
            flash(_("已保存，并已记入审计日志。"), "success")
            return redirect(url_for("selection.objection", objection_id=objection.id))
    return render_template(
        "selection/objection.html", objection=objection, campaign=objection.dossier.campaign
    ), (422 if request.method == "POST" else 200)
