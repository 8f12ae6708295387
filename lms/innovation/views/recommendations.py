"""Recommended upward: the list of recommendations and their outcomes, recommending an item
or an advanced operation method, and recording the award's result."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.core.pages import paginate
from lms.errors import Conflict, Invalid
from lms.extensions import db
from lms.innovation import services
from lms.innovation.forms import OutcomeForm, RecommendForm
from lms.innovation.models import Innovation
from lms.innovation.services import recommend as recs
from lms.innovation.views import bp
from lms.innovation.views.common import attempt, flash_errors, form_errors
from lms.timeutil import to_local


@bp.route("/recommendations")
@login_required
def recommendations():
    q = (request.args.get("q") or "").strip() or None
    return render_template(
        "innovation/recommendations.html",
        page=paginate(recs.recommendations_query(current_user, q)),
        q=q,
        officer=scope.is_officer(current_user) or scope.is_admin(current_user),
        outcome_form=OutcomeForm(),
    )


@bp.route("/recommendations/new", methods=["GET", "POST"])
@login_required
def recommend():
    scope.require_officer(current_user)
    form = RecommendForm()
    studios = list(db.session.scalars(services.studios_query(current_user, status="named")))
    form.studio_id.choices = [(0, _("（不属于工作室）"))] + [(s.id, s.name) for s in studios]
    if request.method == "GET":
        form.year.data = to_local(services.now()).year
        raw = request.args.get("item_id", "")
        form.item_id.data = int(raw) if raw.isdigit() and len(raw) < 10 else None
    if form.validate_on_submit():
        try:
            item = author = studio = None
            if form.kind.data == "item" and form.item_id.data:
                item = db.session.get(Innovation, form.item_id.data)
                if item is None or not services.can_review(current_user, item):
                    raise Invalid(errors={"item_id": [_("找不到这个项目编号。")]})
            if form.kind.data == "method" and form.author_no.data:
                ids = services.people_from_numbers(form.author_no.data, "author_no")
                author = services.get_person(current_user, ids[0], "author_no")
            if form.studio_id.data:
                studio = services.get_studio(current_user, form.studio_id.data)
            recs.recommend(
                current_user,
                kind=form.kind.data,
                item=item,
                title=form.title.data,
                summary=form.summary.data,
                author=author,
                studio=studio,
                award=form.award.data,
                awarding_body=form.awarding_body.data,
                year=form.year.data,
                reason=form.reason.data,
            )
        except (Invalid, Conflict) as exc:
            db.session.rollback()
            exc.errors = {
                {"author_id": "author_no"}.get(k, k): v for k, v in (exc.errors or {}).items()
            }
            form_errors(form, exc)
        else:
            flash(_("已登记推荐，评选结果出来后请在这里登记。"), "success")
            return redirect(url_for("innovation.recommendations"))
    return render_template("innovation/recommend_form.html", form=form)


@bp.route("/recommendations/<int:recommendation_id>/outcome", methods=["POST"])
@login_required
def recommendation_outcome(recommendation_id: int):
    rec = recs.get_recommendation(current_user, recommendation_id)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash_errors(form)
    else:
        attempt(
            lambda: recs.record_outcome(
                current_user,
                rec,
                form.won.data == "1",
                form.outcome_level.data,
                form.prize_money.data,
            ),
            _("评选结果已登记。"),
        )
    return redirect(url_for("innovation.recommendations"))
