"""Skill contests' and labour competitions' pages and API: who may call them. The seed is a
contest the first enterprise organizes (T0001, an officer of it, is the organizer; the admin
sees it but does not organize it; T0002's company has no quota, so it is not theirs to see).
M0001 is the trade's chief judge; a contestant of the assembly workshop is the code he marks
(the weld workshop's own contestant he must not see: recusal)."""

from __future__ import annotations

from tests.matrix import (  # noqa: F401 - the table's vocabulary
    EVERYONE,
    IN_SCOPE,
    MENTOR,
    OFFICERS,
    SIGNED_IN,
    Ref,
    may,
)

OFFICER = frozenset({"officer"})  # the organizer: officers of the organizing organization only

CONTEST = {"contest_id": "cw_contest"}
TRADE = {"trade_id": "cw_trade"}
CODE = {"trade_id": "cw_trade", "marking_code": "cw_code"}
RELEASED = {"contest_id": "cw_released"}
LABOUR = {"competition_id": "cw_labour"}

ENTRIES = {
    # organizers and enterprise officers
    "competitions.index GET": may(OFFICERS),
    "competitions.new_contest GET": may(OFFICERS),
    "competitions.new_contest POST": may(OFFICERS),
    "competitions.contest GET": may(
        IN_SCOPE, ids=CONTEST, why="the organizer, and the admin who sees every contest"
    ),
    "competitions.add_trade POST": may(OFFICER, ids=CONTEST),
    "competitions.set_quota POST": may(OFFICER, ids=CONTEST),
    "competitions.assign POST": may(OFFICER, ids=CONTEST),
    "competitions.enter_theory POST": may(OFFICER, ids={"contestant_id": "cw_contestant"}),
    "competitions.release POST": may(OFFICER, ids=CONTEST),
    "competitions.export_rankings GET": may(
        OFFICER, ids=RELEASED, why="the organizer's export, audited, names masked"
    ),
    "competitions.register GET": may(
        IN_SCOPE, ids=CONTEST, why="the quota is the first enterprise's"
    ),
    "competitions.register POST": may(IN_SCOPE, ids=CONTEST),
    # judges (M0001 is the chief judge: he marks too)
    "competitions.duties GET": may(SIGNED_IN, why="each sees their own duties, or none"),
    "competitions.codes GET": may(MENTOR, ids=TRADE),
    "competitions.mark GET": may(MENTOR, ids=CODE),
    "competitions.mark POST": may(MENTOR, ids=CODE),
    "competitions.chief GET": may(MENTOR, ids=TRADE),
    "competitions.resolve POST": may(MENTOR, ids=TRADE),
    "competitions.lock POST": may(MENTOR, ids=TRADE),
    "competitions.reveal GET": may(MENTOR, ids=CONTEST),
    "competitions.reveal POST": may(MENTOR, ids=CONTEST),
    # contestants and the public
    "competitions.mine GET": may(
        SIGNED_IN, why="one's own entries, or a page saying there are none"
    ),
    "competitions.public_list GET": may(EVERYONE),
    "competitions.public_results GET": may(EVERYONE, ids=RELEASED, why="released, names masked"),
    # labour competitions
    "competitions.labour_list GET": may(OFFICERS),
    "competitions.new_labour GET": may(OFFICERS),
    "competitions.new_labour POST": may(OFFICERS),
    "competitions.labour_page GET": may(IN_SCOPE, ids=LABOUR),
    "competitions.add_indicator POST": may(IN_SCOPE, ids=LABOUR),
    "competitions.add_entrant POST": may(IN_SCOPE, ids=LABOUR),
    "competitions.enter_result POST": may(IN_SCOPE, ids=LABOUR),
    # the JSON API: the same rules
    "competitions-api.Contests GET": may(OFFICERS),
    "competitions-api.Contests POST": may(
        OFFICERS,
        json={
            "name": "厂内比武",
            "registration_opens_at": "2027-01-05T09:00:00+08:00",
            "registration_closes_at": "2027-01-15T09:00:00+08:00",
        },
        why="each officer organizes for their own organization",
    ),
    "competitions-api.ContestItem GET": may(IN_SCOPE, ids=CONTEST),
    "competitions-api.Trades POST": may(OFFICER, ids=CONTEST, json={"name": "车工"}),
    "competitions-api.Quotas PUT": may(
        OFFICER, ids=CONTEST, json={"organization_id": Ref("workshop"), "places": 1}
    ),
    "competitions-api.Officials GET": may(OFFICER, ids=CONTEST),
    "competitions-api.Officials POST": may(
        OFFICER,
        ids=CONTEST,
        json={"trade_id": Ref("cw_trade"), "user_id": Ref("cw_person"), "official": "judge"},
    ),
    "competitions-api.Contestants GET": may(IN_SCOPE, ids=CONTEST),
    "competitions-api.Contestants POST": may(
        IN_SCOPE, ids=CONTEST, json={"trade_id": Ref("cw_trade"), "user_id": Ref("cw_person")}
    ),
    "competitions-api.TheoryScore PUT": may(
        OFFICER, ids={"contestant_id": "cw_contestant"}, json={"score": "80"}
    ),
    "competitions-api.Release POST": may(OFFICER, ids=CONTEST),
    "competitions-api.Rankings GET": may(OFFICER, ids=RELEASED),
    "competitions-api.Duties GET": may(SIGNED_IN),
    "competitions-api.Codes GET": may(MENTOR, ids=TRADE),
    "competitions-api.Sheet GET": may(MENTOR, ids=CODE),
    "competitions-api.Sheet POST": may(MENTOR, ids=CODE, json={"marks": {"M1": 100}}),
    "competitions-api.Review GET": may(MENTOR, ids=TRADE),
    "competitions-api.Resolutions POST": may(
        MENTOR, ids=TRADE, json={"code": "NOSUCH", "criterion": "M1", "level": 1}
    ),
    "competitions-api.Lock POST": may(MENTOR, ids=TRADE),
    "competitions-api.Reveal POST": may(
        MENTOR, ids=CONTEST, json={"login": "M0002", "password": "not-the-password-1"}
    ),
    "competitions-api.MyEntries GET": may(SIGNED_IN),
    "competitions-results-api.PublicContests GET": may(EVERYONE),
    "competitions-results-api.PublicResults GET": may(EVERYONE, ids=RELEASED),
    "competitions-api.LabourList GET": may(OFFICERS),
    "competitions-api.LabourList POST": may(
        IN_SCOPE, json={"organization_id": Ref("workshop"), "name": "节能竞赛"}
    ),
    "competitions-api.LabourItem GET": may(IN_SCOPE, ids=LABOUR),
    "competitions-api.Indicators POST": may(
        IN_SCOPE, ids=LABOUR, json={"name": "节电量", "weight": "10"}
    ),
    "competitions-api.Entrants POST": may(
        IN_SCOPE, ids=LABOUR, json={"team": "甲班", "members": 3}
    ),
    "competitions-api.Results POST": may(
        IN_SCOPE,
        ids=LABOUR,
        json={
            "entrant_id": Ref("cw_entrant"),
            "indicator_id": Ref("cw_indicator"),
            "period": "2026-12",
            "value": "1",
        },
    ),
}


def seed(person: dict, machine) -> dict[str, object]:
    from datetime import timedelta

    from lms.competitions import labour, services
    from lms.db import utcnow
    from lms.scoring import services as scoring

    organizer, chief = person["T0001"], person["M0001"]
    now = utcnow()
    window = dict(
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=5),
    )
    contest = services.create_contest(organizer, machine, name="厂内技能比武", **window)
    trade = services.add_trade(organizer, contest, "综合")
    scoring.add_criterion(services.panel_of(trade), "M1", "尺寸", "measurement", 100)
    services.assign(organizer, trade, chief, "chief_judge")
    services.assign(organizer, trade, person["M0002"], "supervisor")
    weld, assembly = person["W0001"].organization, person["M0003"].organization
    services.set_quota(organizer, contest, weld, 2)
    services.set_quota(organizer, contest, assembly, 2)
    services.register(organizer, trade, person["W0001"])
    marked = services.register(organizer, trade, person["M0003"])

    released = services.create_contest(organizer, machine, name="已发布的比武", **window)
    services.add_trade(organizer, released, "钳工")
    released.revealed_at = released.released_at = now

    competition = labour.create(organizer, machine, "节能降耗竞赛")
    indicator = labour.add_indicator(organizer, competition, "节电量", 10)
    entrant = labour.add_entrant(organizer, competition, team="一班", members=4)
    return {
        "cw_contest": contest.id,
        "cw_trade": trade.id,
        "cw_code": marked.marking_code,
        "cw_contestant": marked.id,
        "cw_released": released.id,
        "cw_labour": competition.id,
        "cw_indicator": indicator.id,
        "cw_entrant": entrant.id,
        "cw_person": person["W0002"].id,
    }
