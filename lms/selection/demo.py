"""Demo selection data, written through the selection services: an earlier campaign
(2025年度江城工匠) approved, its honours conferred and certificates issued; this year's city
model-worker campaign on public notice with ten candidates from the two enterprises, and one
objection under investigation. The people are the accounts demo's invented ones."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from lms.core.demo import DemoData, register_loader
from lms.extensions import db
from lms.selection import services
from lms.selection.models import Notice

MACHINE = ["mentor", "mentor3", "worker", "worker2", "worker3"]
POWER = ["mentor2", "worker4", "worker5", "extra4", "extra8"]

SUMMARIES = [
    "扎根一线三十年，攻克大型构件焊接变形难题",
    "带徒四十余人，培养高级技师十二名",
    "牵头技术革新十项，年创效益三百余万元",
    "在全省职业技能大赛中获一等奖",
    "参与重大工程抢修，连续奋战七昼夜",
]


def _climb(data: DemoData, campaign, officer, handles, frontline_every=1) -> list:
    admin = data.people["admin"]
    dossiers = []
    for i, handle in enumerate(handles):
        dossier = services.nominate(
            officer,
            campaign,
            data.people[handle],
            summary=SUMMARIES[i % len(SUMMARIES)],
            achievements=SUMMARIES[i % len(SUMMARIES)] + "。详见单位推荐报告。",
            frontline=i % frontline_every == 0,
            congress_resolution="职代会决议〔2026〕3号",
        )
        services.submit(officer, dossier)
        while dossier.status.value == "pending":
            services.approve(admin, dossier)
        dossiers.append(dossier)
    return dossiers


def load(data: DemoData) -> None:
    admin, union = data.people["admin"], data.orgs["union"]
    today = services.local_today()
    stages = dict(
        nominate_until=today + timedelta(days=10), review_until=today + timedelta(days=20)
    )

    earlier = services.create_campaign(
        admin,
        union,
        title="2025年度江城工匠",
        honour_kind="craftsman",
        honour_level="city",
        year=2025,
        places=2,
        **stages,
    )
    _climb(data, earlier, data.people["officer"], ["worker6"])
    _climb(data, earlier, data.people["officer_power"], ["extra8"])
    services.publish_notice(admin, earlier)
    # The earlier campaign happened last year: its dates are moved there before approval.
    notice = db.session.scalar(sa.select(Notice).where(Notice.campaign_id == earlier.id))
    notice.starts_on, notice.ends_on = date(2025, 4, 18), date(2025, 4, 25)
    earlier.nominate_until, earlier.review_until = date(2025, 3, 31), date(2025, 4, 15)
    db.session.commit()
    services.approve_campaign(admin, earlier)

    current = services.create_campaign(
        admin,
        union,
        title="2026年度江城市劳动模范",
        honour_kind="model_worker",
        honour_level="city",
        year=2026,
        places=12,
        min_frontline_percent=60,
        max_heads_percent=20,
        description="各单位按名额推荐，一线职工和专业技术人员不少于 60%，企业负责人不超过 20%。",
        **stages,
    )
    services.set_quota(admin, current, data.orgs["machine"], 6)
    services.set_quota(admin, current, data.orgs["power"], 6)
    listed = _climb(data, current, data.people["officer"], MACHINE)
    listed += _climb(data, current, data.people["officer_power"], POWER, frontline_every=2)
    services.publish_notice(admin, current)
    objection = services.file_objection(
        data.people["worker6"],
        current,
        listed[-1].id,
        body="该同志所在班组的安全生产记录与推荐材料所述不一致，请核实。",
        contact=data.people["worker6"].mobile or "13900000026",
    )
    services.investigate(
        admin,
        objection,
        note="已调阅班组安全生产台账，约谈车间负责人。",
        unit_explanation="供电公司来函说明：台账记录口径不同，正在补充材料。",
    )
    data.extra["selection_campaign"] = current.id


def register() -> None:
    register_loader(60, load)
