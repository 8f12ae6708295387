"""The skill contests' online theory exam: its organizer's page. The seed is a contest the first
enterprise organizes (T0001 is its organizer: officers of the organizing organization only)."""

from __future__ import annotations

from tests.matrix import may

OFFICER = frozenset({"officer"})

ENTRIES = {
    "competitions_theory.setup GET": may(OFFICER, ids={"trade_id": "theory_trade"}),
    "competitions_theory.setup POST": may(
        OFFICER, ids={"trade_id": "theory_trade"}, form={"blueprint": "安全,1,1"}
    ),
    "competitions_theory.list_contestants POST": may(
        OFFICER, ids={"trade_id": "theory_trade_with_exam"}
    ),
}


def seed(person: dict, machine) -> dict[str, object]:
    from datetime import timedelta

    from lms.assessment import services as assessment
    from lms.competitions import services, theory
    from lms.db import utcnow

    organizer = person["T0001"]
    now = utcnow()
    contest = services.create_contest(
        organizer,
        machine,
        name="厂内焊工比武",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=5),
    )
    trade = services.add_trade(organizer, contest, "焊工", person_trade="焊工")
    other = services.add_trade(organizer, contest, "钳工", person_trade="钳工")
    bank = assessment.create_bank(organizer, machine, "比武理论题库", "焊工")
    assessment.add_question(
        organizer, bank, {"kind": "true_false", "text": "判断", "topic": "安全", "answer": [0]}
    )
    theory.set_up(
        organizer,
        other,
        bank,
        blueprint=[{"topic": "安全", "count": 1}],
        duration_minutes=30,
        opens_at=now,
    )
    return {"theory_trade": trade.id, "theory_trade_with_exam": other.id}
