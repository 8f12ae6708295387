"""Titles (首席技工, 技术能手) conferred after the results' public notice.

Once the organizer releases the results, the rank → title mapping of ``services.standings``
(first N of a trade chief technicians, next M technical experts, ties sharing a rank) is on
public notice for the contest's ``notice_days``. When the notice has ended, the titles are
conferred — by the hourly task or an organizer's action, whichever comes first — exactly once:
the contest row is locked and stamped, and each contestant has at most one award. Conferring
writes the honour into the accounts registry and announces ``competition_awarded`` (the
certificates package issues the certificate, notifications tells the person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lms import signals
from lms.accounts import services as accounts
from lms.accounts.models import HonorLevel, User
from lms.audit import services as audit
from lms.competitions import services
from lms.competitions.models import Contest
from lms.competitions.rules_models import Award
from lms.db import utcnow
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.timeutil import to_local

MAX_NOTICE_DAYS = 60


def contestant_url(contestant_id: int) -> str:
    """The contestant's own page (我的比赛: scores, rank, title, certificate)."""
    return "/competitions/mine"


def set_notice_days(actor: User, contest: Contest, days: int) -> None:
    """How long the titles stay on public notice after release (0–60 days)."""
    services.require_organizer(actor, contest)
    if contest.titles_conferred_at is not None:
        raise Conflict(_("称号已经授予，公示期不能再修改。"))
    if not (0 <= int(days) <= MAX_NOTICE_DAYS):
        raise Invalid(
            _("公示期须在 0 到 %(max)s 天之间。", max=MAX_NOTICE_DAYS),
            errors={"notice_days": [_("请填写 0 到 %(max)s 之间的整数。", max=MAX_NOTICE_DAYS)]},
        )
    contest.notice_days = int(days)
    db.session.flush()


def notice_ends_at(contest: Contest) -> datetime | None:
    """When the public notice of the titles ends (None before release)."""
    if contest.released_at is None:
        return None
    return contest.released_at + timedelta(days=contest.notice_days)


@dataclass
class Proposed:
    """A title on public notice (or conferred): who, in which trade, at which rank."""

    contestant_id: int
    user_id: int
    trade_id: int
    trade: str
    title: str
    rank: int
    total: object


def proposed(contest: Contest) -> list[Proposed]:
    """The titles the ranking gives, trade by trade (what the public notice lists)."""
    found = []
    for trade in contest.trades:
        for row in services.standings(trade):
            if row.title:
                found.append(
                    Proposed(
                        row.contestant.id,
                        row.contestant.user_id,
                        trade.id,
                        trade.name,
                        str(row.title),
                        row.rank,
                        row.total,
                    )
                )
    return found


def honor_level(contest: Contest) -> str:
    """A city contest confers city titles; enterprise and workshop contests enterprise ones."""
    return contest.level if contest.level in HonorLevel.__members__ else HonorLevel.enterprise


def confer(contest_id: int, *, actor: User | None = None, now: datetime | None = None) -> int:
    """Confer the contest's titles if its notice has ended; returns how many were conferred
    (0 when they already were). ``actor`` (an organizer) for the officer's action; the task
    passes none. Two at once: the contest row is locked, the second finds it stamped."""
    now = now or utcnow()
    contest = db.session.scalar(
        sa.select(Contest)
        .where(Contest.id == contest_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if contest is None:
        raise NotFound()
    if actor is not None:
        services.require_organizer(actor, contest)
    if contest.titles_conferred_at is not None:
        return 0
    ends = notice_ends_at(contest)
    if ends is None:
        raise Conflict(_("成绩发布并公示期满后才能授予称号。"))
    if now < ends:
        raise Conflict(
            _(
                "公示期至 %(when)s 结束，之后才能授予称号。",
                when=to_local(ends).strftime("%Y-%m-%d %H:%M"),
            )
        )
    level, year = honor_level(contest), to_local(now).year
    rows = proposed(contest)
    for row in rows:
        honor = accounts.confer_honor(
            row.user_id,
            row.title,
            level,
            year,
            title=f"{contest.name} {row.trade}"[:120],
            citation=_("第 %(rank)s 名", rank=row.rank),
            actor=actor,
        )
        award = Award(
            contest_id=contest.id,
            contestant_id=row.contestant_id,
            user_id=row.user_id,
            title=row.title,
            rank=row.rank,
            total=row.total,
            honor_id=honor.id,
            conferred_at=now,
            conferred_by_id=actor.id if actor else None,
        )
        db.session.add(award)
        db.session.flush()
        signals.emit(
            signals.competition_awarded,
            award_id=award.id,
            contestant_id=row.contestant_id,
            user_id=row.user_id,
            contest_id=contest.id,
            contest_title=contest.name,
            trade=row.trade,
            title=row.title,
            rank=row.rank,
            organization_id=contest.organization_id,
            url=contestant_url(row.contestant_id),
        )
    contest.titles_conferred_at = now
    audit.record(
        actor,
        "competitions.titles_conferred",
        "competition_contest",
        contest.id,
        organization_id=contest.organization_id,
        after={
            "chief_technician": sum(r.title == "chief_technician" for r in rows),
            "technical_expert": sum(r.title == "technical_expert" for r in rows),
        },
        summary=contest.name,
    )
    db.session.flush()
    return len(rows)


def due(now: datetime | None = None) -> list[int]:
    """Contests whose titles' notice has ended and that have not been conferred yet."""
    now = now or utcnow()
    candidates = db.session.execute(
        sa.select(Contest.id, Contest.released_at, Contest.notice_days).where(
            Contest.released_at.is_not(None), Contest.titles_conferred_at.is_(None)
        )
    )
    return [cid for cid, released, days in candidates if released + timedelta(days=days) <= now]


def confer_due(now: datetime | None = None) -> int:
    """The task's work: confer every contest whose notice has ended, each in its own commit."""
    conferred = 0
    for contest_id in due(now):
        conferred += confer(contest_id, now=now)
        db.session.commit()
    return conferred


def awards(contest: Contest) -> list[Award]:
    return list(
        db.session.scalars(
            sa.select(Award)
            .where(Award.contest_id == contest.id)
            .order_by(Award.title, Award.rank, Award.id)
        )
    )


def award_of(contestant_id: int) -> Award | None:
    return db.session.scalar(sa.select(Award).where(Award.contestant_id == contestant_id))
