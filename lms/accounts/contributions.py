"""What accounts contribute to a person's growth record (honours and titles) and to the
five-links overview (honours conferred in the period's years, by kind). Fixed queries."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.labels import HONOR_KIND_LABELS, HONOR_LEVEL_LABELS
from lms.accounts.models import Honor, HonorKind, Organization, User
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db

#: Titles a competition confers count for the competition link; the rest are selections.
TITLE_KINDS = (HonorKind.chief_technician, HonorKind.technical_expert)


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    rows = db.session.execute(
        sa.select(Honor.kind, Honor.level, Honor.year, Honor.title).where(Honor.user_id == user_id)
    ).all()
    return [
        growth.Entry(
            link="competition" if kind in TITLE_KINDS else "selection",
            kind="title" if kind in TITLE_KINDS else "honour",
            title=title or f"{HONOR_LEVEL_LABELS[level]}{HONOR_KIND_LABELS[kind]}",
            on=date(year, 1, 1),
            detail=_("%(year)d 年 · %(level)s", year=year, level=HONOR_LEVEL_LABELS[level]),
        )
        for kind, level, year, title in rows
    ]


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    joined = sa.join(Honor, User, User.id == Honor.user_id).join(
        Organization, Organization.id == User.organization_id
    )
    years = Honor.year.between(q.start.year, q.end.year)
    honours = tally(
        q,
        sa.func.count(Honor.id),
        day=None,
        path=Organization.path,
        select_from=joined,
        where=[years, Honor.kind.not_in(TITLE_KINDS)],
    )
    titles = tally(
        q,
        sa.func.count(Honor.id),
        day=None,
        path=Organization.path,
        select_from=joined,
        where=[years, Honor.kind.in_(TITLE_KINDS)],
    )
    return [
        figures.Figure(
            "competition",
            "accounts.titles",
            _("首席技工、技术能手称号"),
            titles.total,
            _("人"),
            None,
            {},
            titles.by_child,
            order=20,
        ),
        figures.Figure(
            "selection",
            "accounts.honours",
            _("劳模、工匠等荣誉"),
            honours.total,
            _("人次"),
            None,
            {},
            honours.by_child,
            order=10,
        ),
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
