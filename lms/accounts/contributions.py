"""What accounts contribute to a person's growth record (honours and titles) and to the
five-links overview (honours conferred in the period's years, by kind). Fixed queries."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.labels import HONOR_KIND_LABELS, HONOR_LEVEL_LABELS, SKILL_LABELS
from lms.accounts.models import HIGH_SKILL, Honor, HonorKind, Organization, SkillChange, User
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db

#: Titles a competition confers count for the competition link; the rest are selections.
TITLE_KINDS = (HonorKind.chief_technician, HonorKind.technical_expert)


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    return _honours(user_id) + _skill_changes(user_id, audience)


def _skill_changes(user_id: int, audience: str) -> list[growth.Entry]:
    rows = db.session.execute(
        sa.select(
            SkillChange.from_level,
            SkillChange.to_level,
            SkillChange.changed_on,
            SkillChange.certificate_no,
            SkillChange.issuing_body,
        ).where(SkillChange.user_id == user_id)
    ).all()
    return [
        growth.Entry(
            link="cultivation",
            kind="skill_level",
            title=_(
                "职业技能等级：%(old)s → %(new)s",
                old=SKILL_LABELS[old] if old else "—",
                new=SKILL_LABELS[new],
            ),
            on=on,
            # The certificate number is for the person and officers, not for the public.
            detail=body if audience == "public" else f"{body} · {number}",
        )
        for old, new, on, number, body in rows
    ]


def _honours(user_id: int) -> list[growth.Entry]:
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
    changes = sa.join(SkillChange, User, User.id == SkillChange.user_id).join(
        Organization, Organization.id == User.organization_id
    )
    raised = tally(
        q,
        sa.func.count(SkillChange.id),
        day=SkillChange.changed_on,
        path=Organization.path,
        select_from=changes,
    )
    high = tally(
        q,
        sa.func.count(SkillChange.id),
        day=SkillChange.changed_on,
        path=Organization.path,
        select_from=changes,
        where=[
            SkillChange.to_level.in_(HIGH_SKILL),
            sa.or_(SkillChange.from_level.is_(None), SkillChange.from_level.not_in(HIGH_SKILL)),
        ],
    )
    return [
        figures.Figure(
            "cultivation",
            "accounts.skill_raised",
            _("技能等级晋升"),
            raised.total,
            _("人次"),
            None,
            raised.by_month,
            raised.by_child,
            order=50,
        ),
        figures.Figure(
            "cultivation",
            "accounts.high_skill",
            _("新培养高技能人才"),
            high.total,
            _("人"),
            None,
            high.by_month,
            high.by_child,
            order=51,
        ),
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
