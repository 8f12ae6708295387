"""A city contest with one trade, two enterprises with quotas, judges and a supervisor."""

from dataclasses import dataclass, field
from datetime import timedelta

from lms.accounts.models import Role
from lms.competitions import services
from lms.db import utcnow
from lms.scoring import services as scoring
from tests.factories import EnterpriseFactory, OrganizationFactory, UserFactory, WorkshopFactory

LEVELS = ["未达到", "基本达到", "达到", "优秀"]


@dataclass
class World:
    city: object
    plants: list
    organizer: object
    officers: list
    contest: object
    trade: object
    chief: object
    judges: list
    supervisor: object
    workers: dict = field(default_factory=dict)


def build(places=3, judges=2, **contest_kwargs) -> World:
    city = OrganizationFactory(name="市总工会")
    plants = [EnterpriseFactory(parent=city), EnterpriseFactory(parent=city)]
    shops = [WorkshopFactory(parent=p) for p in plants]
    organizer = UserFactory(organization=city, roles=[Role.officer])
    officers = [UserFactory(organization=p, roles=[Role.officer]) for p in plants]
    now = utcnow()
    contest = services.create_contest(
        organizer,
        city,
        name="市职工焊工技能大赛",
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=5),
        **contest_kwargs,
    )
    trade = services.add_trade(organizer, contest, "焊工", person_trade="焊工")
    panel = services.panel_of(trade)
    scoring.add_criterion(panel, "M1", "尺寸", "measurement", 40)
    scoring.add_criterion(panel, "J1", "外观", "judgement", 60, levels=LEVELS)
    city_judges = [UserFactory(organization=city) for _ in range(judges)]
    chief = UserFactory(organization=city)
    services.assign(organizer, trade, chief, "chief_judge")
    for j in city_judges:
        services.assign(organizer, trade, j, "judge")
    supervisor = UserFactory(organization=city)
    services.assign(organizer, trade, supervisor, "supervisor")
    for p in plants:
        services.set_quota(organizer, contest, p, places)
    workers = {
        p.id: [UserFactory(organization=s) for _ in range(4)]
        for p, s in zip(plants, shops, strict=True)
    }
    return World(
        city, plants, organizer, officers, contest, trade, chief, city_judges, supervisor, workers
    )
