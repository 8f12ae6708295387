"""The contest rules' API: a contestant's appeal, the arbitration group's queue and decision,
the titles on notice. The seed is a released contest the first enterprise organizes (T0001
organizes it and sits in its arbitration group; M0002 supervises); W0001 is its contestant
and has appealed."""

from __future__ import annotations

from tests.matrix import WORKER, may

ORGANIZER = frozenset({"officer"})  # T0001: organizer and arbitrator of the seed's contest
CONTEST = {"contest_id": "cr_contest"}

ENTRIES = {
    "competition-rules-api.MyAppeal GET": may(WORKER, ids={"contestant_id": "cr_contestant"}),
    "competition-rules-api.MyAppeal POST": may(
        WORKER,
        ids={"contestant_id": "cr_contestant"},
        json={"reason": "外观评分偏低"},
        why="the contestant herself (she has appealed: 409, past the door)",
    ),
    "competition-rules-api.TradeAppeals GET": may(ORGANIZER, ids={"trade_id": "cr_trade"}),
    "competition-rules-api.AppealDecision POST": may(
        ORGANIZER,
        ids={"appeal_id": "cr_appeal"},
        json={"outcome": "dismissed", "decision": "复核无误，维持原成绩"},
    ),
    "competition-rules-api.Titles GET": may(ORGANIZER, ids=CONTEST),
    "competition-rules-api.Confer POST": may(ORGANIZER, ids=CONTEST),
}


def seed(person: dict, machine) -> dict[str, object]:
    from datetime import timedelta

    from lms.competitions import appeals, services
    from lms.db import utcnow

    organizer, worker = person["T0001"], person["W0001"]
    now = utcnow()
    contest = services.create_contest(
        organizer,
        machine,
        name="已发布的厂内比武",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=5),
        chief_technician_places=1,
    )
    trade = services.add_trade(organizer, contest, "焊工")
    services.assign(organizer, trade, person["M0002"], "supervisor")
    services.set_quota(organizer, contest, worker.organization, 1)
    contestant = services.register(organizer, trade, worker)
    appeals.name_arbitrator(organizer, contest, organizer)
    contest.revealed_at = contest.released_at = now
    appeal = appeals.file(worker, contestant, "理论成绩有误")
    return {
        "cr_contest": contest.id,
        "cr_trade": trade.id,
        "cr_contestant": contestant.id,
        "cr_appeal": appeal.id,
    }
