"""Organizers' pages (officers of the organizing organization): contests with search and
paging, a new contest, a contest's trades, quotas, officials, theory scores, release and the
rankings' export; and the enterprise officers' registration page within their quota."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization
from lms.competitions import queries, reports, services
from lms.competitions.forms import (
    AssignForm,
    ContestForm,
    QuotaForm,
    RegisterForm,
    TheoryScoreForm,
    TradeForm,
)
from lms.competitions.models import Contestant
from lms.competitions.views import bp
from lms.competitions.views.common import REFUSALS, attempt, aware, flash_form, form_errors, q_arg
from lms.core.pages import paginate
from lms.core.tabular import xlsx_bytes
from lms.errors import NotFound
from lms.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/")
@login_required
def index():
    q = q_arg()
    page = paginate(queries.contests_query(current_user, q))
    return render_template("competitions/index.html", page=page, q=q)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_contest():
    scope.require_officer(current_user)
    form = ContestForm()
    refused = False
    if form.validate_on_submit():
        try:
            contest = services.create_contest(
                current_user,
                current_user.organization,
                name=form.name.data,
                level=form.level.data,
                venue=form.venue.data or "",
                registration_opens_at=aware(form.registration_opens_at.data),
                registration_closes_at=aware(form.registration_closes_at.data),
                theory_weight=form.theory_weight.data,
                chief_technician_places=form.chief_technician_places.data,
                technical_expert_places=form.technical_expert_places.data,
            )
            db.session.commit()
            flash(_("已创建竞赛。下一步：添加项目（工种），分配各单位名额，指派裁判。"), "success")
            return redirect(url_for("competitions.contest", contest_id=contest.id))
        except REFUSALS as exc:
            db.session.rollback()
            form_errors(form, exc)
            refused = True
    status = 422 if form.errors or refused else 200
    return render_template("competitions/contest_form.html", form=form), status


def _organizer_forms(contest):
    trade_choices = [(t.id, t.name) for t in contest.trades]
    quota_form = QuotaForm(prefix="quota")
    quota_form.organization_id.choices = [
        (o.id, o.name)
        for o in db.session.scalars(
            sa.select(Organization)
            .where(
                Organization.path.startswith(contest.organization.path),
                Organization.id != contest.organization_id,
            )
            .order_by(Organization.path)
        )
    ]
    assign_form = AssignForm(prefix="assign")
    assign_form.trade_id.choices = trade_choices
    return {
        "trade_form": TradeForm(prefix="trade"),
        "quota_form": quota_form,
        "assign_form": assign_form,
    }


@bp.route("/<int:contest_id>")
@login_required
def contest(contest_id: int):
    contest = queries.get_contest(current_user, contest_id)
    organizer = services.is_organizer(current_user, contest)
    q = q_arg()
    context = {
        "contest": contest,
        "organizer": organizer,
        "quotas": queries.quotas(contest)
        if organizer
        else queries.quotas_in_scope(current_user, contest),
        "page": paginate(queries.contestants_query(current_user, contest, q), per_page=50),
        "q": q,
        "locked": {t.id: services.panel_of(t).locked for t in contest.trades},
    }
    if organizer:
        context |= _organizer_forms(contest)
        context["officials"] = queries.assignments(contest)
        context["theory_form"] = TheoryScoreForm()
    return render_template("competitions/contest.html", **context)


@bp.route("/<int:contest_id>/trades", methods=["POST"])
@login_required
def add_trade(contest_id: int):
    contest = queries.organizer_contest(current_user, contest_id)
    form = TradeForm(prefix="trade")
    if not form.validate_on_submit():
        flash_form(form)
    elif attempt(
        form,
        services.add_trade,
        current_user,
        contest,
        form.name.data.strip(),
        person_trade=(form.person_trade.data or "").strip() or None,
        min_age=form.min_age.data,
        max_age=form.max_age.data,
        drop_extremes=form.drop_extremes.data,
    ):
        flash(_("已添加项目。下一步：为该项目指派裁判、裁判长和监督。"), "success")
    return redirect(url_for("competitions.contest", contest_id=contest.id))


@bp.route("/<int:contest_id>/quotas", methods=["POST"])
@login_required
def set_quota(contest_id: int):
    contest = queries.organizer_contest(current_user, contest_id)
    forms = _organizer_forms(contest)
    form = forms["quota_form"]
    if not form.validate_on_submit():
        flash_form(form)
    else:
        organization = db.session.get(Organization, form.organization_id.data)
        if attempt(form, services.set_quota, current_user, contest, organization, form.places.data):
            flash(_("已设置 %(org)s 的名额。", org=organization.name), "success")
    return redirect(url_for("competitions.contest", contest_id=contest.id))


@bp.route("/<int:contest_id>/officials", methods=["POST"])
@login_required
def assign(contest_id: int):
    contest = queries.organizer_contest(current_user, contest_id)
    form = _organizer_forms(contest)["assign_form"]
    if not form.validate_on_submit():
        flash_form(form)
        return redirect(url_for("competitions.contest", contest_id=contest.id))
    try:
        trade = queries.trade_of(contest, form.trade_id.data)
        person = queries.person_by_employee_no(form.employee_no.data)
    except REFUSALS as exc:
        form_errors(None, exc)
        return redirect(url_for("competitions.contest", contest_id=contest.id))
    if queries_assigned(trade, person):
        flash(_("此人已在该项目任职。"), "error")
    elif attempt(
        form,
        services.assign,
        current_user,
        trade,
        person,
        form.official.data,
        conflicts=form.conflicts.data or "",
    ):
        flash(_("已指派 %(name)s。", name=person.name), "success")
    return redirect(url_for("competitions.contest", contest_id=contest.id))


def queries_assigned(trade, person) -> bool:
    return services.official_of(trade, person, "judge", "chief_judge", "supervisor") is not None


@bp.route("/contestants/<int:contestant_id>/theory", methods=["POST"])
@login_required
def enter_theory(contestant_id: int):
    contestant = db.session.get(Contestant, contestant_id)
    if contestant is None:
        raise NotFound()
    contest = queries.organizer_contest(current_user, contestant.contest_id)
    form = TheoryScoreForm()
    if not form.validate_on_submit():
        flash_form(form)
    elif attempt(form, services.enter_theory, current_user, contestant, form.score.data):
        flash(_("已录入 %(n)d 号选手的理论成绩。", n=contestant.number), "success")
    return redirect(url_for("competitions.contest", contest_id=contest.id))


@bp.route("/<int:contest_id>/release", methods=["POST"])
@login_required
def release(contest_id: int):
    contest = queries.organizer_contest(current_user, contest_id)
    if attempt(None, services.release, current_user, contest):
        flash(_("成绩已发布：选手可在“我的比赛”查看，公众可查看公开成绩。"), "success")
    return redirect(url_for("competitions.contest", contest_id=contest.id))


@bp.route("/<int:contest_id>/rankings.xlsx")
@login_required
def export_rankings(contest_id: int):
    contest = queries.organizer_contest(current_user, contest_id)
    headers, rows = reports.ranking_rows(current_user, contest)
    db.session.commit()  # the export's audit entry
    data = xlsx_bytes(_("竞赛成绩"), headers, rows)
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f"attachment; filename=contest-{contest.id}-rankings.xlsx"},
    )


# --- enterprise officers -------------------------------------------------------------------


@bp.route("/<int:contest_id>/register", methods=["GET", "POST"])
@login_required
def register(contest_id: int):
    contest = queries.get_contest(current_user, contest_id)
    quotas = queries.quotas_in_scope(current_user, contest)
    if not quotas:
        raise NotFound()
    form = RegisterForm()
    form.trade_id.choices = [(t.id, t.name) for t in contest.trades]
    if form.validate_on_submit():
        try:
            trade = queries.trade_of(contest, form.trade_id.data)
            person = queries.person_by_employee_no(form.employee_no.data)
            contestant = services.register(current_user, trade, person)
            db.session.commit()
            flash(
                _("已为 %(name)s 报名，参赛号 %(n)d。", name=person.name, n=contestant.number),
                "success",
            )
            return redirect(url_for("competitions.register", contest_id=contest.id))
        except REFUSALS as exc:
            db.session.rollback()
            if exc.errors:
                form_errors(form, exc)
            else:
                form.employee_no.errors = [*form.employee_no.errors, exc.message]
    q = q_arg()
    status = 422 if form.errors else 200
    return render_template(
        "competitions/register.html",
        contest=contest,
        quotas=quotas,
        form=form,
        page=paginate(queries.contestants_query(current_user, contest, q), per_page=50),
        q=q,
    ), status
