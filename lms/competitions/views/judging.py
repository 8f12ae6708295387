"""Judges' pages, made for a phone: one's duties, the marking codes of a trade and a marking
sheet per code (never a name, employee number or organization of a contestant); the chief
judge's flags and lock; the identity reveal by chief judge and supervisor together."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.competitions import officials, queries, services
from lms.competitions.forms import RevealForm
from lms.competitions.models import Contest, Official
from lms.competitions.views import bp
from lms.competitions.views.common import REFUSALS, attempt, form_errors
from lms.extensions import db

JUDGES = (Official.judge, Official.chief_judge)


@bp.route("/judging")
@login_required
def duties():
    return render_template("competitions/duties.html", rows=queries.duties(current_user))


@bp.route("/judging/trades/<int:trade_id>")
@login_required
def codes(trade_id: int):
    trade = queries.official_trade(current_user, trade_id, *JUDGES)
    rows = officials.my_codes(current_user, trade)
    return render_template(
        "competitions/codes.html",
        trade=trade,
        rows=rows,
        locked=services.panel_of(trade).locked,
        chief=services.official_of(trade, current_user, Official.chief_judge) is not None,
    )


@bp.route("/judging/trades/<int:trade_id>/codes/<marking_code>", methods=["GET", "POST"])
@login_required
def mark(trade_id: int, marking_code: str):
    trade = queries.official_trade(current_user, trade_id, *JUDGES)
    marking_code = marking_code.strip().upper()[:12]
    sheet = officials.sheet(current_user, trade, marking_code)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        marks = {
            c.code: request.form.get(f"m-{c.code}", "").strip()
            for c in sheet.criteria
            if request.form.get(f"m-{c.code}", "").strip() != ""
        }
        try:
            services.mark(current_user, trade, marking_code, marks)
            db.session.commit()
            flash(_("已提交编号 %(code)s 的评分。", code=marking_code), "success")
            return redirect(url_for("competitions.codes", trade_id=trade.id))
        except REFUSALS as exc:
            db.session.rollback()
            errors = {k: [str(m) for m in v] for k, v in exc.errors.items()}
            if "marks" in errors:
                errors = {code: [_("请为此项打分。")] for code in errors["marks"]}
            flash(exc.message, "error")
            status = 422
    return render_template(
        "competitions/mark.html",
        trade=trade,
        sheet=sheet,
        errors=errors,
        posted=request.form,
    ), status


@bp.route("/judging/trades/<int:trade_id>/chief")
@login_required
def chief(trade_id: int):
    trade = queries.official_trade(current_user, trade_id, Official.chief_judge)
    return render_template(
        "competitions/chief.html", trade=trade, view=officials.chief_view(current_user, trade)
    )


@bp.route("/judging/trades/<int:trade_id>/resolve", methods=["POST"])
@login_required
def resolve(trade_id: int):
    trade = queries.official_trade(current_user, trade_id, Official.chief_judge)
    code = (request.form.get("code") or "").strip()[:12]
    if attempt(
        None,
        officials.resolve,
        current_user,
        trade,
        code,
        (request.form.get("criterion") or "").strip()[:40],
        (request.form.get("level") or "").strip()[:8],
        (request.form.get("note") or "").strip()[:255],
    ):
        flash(_("已裁定编号 %(code)s 的评分分歧。", code=code), "success")
    return redirect(url_for("competitions.chief", trade_id=trade.id))


@bp.route("/judging/trades/<int:trade_id>/lock", methods=["POST"])
@login_required
def lock(trade_id: int):
    trade = queries.official_trade(current_user, trade_id, Official.chief_judge)
    if attempt(None, officials.lock, current_user, trade):
        flash(_("已锁定本项目评分。"), "success")
    return redirect(url_for("competitions.chief", trade_id=trade.id))


@bp.route("/judging/contests/<int:contest_id>/reveal", methods=["GET", "POST"])
@login_required
def reveal(contest_id: int):
    contest: Contest = queries.official_contest(
        current_user, contest_id, Official.chief_judge, Official.supervisor
    )
    form = RevealForm()
    if contest.revealed_at is None and form.validate_on_submit():
        try:
            officials.reveal_together(
                current_user, contest, form.supervisor_no.data, form.supervisor_password.data
            )
            db.session.commit()
            flash(_("身份已解密，已记录裁判长和监督员。主办单位可以发布成绩了。"), "success")
            return redirect(url_for("competitions.reveal", contest_id=contest.id))
        except REFUSALS as exc:
            db.session.rollback()
            if exc.errors:
                form_errors(form, exc)
            else:
                form.supervisor_no.errors = [*form.supervisor_no.errors, exc.message]
    locked = {t.id: services.panel_of(t).locked for t in contest.trades}
    status = 422 if form.errors else 200
    return render_template(
        "competitions/reveal.html", contest=contest, form=form, locked=locked
    ), status
