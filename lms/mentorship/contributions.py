"""What mentoring contributes to a person's growth record (pairings as apprentice or mentor,
confirmed hours, graduations) and to the five-links overview (pairs started, graduations,
confirmed mentoring hours). Fixed number of queries, whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from lms.accounts.models import Organization, User
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db
from lms.mentorship.models import (
    LogStatus,
    MentorLog,
    Mentorship,
    MentorshipStatus,
    Resolution,
)
from lms.timeutil import to_local

#: Pairings that really happened (signed and started), whatever came of them since.
STARTED = (MentorshipStatus.active, MentorshipStatus.paused, MentorshipStatus.completed)
COUNTED_LOG = sa.or_(
    MentorLog.status == LogStatus.confirmed,
    sa.and_(MentorLog.status == LogStatus.resolved, MentorLog.resolution == Resolution.upheld),
)


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    mentor, apprentice = aliased(User), aliased(User)
    rows = db.session.execute(
        sa.select(Mentorship, mentor.name, apprentice.name)
        .join(mentor, mentor.id == Mentorship.mentor_id)
        .join(apprentice, apprentice.id == Mentorship.apprentice_id)
        .where(
            sa.or_(Mentorship.mentor_id == user_id, Mentorship.apprentice_id == user_id),
            Mentorship.status.in_(STARTED),
        )
    ).all()
    entries = []
    for pairing, mentor_name, apprentice_name in rows:
        as_mentor = pairing.mentor_id == user_id
        hours = round(pairing.confirmed_minutes / 60, 1)
        url = url_for("mentorship.detail", mentorship_id=pairing.id)
        title = (
            _("带徒：%(name)s", name=apprentice_name)
            if as_mentor
            else _("拜师：%(name)s", name=mentor_name)
        )
        entries.append(
            growth.Entry(
                link="cultivation",
                kind="mentoring_as_mentor" if as_mentor else "mentoring_as_apprentice",
                title=title,
                on=pairing.start_date,
                detail=_("已确认带徒 %(hours)s 小时", hours=hours),
                url=url,
                hours=None if as_mentor else hours,
            )
        )
        if pairing.status == MentorshipStatus.completed and pairing.graduation_approved_at:
            entries.append(
                growth.Entry(
                    link="cultivation",
                    kind="mentoring_graduated",
                    title=(
                        _("徒弟出师：%(name)s", name=apprentice_name)
                        if as_mentor
                        else _("出师：师傅 %(name)s", name=mentor_name)
                    ),
                    on=to_local(pairing.graduation_approved_at).date(),
                    url=url,
                )
            )
    return entries


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    paired = sa.join(Mentorship, Organization, Organization.id == Mentorship.organization_id)
    pairs = tally(
        q,
        sa.func.count(Mentorship.id),
        day=Mentorship.start_date,
        path=Organization.path,
        select_from=paired,
        where=[Mentorship.status.in_(STARTED)],
    )
    graduations = tally(
        q,
        sa.func.count(Mentorship.id),
        day=Mentorship.graduation_approved_at,
        path=Organization.path,
        select_from=paired,
        where=[Mentorship.status == MentorshipStatus.completed],
    )
    hours = tally(
        q,
        sa.func.sum(MentorLog.minutes) / 60.0,
        day=MentorLog.session_date,
        path=Organization.path,
        select_from=sa.join(MentorLog, Mentorship, Mentorship.id == MentorLog.mentorship_id).join(
            Organization, Organization.id == Mentorship.organization_id
        ),
        where=[COUNTED_LOG],
    )
    drill = url_for("mentorship.officer_list")
    return [
        figures.Figure(
            "cultivation",
            "mentorship.pairs",
            _("师徒结对"),
            pairs.total,
            _("对"),
            drill,
            pairs.by_month,
            pairs.by_child,
            order=30,
        ),
        figures.Figure(
            "cultivation",
            "mentorship.graduations",
            _("徒弟出师"),
            graduations.total,
            _("人"),
            drill,
            graduations.by_month,
            graduations.by_child,
            order=31,
        ),
        figures.Figure(
            "cultivation",
            "mentorship.hours",
            _("已确认带徒时长"),
            round(float(hours.total), 1),
            _("小时"),
            None,
            hours.by_month,
            hours.by_child,
            order=32,
        ),
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
