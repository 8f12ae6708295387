"""JSON API of the contest rules under /api/v1/competitions/…: a contestant's appeal, the
arbitration group's queue and decision, the titles on notice and their conferral. The same
services and permissions as everywhere; refusals are the services' Chinese 4xx."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user

from lms.competitions import appeals, rules_schemas, services, titles
from lms.competitions.models import Contest, Contestant, Trade
from lms.core.apiutil import api_blueprint
from lms.errors import NotFound
from lms.extensions import db

blp = api_blueprint(
    "competition-rules-api",
    __name__,
    "Contest rules (竞赛规则): appeals within the window after release, decided once by the "
    "arbitration group; the titles on public notice and their conferral.",
)


def _get(model, ident):
    row = db.session.get(model, ident)
    if row is None:
        raise NotFound()
    return row


@blp.route("/competitions/contestants/<int:contestant_id>/appeal")
class MyAppeal(MethodView):
    @blp.response(200, rules_schemas.AppealSchema)
    def get(self, contestant_id: int):
        """The contestant's own appeal (404 if none)."""
        contestant = _get(Contestant, contestant_id)
        appeal = appeals.appeal_of(contestant) if contestant.user_id == current_user.id else None
        if appeal is None:
            raise NotFound()
        return appeal

    @blp.arguments(rules_schemas.AppealInSchema)
    @blp.response(201, rules_schemas.AppealSchema)
    def post(self, data, contestant_id: int):
        """Appeal one's results, once, within the window after release (2 hours by default)."""
        appeal = appeals.file(current_user, _get(Contestant, contestant_id), data["reason"])
        db.session.commit()
        return appeal


@blp.route("/competitions/trades/<int:trade_id>/appeals")
class TradeAppeals(MethodView):
    @blp.response(200, rules_schemas.AppealSchema(many=True))
    def get(self, trade_id: int):
        """The trade's appeals, pending first (the arbitration group)."""
        return appeals.queue(current_user, _get(Trade, trade_id))


@blp.route("/competitions/appeals/<int:appeal_id>/decision")
class AppealDecision(MethodView):
    @blp.arguments(rules_schemas.DecisionInSchema)
    @blp.response(200, rules_schemas.AppealSchema)
    def post(self, data, appeal_id: int):
        """Decide once: dismissed, or upheld with a re-mark (each changed mark a new audited
        version)."""
        appeal = appeals.decide(
            current_user,
            appeal_id,
            data["outcome"],
            decision=data["decision"],
            remarks=data["remarks"],
        )
        db.session.commit()
        return appeal


@blp.route("/competitions/contests/<int:contest_id>/titles")
class Titles(MethodView):
    @blp.response(200, rules_schemas.TitlesSchema)
    def get(self, contest_id: int):
        """The titles the ranking gives (the public notice), for the organizer."""
        contest = _get(Contest, contest_id)
        services.require_organizer(current_user, contest)
        return {
            "notice_days": contest.notice_days,
            "notice_ends_at": titles.notice_ends_at(contest),
            "conferred_at": contest.titles_conferred_at,
            "titles": titles.proposed(contest) if contest.released_at else [],
        }


@blp.route("/competitions/contests/<int:contest_id>/titles/confer")
class Confer(MethodView):
    @blp.response(200, rules_schemas.ConferredSchema)
    def post(self, contest_id: int):
        """Confer the titles once the notice has ended (again: nothing more is conferred)."""
        conferred = titles.confer(contest_id, actor=current_user)
        db.session.commit()
        return {"conferred": conferred}
