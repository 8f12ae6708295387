"""Vetting and committee pages: a department reviewer's requests, the organizer's
departments and committee, and a member's ballot."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core.pages import paginate
from lms.selection import services
from lms.selection.views import bp
from lms.selection.views.common import attempt, posted_id


@bp.route("/vetting")
@login_required
def vetting():
    page = paginate(services.vettings_query(current_user))
    return render_template("selection/vetting.html", page=page)


@bp.route("/vetting/<int:vetting_id>", methods=["POST"])
@login_required
def answer_vetting(vetting_id: int):
    done = attempt(
        services.answer,
        current_user,
        vetting_id,
        request.form.get("verdict") or "",
        request.form.get("reason"),
    )
    if done is not None:
        flash(_("意见已提交。"), "success")
    return redirect(url_for("selection.vetting"))


@bp.route("/<int:campaign_id>/departments", methods=["POST"])
@login_required
def add_department(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    if attempt(
        services.add_department,
        current_user,
        campaign,
        request.form.get("name"),
        request.form.get("login"),
    ):
        flash(_("已添加征求意见的部门。"), "success")
    return redirect(url_for("selection.campaign", campaign_id=campaign.id) + "#h-vetting")


@bp.route("/<int:campaign_id>/ask", methods=["POST"])
@login_required
def ask_departments(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    asked = attempt(services.ask_departments, current_user, campaign)
    if asked is not None:
        flash(_("已向各部门征求意见 %(n)d 份。推荐阶段随之结束。", n=asked), "success")
    return redirect(url_for("selection.campaign", campaign_id=campaign.id) + "#h-vetting")


@bp.route("/<int:campaign_id>/members", methods=["POST"])
@login_required
def add_member(campaign_id: int):
    campaign = services.get_campaign(current_user, campaign_id)
    if attempt(services.add_member, current_user, campaign, request.form.get("login")):
        flash(_("已添加评审委员。"), "success")
    return redirect(url_for("selection.campaign", campaign_id=campaign.id) + "#h-vetting")


@bp.route("/<int:campaign_id>/committee")
@login_required
def committee(campaign_id: int):
    campaign = services.committee_campaign(current_user, campaign_id)
    votes, conflicts = services.my_votes(current_user, campaign)
    listed = services.listed(campaign)
    return render_template(
        "selection/committee.html",
        campaign=campaign,
        listed=services.in_stroke_order(listed, name=lambda d: d.candidate.name),
        votes=votes,
        conflicts=conflicts,
        member=services.member_of(current_user, campaign),
        tally=services.visible_tally(current_user, campaign),
        missing=services.missing_votes(campaign),
    )


@bp.route("/<int:campaign_id>/committee", methods=["POST"])
@login_required
def vote(campaign_id: int):
    campaign = services.committee_campaign(current_user, campaign_id)
    dossier_id = posted_id("dossier_id")
    if request.form.get("conflict"):
        attempt(
            services.declare_conflict,
            current_user,
            campaign,
            dossier_id,
            request.form.get("reason"),
        )
    elif attempt(
        services.cast_vote,
        current_user,
        campaign,
        dossier_id,
        request.form.get("choice") or "",
        request.form.get("reason"),
    ):
        flash(_("已投票。"), "success")
    return redirect(url_for("selection.committee", campaign_id=campaign.id))
