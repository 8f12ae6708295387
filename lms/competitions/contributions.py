"""What competitions contribute to a person's growth record (contests entered, labour
competitions) and to the five-links overview (contests, contestants, labour competitions and
their person-times). Fixed number of queries, whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from lms.accounts.models import Organization
from lms.competitions.models import (
    Contest,
    Contestant,
    LabourCompetition,
    LabourEntrant,
    Trade,
)
from lms.competitions.rules_models import Award
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db
from lms.timeutil import to_local

TITLE_LABELS = {"chief_technician": _l("首席技工"), "technical_expert": _l("技术能手")}


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    entries = []
    for name, trade, starts_at, opens_at, rank, title in db.session.execute(
        sa.select(
            Contest.name,
            Trade.name,
            Contest.starts_at,
            Contest.registration_opens_at,
            Award.rank,
            Award.title,
        )
        .join(Contestant, Contestant.contest_id == Contest.id)
        .join(Trade, Trade.id == Contestant.trade_id)
        .outerjoin(Award, Award.contestant_id == Contestant.id)
        .where(Contestant.user_id == user_id)
    ):
        detail = trade
        if rank is not None:
            detail = _(
                "%(trade)s · 第 %(rank)d 名 · %(title)s",
                trade=trade,
                rank=rank,
                title=TITLE_LABELS.get(title, title),
            )
        entries.append(
            growth.Entry(
                link="competition",
                kind="contest_entered",
                title=_("参加技能竞赛：%(name)s", name=name),
                on=to_local(starts_at or opens_at).date(),
                detail=detail,
            )
        )
    entries += [
        growth.Entry(
            link="competition",
            kind="labour_competition",
            title=_("参加劳动竞赛：%(name)s", name=name),
            on=to_local(created).date(),
        )
        for name, created in db.session.execute(
            sa.select(LabourCompetition.name, LabourCompetition.created_at)
            .join(LabourEntrant, LabourEntrant.competition_id == LabourCompetition.id)
            .where(LabourEntrant.user_id == user_id)
        )
    ]
    return entries


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    host, home = aliased(Organization), aliased(Organization)
    contests = tally(
        q,
        sa.func.count(Contest.id),
        day=Contest.starts_at,
        path=host.path,
        select_from=sa.join(Contest, host, host.id == Contest.organization_id),
    )
    contestants = tally(
        q,
        sa.func.count(Contestant.id),
        day=Contest.starts_at,
        path=home.path,
        select_from=sa.join(Contestant, Contest, Contest.id == Contestant.contest_id).join(
            home, home.id == Contestant.organization_id
        ),
    )
    labour = sa.join(LabourCompetition, host, host.id == LabourCompetition.organization_id)
    competitions = tally(
        q,
        sa.func.count(LabourCompetition.id),
        day=LabourCompetition.created_at,
        path=host.path,
        select_from=labour,
    )
    person_times = tally(
        q,
        sa.func.sum(LabourEntrant.members),
        day=LabourCompetition.created_at,
        path=host.path,
        select_from=labour.join(
            LabourEntrant, LabourEntrant.competition_id == LabourCompetition.id
        ),
    )
    F = figures.Figure
    return [
        F(
            "competition",
            "competitions.contests",
            _("技能竞赛"),
            contests.total,
            _("场"),
            None,
            contests.by_month,
            contests.by_child,
            order=10,
        ),
        F(
            "competition",
            "competitions.contestants",
            _("参赛选手"),
            contestants.total,
            _("人次"),
            None,
            contestants.by_month,
            contestants.by_child,
            order=11,
        ),
        F(
            "competition",
            "competitions.labour",
            _("劳动竞赛"),
            competitions.total,
            _("项"),
            None,
            competitions.by_month,
            competitions.by_child,
            order=30,
        ),
        F(
            "competition",
            "competitions.labour_person_times",
            _("劳动竞赛参与"),
            person_times.total,
            _("人次"),
            None,
            person_times.by_month,
            person_times.by_child,
            order=31,
        ),
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
