"""A contestant's own page (我的比赛) and the public results after release (names masked)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from lms.competitions import queries, reports
from lms.competitions.views import bp
from lms.competitions.views.common import q_arg
from lms.core.pages import paginate


@bp.route("/mine")
@login_required
def mine():
    entries = [reports.my_entry(c) for c in queries.my_entries(current_user)]
    return render_template("competitions/mine.html", entries=entries)


@bp.route("/results")
def public_list():
    q = q_arg()
    page = paginate(queries.released_contests_query(q))
    return render_template("competitions/results_list.html", page=page, q=q)


@bp.route("/results/<int:contest_id>")
def public_results(contest_id: int):
    contest = queries.released_contest(contest_id)
    return render_template(
        "competitions/results.html", contest=contest, tables=reports.public_results(contest)
    )
