"""A worker's pages: my items, the submission form (with similar earlier items and "me
too"), an item's page with its attachments."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.core import storage
from lms.core.pages import paginate
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.innovation import services
from lms.innovation.forms import (
    BenefitForm,
    DecideForm,
    EmptyForm,
    EvaluationOpenForm,
    MergeForm,
    StudioLinkForm,
    SubmitForm,
)
from lms.innovation.labels import STAGE_LABELS
from lms.innovation.models import InnovationAttachment, Stage
from lms.innovation.views import bp
from lms.innovation.views.common import flash_domain, form_errors


@bp.route("/")
@login_required
def mine():
    q = (request.args.get("q") or "").strip() or None
    stage = request.args.get("stage") if request.args.get("stage") in Stage.__members__ else None
    filters = services.ItemFilter(q=q, stage=stage, mine=True)
    page = paginate(services.items_query(current_user, filters))
    return render_template(
        "innovation/mine.html",
        page=page,
        q=q,
        stage=stage,
        stages=STAGE_LABELS,
        recs=services.recommend.of_person(current_user.id),
        prizes=services.contest.prizes_of(current_user.id),
    )


def _uploads(form) -> list[services.Upload]:
    uploads = []
    for file in form.files.data or []:
        if not getattr(file, "filename", ""):
            continue
        uploads.append(services.Upload(file.filename, file.mimetype or "", file.read()))
    return uploads


@bp.route("/new", methods=["GET", "POST"])
@login_required
def submit():
    form = SubmitForm()
    similar = []
    if form.validate_on_submit():
        similar = services.similar(current_user, form.title.data, form.problem.data)
        if request.form.get("action") == "check":
            if not similar:
                flash(_("没有发现相似的在先项目，可以提交。"), "success")
        else:
            try:
                team = services.team_from_text(current_user, form.team.data)
                item = services.submit(
                    current_user,
                    kind=form.kind.data,
                    title=form.title.data,
                    problem=form.problem.data,
                    method=form.method.data,
                    expected_benefit=form.expected_benefit.data,
                    major=form.major.data,
                    team=team,
                    attachments=_uploads(form),
                )
            except Invalid as exc:
                db.session.rollback()
                form_errors(form, exc)
            else:
                db.session.commit()
                if item.stage == Stage.opinion:
                    flash(services.opinion_reason(), "warning")
                else:
                    flash(
                        _(
                            "已提交，本单位将在 %(days)d 天内答复。",
                            days=services.review_days(item.major),
                        ),
                        "success",
                    )
                return redirect(url_for("innovation.detail", item_id=item.id))
    return render_template(
        "innovation/form.html", form=form, similar=similar, support_form=EmptyForm()
    )


@bp.route("/<int:item_id>")
@login_required
def detail(item_id: int):
    item = services.get_item(current_user, item_id)
    reviewer = services.can_review(current_user, item)
    context = {
        "item": item,
        "reviewer": reviewer,
        "overdue": services.is_overdue(item),
        "evaluation": services.evaluation_of(item),
        "scorecard_titles": {c.code: c.title for c in services.scorecard()},
    }
    if reviewer:
        decide = DecideForm()
        decide.outcome.choices = [
            (s.value, STAGE_LABELS[s]) for s in (Stage.adopted, Stage.trial, Stage.not_adopted)
        ]
        benefit = BenefitForm(obj=item)
        benefit.formula.data = item.benefit_formula
        link = StudioLinkForm()
        studios = list(db.session.scalars(services.studios_query(current_user, status="named")))
        link.studio_id.choices = [(0, _("（不属于工作室）"))] + [(s.id, s.name) for s in studios]
        link.studio_id.data = item.studio_id or 0
        context.update(
            decide_form=decide,
            merge_form=MergeForm(),
            evaluation_form=EvaluationOpenForm(),
            benefit_form=benefit,
            link_form=link,
            button=EmptyForm(),
            similar=services.similar(current_user, item.title, item.problem, exclude_id=item.id)
            if item.stage == Stage.review
            else [],
            finance=services.holds_finance_duty(current_user, item.organization),
        )
    return render_template("innovation/detail.html", **context)


@bp.route("/<int:item_id>/support", methods=["POST"])
@login_required
def support(item_id: int):
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("页面已过期，请重试。"), "error")
        return redirect(url_for("innovation.submit"))
    from lms.innovation.models import Innovation

    item = db.session.get(Innovation, item_id)
    if item is None:
        raise NotFound()
    try:
        services.support(current_user, item)
    except Conflict as exc:  # merged meanwhile
        flash_domain(exc)
    else:
        db.session.commit()
        flash(_("已表示支持“%(title)s”。", title=item.title), "success")
    if services.can_view(current_user, item):
        return redirect(url_for("innovation.detail", item_id=item.id))
    return redirect(url_for("innovation.mine"))


@bp.route("/<int:item_id>/attachments/<int:attachment_id>")
@login_required
def attachment(item_id: int, attachment_id: int):
    item = services.get_item(current_user, item_id)
    att = db.session.get(InnovationAttachment, attachment_id)
    if att is None or att.innovation_id != item.id:
        raise NotFound()
    return send_file(
        storage.path(att.storage_key),
        mimetype=att.content_type,
        download_name=att.filename,
        as_attachment=att.content_type == "application/pdf",
    )
