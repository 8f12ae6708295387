"""JSON API of the competitions under /api/v1/competitions/…: the same services and
permissions as the pages. Judges' endpoints answer with marking codes only; the public
results are masked; ids out of the caller's reach are 404."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.models import Organization, User
from lms.competitions import labour, officials, queries, reports, schemas, services
from lms.competitions.models import Contestant, LabourEntrant, LabourIndicator, Official
from lms.core.apiutil import api_blueprint, page_of, paginated
from lms.errors import Invalid, NotFound
from lms.extensions import db

blp = api_blueprint(
    "competitions-api",
    __name__,
    "Competitions (竞赛): skill contests (organizers, enterprise officers, judges by marking "
    "code only, chief judges, supervisors, contestants) and labour competitions.",
)
public = api_blueprint(
    "competitions-results-api",
    __name__,
    "Published results of skill contests, names masked. No sign-in needed.",
    public=True,
)

JUDGES = (Official.judge, Official.chief_judge)


def _saved(result=None):
    db.session.commit()
    return result


def _org(organization_id: int, field: str = "organization_id") -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise Invalid(errors={field: [_("没有这个单位。")]})
    return organization


def _person(user_id: int | None, field: str = "user_id") -> User:
    person = db.session.get(User, user_id) if user_id else None
    if person is None:
        raise Invalid(errors={field: [_("没有这个人员。")]})
    return person


def _detail(contest) -> dict:
    organizer = services.is_organizer(current_user, contest)
    rows = queries.quotas(contest) if organizer else queries.quotas_in_scope(current_user, contest)
    return {
        **{name: getattr(contest, name) for name in schemas.ContestSchema().fields},
        "trades": contest.trades,
        "quotas": [
            {
                "organization_id": org.id,
                "organization": org.name,
                "places": quota.places,
                "used": quota.used,
            }
            for quota, org in rows
        ],
        "organizer": organizer,
    }


# --- organizers and enterprise officers ------------------------------------------------------


@blp.route("/competitions/contests")
class Contests(MethodView):
    @blp.arguments(schemas.CompetitionSearchArgsSchema, location="query")
    @blp.response(200, page_of(schemas.ContestSchema))
    def get(self, args):
        """Contests the caller organizes or holds a quota of (admins: all)."""
        return paginated(queries.contests_query(current_user, args.get("q")), args)

    @blp.arguments(schemas.ContestSchema)
    @blp.response(201, schemas.ContestSchema)
    def post(self, data):
        """Create a contest organized by the caller's organization."""
        return _saved(services.create_contest(current_user, current_user.organization, **data))


@blp.route("/competitions/contests/<int:contest_id>")
class ContestItem(MethodView):
    @blp.response(200, schemas.ContestDetailSchema)
    def get(self, contest_id: int):
        """A contest with its trades and the quotas the caller may see."""
        return _detail(queries.get_contest(current_user, contest_id))


@blp.route("/competitions/contests/<int:contest_id>/trades")
class Trades(MethodView):
    @blp.arguments(schemas.ContestTradeSchema)
    @blp.response(201, schemas.ContestTradeSchema)
    def post(self, data, contest_id: int):
        """Add a trade (event) with its eligibility (organizers)."""
        contest = queries.organizer_contest(current_user, contest_id)
        name = data.pop("name")
        return _saved(services.add_trade(current_user, contest, name, **data))


@blp.route("/competitions/contests/<int:contest_id>/quotas")
class Quotas(MethodView):
    @blp.arguments(schemas.ContestQuotaSchema)
    @blp.response(200, schemas.ContestQuotaSchema)
    def put(self, data, contest_id: int):
        """Set an organization's places (organizers)."""
        contest = queries.organizer_contest(current_user, contest_id)
        organization = _org(data["organization_id"])
        quota = services.set_quota(current_user, contest, organization, data["places"])
        db.session.commit()
        return {**data, "organization": organization.name, "used": quota.used}


@blp.route("/competitions/contests/<int:contest_id>/officials")
class Officials(MethodView):
    @blp.response(200, schemas.ContestOfficialSchema(many=True))
    def get(self, contest_id: int):
        """Judges, chief judges and supervisors of the contest's trades (organizers)."""
        return queries.assignments(queries.organizer_contest(current_user, contest_id))

    @blp.arguments(schemas.ContestOfficialSchema)
    @blp.response(201, schemas.ContestOfficialSchema)
    def post(self, data, contest_id: int):
        """Assign a judge, chief judge or supervisor to a trade (organizers)."""
        contest = queries.organizer_contest(current_user, contest_id)
        trade = queries.trade_of(contest, data["trade_id"])
        person = _person(data["user_id"])
        if services.official_of(trade, person, *Official) is not None:
            raise Invalid(errors={"user_id": [_("此人已在该项目任职。")]})
        return _saved(
            services.assign(
                current_user, trade, person, data["official"], conflicts=data["conflicts"]
            )
        )


@blp.route("/competitions/contests/<int:contest_id>/contestants")
class Contestants(MethodView):
    @blp.arguments(schemas.CompetitionSearchArgsSchema, location="query")
    @blp.response(200, page_of(schemas.ContestantSchema))
    def get(self, args, contest_id: int):
        """Contestants: all for the organizer, one's own scope's for enterprise officers."""
        contest = queries.get_contest(current_user, contest_id)
        return paginated(queries.contestants_query(current_user, contest, args.get("q")), args)

    @blp.arguments(schemas.ContestantSchema)
    @blp.response(201, schemas.ContestantSchema)
    def post(self, data, contest_id: int):
        """Register a person of the caller's scope within its quota; eligibility is checked
        and a refusal says why."""
        contest = queries.get_contest(current_user, contest_id)
        trade = queries.trade_of(contest, data["trade_id"])
        return _saved(services.register(current_user, trade, _person(data["user_id"])))


@blp.route("/competitions/contestants/<int:contestant_id>/theory")
class TheoryScore(MethodView):
    @blp.arguments(schemas.ContestTheoryScoreSchema)
    @blp.response(200, schemas.ContestantSchema)
    def put(self, data, contestant_id: int):
        """Enter a theory score (organizers; a paper exam's)."""
        contestant = db.session.get(Contestant, contestant_id)
        if contestant is None:
            raise NotFound()
        queries.organizer_contest(current_user, contestant.contest_id)
        services.enter_theory(current_user, contestant, data["score"])
        return _saved(contestant)


@blp.route("/competitions/contests/<int:contest_id>/release")
class Release(MethodView):
    @blp.response(200, schemas.ContestSchema)
    def post(self, contest_id: int):
        """Release the results (organizers, once identities are decrypted)."""
        contest = queries.organizer_contest(current_user, contest_id)
        services.release(current_user, contest)
        return _saved(contest)


@blp.route("/competitions/contests/<int:contest_id>/rankings")
class Rankings(MethodView):
    @blp.response(200, schemas.ContestStandingSchema(many=True))
    def get(self, contest_id: int):
        """Every trade's ranking, names masked (organizers, once identities are decrypted)."""
        contest = queries.organizer_contest(current_user, contest_id)
        return reports.organizer_rankings(current_user, contest)


# --- judges, chief judges, supervisors -------------------------------------------------------


@blp.route("/competitions/judging/duties")
class Duties(MethodView):
    @blp.response(200, schemas.JudgeDutySchema(many=True))
    def get(self):
        """The caller's judging duties."""
        return [
            {
                "official": a.official,
                "trade_id": trade.id,
                "trade": trade.name,
                "contest_id": contest.id,
                "contest": contest.name,
            }
            for a, trade, contest in queries.duties(current_user)
        ]


@blp.route("/competitions/judging/trades/<int:trade_id>/codes")
class Codes(MethodView):
    @blp.response(200, schemas.JudgeCodeSchema(many=True))
    def get(self, trade_id: int):
        """The marking codes allocated to the judge (recusal applied): codes only."""
        trade = queries.official_trade(current_user, trade_id, *JUDGES)
        return officials.my_codes(current_user, trade)


def _sheet(sheet: officials.Sheet) -> dict:
    return {
        "code": sheet.code,
        "locked": sheet.locked,
        "criteria": [
            {
                "code": c.code,
                "title": c.title,
                "kind": c.kind,
                "max_mark": c.max_mark,
                "allowed": sheet.allowed(c),
                "levels": c.levels,
            }
            for c in sheet.criteria
        ],
        "mine": sheet.mine,
        "others": list(sheet.others.values()),
    }


@blp.route("/competitions/judging/trades/<int:trade_id>/codes/<marking_code>")
class Sheet(MethodView):
    @blp.response(200, schemas.JudgeSheetSchema)
    def get(self, trade_id: int, marking_code: str):
        """One code's marking sheet: the aspects, one's own marks once submitted, the
        others' (unnamed) once every judge has submitted."""
        trade = queries.official_trade(current_user, trade_id, *JUDGES)
        return _sheet(officials.sheet(current_user, trade, marking_code[:12]))

    @blp.arguments(schemas.JudgeMarksSchema)
    @blp.response(201, schemas.JudgeSheetSchema)
    def post(self, data, trade_id: int, marking_code: str):
        """Submit every aspect's mark for the code, once."""
        trade = queries.official_trade(current_user, trade_id, *JUDGES)
        code = marking_code[:12]
        services.mark(current_user, trade, code, {k: str(v) for k, v in data["marks"].items()})
        db.session.commit()
        return _sheet(officials.sheet(current_user, trade, code))


def _chief(view: officials.ChiefView) -> dict:
    return {
        "locked": view.panel.locked,
        "scorers": view.scorers,
        "open_flags": view.open_flags,
        "codes": [asdict(c) for c in view.codes],
    }


@blp.route("/competitions/judging/trades/<int:trade_id>/review")
class Review(MethodView):
    @blp.response(200, schemas.ChiefViewSchema)
    def get(self, trade_id: int):
        """The chief judge's overview: submissions per code and open spread flags."""
        trade = queries.official_trade(current_user, trade_id, Official.chief_judge)
        return _chief(officials.chief_view(current_user, trade))


@blp.route("/competitions/judging/trades/<int:trade_id>/resolutions")
class Resolutions(MethodView):
    @blp.arguments(schemas.ChiefResolutionSchema)
    @blp.response(201, schemas.ChiefViewSchema)
    def post(self, data, trade_id: int):
        """Settle a flagged spread with the chief judge's level (audited)."""
        trade = queries.official_trade(current_user, trade_id, Official.chief_judge)
        officials.resolve(
            current_user, trade, data["code"], data["criterion"], data["level"], data["note"]
        )
        db.session.commit()
        return _chief(officials.chief_view(current_user, trade))


@blp.route("/competitions/judging/trades/<int:trade_id>/lock")
class Lock(MethodView):
    @blp.response(200, schemas.ChiefViewSchema)
    def post(self, trade_id: int):
        """Lock the trade's marks (every code marked by every judge, no open flag)."""
        trade = queries.official_trade(current_user, trade_id, Official.chief_judge)
        officials.lock(current_user, trade)
        db.session.commit()
        return _chief(officials.chief_view(current_user, trade))


@blp.route("/competitions/judging/contests/<int:contest_id>/reveal")
class Reveal(MethodView):
    @blp.arguments(schemas.ContestRevealSchema)
    @blp.response(200, schemas.ContestSchema)
    def post(self, data, contest_id: int):
        """Decrypt identities: the caller (chief judge or supervisor) with the other
        official's own credentials; both are recorded."""
        contest = queries.official_contest(
            current_user, contest_id, Official.chief_judge, Official.supervisor
        )
        officials.reveal_together(current_user, contest, data["login"], data["password"])
        return _saved(contest)


# --- contestants and the public --------------------------------------------------------------


@blp.route("/competitions/me/entries")
class MyEntries(MethodView):
    @blp.response(200, schemas.ContestEntrySchema(many=True))
    def get(self):
        """The caller's own entries: scores per aspect, rank and title once released."""
        return [reports.my_entry(c) for c in queries.my_entries(current_user)]


@public.route("/competitions/results")
class PublicContests(MethodView):
    @public.arguments(schemas.CompetitionSearchArgsSchema, location="query")
    @public.response(200, page_of(schemas.PublicContestSchema))
    def get(self, args):
        """Contests whose results are released."""
        return paginated(queries.released_contests_query(args.get("q")), args)


@public.route("/competitions/results/<int:contest_id>")
class PublicResults(MethodView):
    @public.response(200, schemas.PublicResultsSchema)
    def get(self, contest_id: int):
        """A released contest's rankings per trade, names masked (张*)."""
        contest = queries.released_contest(contest_id)
        return {
            **{name: getattr(contest, name) for name in schemas.PublicContestSchema().fields},
            "trades": [
                {
                    "trade_id": trade.id,
                    "trade": trade.name,
                    "rows": [{"trade_id": trade.id, **asdict(r)} for r in rows],
                }
                for trade, rows in reports.public_results(contest)
            ],
        }


# --- labour competitions ---------------------------------------------------------------------


@blp.route("/competitions/labour")
class LabourList(MethodView):
    @blp.arguments(schemas.CompetitionSearchArgsSchema, location="query")
    @blp.response(200, page_of(schemas.LabourCompetitionSchema))
    def get(self, args):
        """Labour competitions of organizations in the caller's scope."""
        return paginated(queries.labour_query(current_user, args.get("q")), args)

    @blp.arguments(schemas.LabourCompetitionSchema)
    @blp.response(201, schemas.LabourCompetitionSchema)
    def post(self, data):
        """Create a labour competition for an organization in the caller's scope."""
        organization = _org(data["organization_id"])
        return _saved(labour.create(current_user, organization, data["name"]))


def _labour_detail(competition) -> dict:
    indicators, entrants = queries.labour_parts(competition)
    names = queries.entrant_names(entrants)
    return {
        "id": competition.id,
        "organization_id": competition.organization_id,
        "name": competition.name,
        "indicators": indicators,
        "entrants": [
            {
                "id": e.id,
                "team": e.team,
                "members": e.members,
                "user_id": e.user_id,
                "name": names[e.id],
            }
            for e in entrants
        ],
        "ranking": [
            {
                "rank": r.rank,
                "entrant_id": r.entrant.id,
                "name": names[r.entrant.id],
                "score": r.score,
            }
            for r in labour.ranking(competition)
        ],
        "person_times": labour.person_times(competition),
    }


@blp.route("/competitions/labour/<int:competition_id>")
class LabourItem(MethodView):
    @blp.response(200, schemas.LabourDetailSchema)
    def get(self, competition_id: int):
        """A labour competition: indicators, entrants, ranking and person-times."""
        return _labour_detail(queries.get_labour(current_user, competition_id))


@blp.route("/competitions/labour/<int:competition_id>/indicators")
class Indicators(MethodView):
    @blp.arguments(schemas.LabourIndicatorSchema)
    @blp.response(201, schemas.LabourIndicatorSchema)
    def post(self, data, competition_id: int):
        """Add an indicator with its weight."""
        competition = queries.get_labour(current_user, competition_id)
        return _saved(
            labour.add_indicator(
                current_user,
                competition,
                data["name"],
                data["weight"],
                higher_is_better=data["higher_is_better"],
            )
        )


@blp.route("/competitions/labour/<int:competition_id>/entrants")
class Entrants(MethodView):
    @blp.arguments(schemas.LabourEntrantSchema)
    @blp.response(201, schemas.LabourEntrantSchema)
    def post(self, data, competition_id: int):
        """Add a team (a name and head count) or one person (``user_id``)."""
        competition = queries.get_labour(current_user, competition_id)
        person = _person(data["user_id"]) if data.get("user_id") else None
        entrant = labour.add_entrant(
            current_user,
            competition,
            team=data.get("team"),
            members=data["members"],
            person=person,
        )
        db.session.commit()
        return {
            "id": entrant.id,
            "team": entrant.team,
            "members": entrant.members,
            "user_id": entrant.user_id,
            "name": entrant.team or person.name,
        }


@blp.route("/competitions/labour/<int:competition_id>/results")
class Results(MethodView):
    @blp.arguments(schemas.LabourResultSchema)
    @blp.response(201, schemas.LabourResultSchema)
    def post(self, data, competition_id: int):
        """Enter one indicator's value of one entrant for a period, once."""
        competition = queries.get_labour(current_user, competition_id)
        entrant = queries.labour_part(competition, LabourEntrant, data["entrant_id"], "entrant_id")
        indicator = queries.labour_part(
            competition, LabourIndicator, data["indicator_id"], "indicator_id"
        )
        return _saved(
            labour.enter_result(current_user, entrant, indicator, data["period"], data["value"])
        )
