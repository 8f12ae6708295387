"""Five-smalls contest pages: the list of calls, publishing one, a contest's page (the call,
entering an item, the judges' defence marks, locking and the prizes)."""

from __future__ import annotations

from datetime import timedelta

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
from lms.innovation.forms import ContestForm, EmptyForm, EntryForm
from lms.innovation.models import Innovation
from lms.innovation.models_awards import ContestStatus
from lms.innovation.services import contest as contests
from lms.innovation.views import bp
from lms.innovation.views.common import attempt, flash_domain, flash_errors, form_errors
from lms.timeutil import local_datetime, to_local


@bp.route("/contests")
@login_required
def contest_list():
    q = (request.args.get("q") or "").strip() or None
    return render_template(
        "innovation/contests.html",
        page=paginate(contests.contests_query(current_user, q)),
        q=q,
        officer=scope.is_officer(current_user) or scope.is_admin(current_user),
    )


@bp.route("/contests/new", methods=["GET", "POST"])
@login_required
def contest_new():
    scope.require_officer(current_user)
    form = ContestForm()
    orgs = db.session.scalars(organizations_in_scope(current_user)).all()
    form.organization_id.choices = [(o.id, o.name) for o in orgs]
    if request.method == "GET":
        form.year.data = to_local(services.now()).year
    if form.validate_on_submit():
        try:
            judge_ids = services.people_from_numbers(form.judges.data, "judges")
            chief = services.people_from_numbers(form.chief_no.data, "chief_no")
            org = services.get_organization(current_user, form.organization_id.data)
            contest = contests.create_contest(
                current_user,
                organization=org,
                name=form.name.data,
                year=form.year.data,
                call_text=form.call_text.data,
                # open until the end of the deadline's day, Beijing time
                entry_deadline=local_datetime(form.entry_deadline.data + timedelta(days=1)),
                defence_at=local_datetime(form.defence_at.data, 9)
                if form.defence_at.data
                else None,
                defence_place=form.defence_place.data,
                judge_ids=judge_ids,
                chief_id=chief[0] if chief else 0,
                counts=(form.first_count.data, form.second_count.data, form.third_count.data),
                money=(form.first_money.data, form.second_money.data, form.third_money.data),
            )
        except Invalid as exc:
            db.session.rollback()
            exc.errors = {
                {"judge_ids": "judges", "counts": "first_count"}.get(k, k): v
                for k, v in exc.errors.items()
            }
            form_errors(form, exc)
        else:
            flash(_("竞赛已发布，职工可以报名了。"), "success")
            return redirect(url_for("innovation.contest", contest_id=contest.id))
    return render_template("innovation/contest_form.html", form=form)


@bp.route("/contests/<int:contest_id>")
@login_required
def contest(contest_id: int):
    contest = contests.get_contest(current_user, contest_id)
    entry_form = EntryForm()
    eligible = contests.eligible_items(current_user, contest)
    entry_form.item_id.choices = [(i.id, i.title) for i in eligible]
    judge = contests.is_judge(current_user, contest)
    return render_template(
        "innovation/contest.html",
        contest=contest,
        entries=contests.entries_with_items(contest),
        judges=contests.judges(contest),
        judge_names={u.id: u.name for u in _judge_people(contest)},
        me_judge=judge,
        me_chief=any(s.user_id == current_user.id and s.is_chief for s in contests.judges(contest)),
        marked=contests.my_marked_codes(current_user, contest) if judge else set(),
        criteria=list(contests.panel_of(contest).criteria),
        manager=contests.can_manage(current_user, contest),
        entry_form=entry_form if eligible else None,
        open=contest.status == ContestStatus.call and services.now() < contest.entry_deadline,
        button=EmptyForm(),
    )


def _judge_people(contest):
    ids = [s.user_id for s in contests.judges(contest)]
    return db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()


def _back(contest_id: int):
    return redirect(url_for("innovation.contest", contest_id=contest_id))


@bp.route("/contests/<int:contest_id>/entries", methods=["POST"])
@login_required
def contest_enter(contest_id: int):
    contest = contests.get_contest(current_user, contest_id)
    raw = request.form.get("item_id", "")
    if not EmptyForm().validate_on_submit() or not raw.isdigit() or len(raw) > 9:
        flash(_("请选择参赛项目。"), "error")
        return _back(contest_id)
    item = db.session.get(Innovation, int(raw))
    if item is None or not services.can_view(current_user, item):
        raise NotFound()
    try:
        entry = contests.enter(current_user, contest, item)
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash_domain(exc)
    else:
        flash(_("已报名，答辩序号 %(code)s。", code=entry.code), "success")
    return _back(contest_id)


@bp.route("/contests/<int:contest_id>/defence", methods=["POST"])
@login_required
def contest_defence(contest_id: int):
    contest = contests.get_contest(current_user, contest_id)
    if EmptyForm().validate_on_submit():
        attempt(
            lambda: contests.start_defence(current_user, contest),
            _("报名已截止，评委可以为现场答辩评分了。"),
        )
    return _back(contest_id)


@bp.route("/contests/<int:contest_id>/entries/<int:entry_id>/marks", methods=["POST"])
@login_required
def contest_marks(contest_id: int, entry_id: int):
    contest = contests.get_contest(current_user, contest_id)
    entry = contests.get_entry(contest, entry_id)
    if not EmptyForm().validate_on_submit():
        flash_errors(EmptyForm())
        return _back(contest_id)
    marks = {k[5:]: v for k, v in request.form.items() if k.startswith("mark_")}
    attempt(
        lambda: contests.score_entry(current_user, contest, entry, marks),
        _("序号 %(code)s 的评分已提交。", code=entry.code),
    )
    return _back(contest_id)


@bp.route("/contests/<int:contest_id>/close", methods=["POST"])
@login_required
def contest_close(contest_id: int):
    contest = contests.get_contest(current_user, contest_id)
    if EmptyForm().validate_on_submit():
        attempt(
            lambda: contests.close_contest(current_user, contest),
            _("成绩已锁定，名次和奖项已算出。"),
        )
    return _back(contest_id)
