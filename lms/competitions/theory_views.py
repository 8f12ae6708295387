"""The organizer's page for a trade's online theory exam: choose a bank of the organizing
organization and a blueprint; list contestants registered later. Contestants sit it under
在线考试 (the assessment engine's pages); its results page is the engine's exam page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectField

from lms.assessment.forms import ExamForm, blueprint_lines
from lms.assessment.models import QuestionBank
from lms.assessment.views.common import REFUSALS, aware, form_errors
from lms.competitions import theory
from lms.competitions.models import Contest
from lms.extensions import db

bp = Blueprint(
    "competitions_theory", __name__, template_folder="templates", url_prefix="/competitions/theory"
)


class TheoryForm(ExamForm):
    bank_id = SelectField(_l("题库（主办单位的）"), coerce=int)


@bp.route("/trades/<int:trade_id>", methods=["GET", "POST"])
@login_required
def setup(trade_id: int):
    trade = theory.trade_for_organizer(current_user, trade_id)
    contest = db.session.get(Contest, trade.contest_id)
    exam = theory.exam_of(trade)
    form = TheoryForm()
    form.bank_id.choices = [
        (b.id, b.name)
        for b in db.session.scalars(
            sa.select(QuestionBank)
            .where(QuestionBank.organization_id == contest.organization_id)
            .order_by(QuestionBank.name)
        )
    ]
    del form.title, form.pass_mark
    if exam is None and form.validate_on_submit():
        bank = db.session.get(QuestionBank, form.bank_id.data)
        try:
            theory.set_up(
                current_user,
                trade,
                bank,
                blueprint=blueprint_lines(form.blueprint.data),
                duration_minutes=form.duration_minutes.data,
                opens_at=aware(form.opens_at.data),
                closes_at=aware(form.closes_at.data),
                partial_credit=form.partial_credit.data or 0,
            )
            flash(_("已设置理论考试：本工种的选手可在“在线考试”中参加。"), "success")
            return redirect(url_for("competitions_theory.setup", trade_id=trade.id))
        except REFUSALS as exc:
            form_errors(form, exc)
    status = 422 if form.errors else 200
    return render_template(
        "competitions/theory_setup.html", trade=trade, contest=contest, exam=exam, form=form
    ), status


@bp.route("/trades/<int:trade_id>/contestants", methods=["POST"])
@login_required
def list_contestants(trade_id: int):
    trade = theory.trade_for_organizer(current_user, trade_id)
    added = theory.list_contestants(current_user, trade)
    flash(_("已把 %(n)d 名新报名的选手加入考生名单。", n=added), "success")
    return redirect(url_for("competitions_theory.setup", trade_id=trade.id))
