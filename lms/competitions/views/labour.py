"""Labour competitions (劳动竞赛) inside enterprises: the list with search and paging, a new
competition, its indicators and entrants, results entered period by period, and the ranking
with person-times."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts import scope
from lms.accounts.models import Organization
from lms.competitions import labour as services
from lms.competitions import queries
from lms.competitions.forms import EntrantForm, IndicatorForm, LabourForm, ResultForm
from lms.competitions.models import LabourEntrant, LabourIndicator
from lms.competitions.views import bp
from lms.competitions.views.common import REFUSALS, attempt, flash_form, form_errors, q_arg
from lms.core.pages import paginate
from lms.extensions import db


def _organizations():
    return db.session.scalars(
        scope.scoped_org_ids(current_user)
        .with_only_columns(Organization)
        .order_by(Organization.path)
        .limit(500)
    ).all()


@bp.route("/labour")
@login_required
def labour_list():
    q = q_arg()
    page = paginate(queries.labour_query(current_user, q))
    return render_template("competitions/labour_list.html", page=page, q=q)


@bp.route("/labour/new", methods=["GET", "POST"])
@login_required
def new_labour():
    scope.require_officer(current_user)
    form = LabourForm()
    organizations = _organizations()
    form.organization_id.choices = [(o.id, o.name) for o in organizations]
    if form.validate_on_submit():
        organization = next(o for o in organizations if o.id == form.organization_id.data)
        competition = attempt(form, services.create, current_user, organization, form.name.data)
        if competition:
            flash(_("已创建劳动竞赛。下一步：添加指标和参赛班组或个人。"), "success")
            return redirect(url_for("competitions.labour_page", competition_id=competition.id))
    status = 422 if form.errors else 200
    return render_template("competitions/labour_form.html", form=form), status


def _result_form(indicators, entrants, names, data=None):
    form = ResultForm(data=data)
    form.entrant_id.choices = [(e.id, names[e.id]) for e in entrants]
    form.indicator_id.choices = [(i.id, i.name) for i in indicators]
    return form


@bp.route("/labour/<int:competition_id>")
@login_required
def labour_page(competition_id: int):
    competition = queries.get_labour(current_user, competition_id)
    indicators, entrants = queries.labour_parts(competition)
    names = queries.entrant_names(entrants)
    return render_template(
        "competitions/labour.html",
        competition=competition,
        indicators=indicators,
        entrants=entrants,
        names=names,
        ranking=services.ranking(competition),
        person_times=services.person_times(competition),
        indicator_form=IndicatorForm(prefix="indicator"),
        entrant_form=EntrantForm(prefix="entrant"),
        result_form=_result_form(indicators, entrants, names),
    )


@bp.route("/labour/<int:competition_id>/indicators", methods=["POST"])
@login_required
def add_indicator(competition_id: int):
    competition = queries.get_labour(current_user, competition_id)
    form = IndicatorForm(prefix="indicator")
    if not form.validate_on_submit():
        flash_form(form)
    elif attempt(
        form,
        services.add_indicator,
        current_user,
        competition,
        form.name.data.strip(),
        form.weight.data,
        higher_is_better=form.higher_is_better.data,
    ):
        flash(_("已添加指标。"), "success")
    return redirect(url_for("competitions.labour_page", competition_id=competition.id))


@bp.route("/labour/<int:competition_id>/entrants", methods=["POST"])
@login_required
def add_entrant(competition_id: int):
    competition = queries.get_labour(current_user, competition_id)
    form = EntrantForm(prefix="entrant")
    if not form.validate_on_submit():
        flash_form(form)
        return redirect(url_for("competitions.labour_page", competition_id=competition.id))
    team = (form.team.data or "").strip() or None
    number = (form.employee_no.data or "").strip()
    try:
        person = queries.person_by_employee_no(number) if number else None
    except REFUSALS as exc:
        form_errors(None, exc)
        return redirect(url_for("competitions.labour_page", competition_id=competition.id))
    if attempt(
        form,
        services.add_entrant,
        current_user,
        competition,
        team=team,
        members=form.members.data or 1,
        person=person,
    ):
        flash(_("已添加参赛方。"), "success")
    return redirect(url_for("competitions.labour_page", competition_id=competition.id))


@bp.route("/labour/<int:competition_id>/results", methods=["POST"])
@login_required
def enter_result(competition_id: int):
    competition = queries.get_labour(current_user, competition_id)
    indicators, entrants = queries.labour_parts(competition)
    form = _result_form(indicators, entrants, queries.entrant_names(entrants))
    if not form.validate_on_submit():
        flash_form(form)
        return redirect(url_for("competitions.labour_page", competition_id=competition.id))
    try:
        entrant = queries.labour_part(
            competition, LabourEntrant, form.entrant_id.data, "entrant_id"
        )
        indicator = queries.labour_part(
            competition, LabourIndicator, form.indicator_id.data, "indicator_id"
        )
    except REFUSALS as exc:
        form_errors(None, exc)
        return redirect(url_for("competitions.labour_page", competition_id=competition.id))
    if attempt(
        form,
        services.enter_result,
        current_user,
        entrant,
        indicator,
        form.period.data.strip(),
        form.value.data,
    ):
        flash(_("已录入成绩。"), "success")
    return redirect(url_for("competitions.labour_page", competition_id=competition.id))
