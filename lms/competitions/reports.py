"""Results as people read them: the public results after release (names masked), a
contestant's own entries, and the organizer's rankings workbook (audited export)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.masking import mask_name
from lms.accounts.models import Organization, User
from lms.audit import services as audit
from lms.competitions import labels, services
from lms.competitions.models import Contest, Contestant, Trade
from lms.errors import Conflict
from lms.extensions import db
from lms.scoring import services as scoring


def _names(contestants: list[Contestant]) -> tuple[dict[int, str], dict[int, str]]:
    """People's names and organizations' names of the contestants, two queries."""
    user_ids = {c.user_id for c in contestants}
    org_ids = {c.organization_id for c in contestants}
    people = dict(
        db.session.execute(sa.select(User.id, User.name).where(User.id.in_(user_ids))).all()
    )
    orgs = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(org_ids))
        ).all()
    )
    return people, orgs


@dataclass
class PublicRow:
    rank: int
    number: int
    name: str  # masked
    organization: str
    total: Decimal
    title: str | None


def public_results(contest: Contest) -> list[tuple[Trade, list[PublicRow]]]:
    """Every trade's ranking after release, names masked (张*)."""
    out = []
    for trade in contest.trades:
        rows = services.results(None, trade)
        people, orgs = _names([r.contestant for r in rows])
        out.append(
            (
                trade,
                [
                    PublicRow(
                        r.rank,
                        r.contestant.number,
                        mask_name(people.get(r.contestant.user_id)),
                        orgs.get(r.contestant.organization_id, ""),
                        r.total,
                        r.title,
                    )
                    for r in rows
                ],
            )
        )
    return out


@dataclass
class MyEntry:
    contestant: Contestant
    trade: Trade
    contest: Contest
    released: bool
    modules: dict[str, Decimal]  # criterion title → score, once released
    theory: Decimal | None = None
    practical: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    title: str | None = None
    entrants: int = 0


def my_entry(contestant: Contestant) -> MyEntry:
    """One's own entry: number always; scores per module, rank and title once released."""
    trade = contestant.trade
    contest = trade.contest
    entry = MyEntry(contestant, trade, contest, contest.released_at is not None, {})
    if not entry.released:
        return entry
    panel = services.panel_of(trade)
    titles = {c.code: c.title for c in panel.criteria}
    entry.modules = {
        titles.get(code, code): value
        for code, value in scoring.subject_scores(panel, contestant.marking_code).items()
    }
    standings = services.results(contestant.user, trade)
    entry.entrants = len(standings)
    mine = next(s for s in standings if s.contestant.id == contestant.id)
    entry.theory, entry.practical, entry.total = mine.theory, mine.practical, mine.total
    entry.rank, entry.title = mine.rank, mine.title
    return entry


def organizer_rankings(actor: User, contest: Contest) -> list[dict]:
    """Every trade's standings for the organizer, names masked, once identities are
    decrypted."""
    services.require_organizer(actor, contest)
    if contest.revealed_at is None:
        raise Conflict(_("身份解密后才能导出成绩：先由裁判长锁定各项目，再与监督员共同解密。"))
    out = []
    for trade in contest.trades:
        standings = services.results(actor, trade)
        people, orgs = _names([s.contestant for s in standings])
        out += [
            {
                "trade_id": trade.id,
                "trade": trade.name,
                "rank": s.rank,
                "number": s.contestant.number,
                "name": mask_name(people.get(s.contestant.user_id)),
                "organization": orgs.get(s.contestant.organization_id, ""),
                "theory": s.theory,
                "practical": s.practical,
                "total": s.total,
                "title": s.title,
            }
            for s in standings
        ]
    return out


def ranking_rows(actor: User, contest: Contest) -> tuple[list[str], list[list]]:
    """The organizer's rankings workbook (names masked; the export is audited)."""
    rankings = organizer_rankings(actor, contest)
    headers = [
        _("项目"),
        _("名次"),
        _("参赛号"),
        _("姓名"),
        _("单位"),
        _("理论成绩"),
        _("实操成绩"),
        _("总成绩"),
        _("称号"),
    ]
    rows = [
        [
            r["trade"],
            r["rank"],
            r["number"],
            r["name"],
            r["organization"],
            str(r["theory"]),
            str(r["practical"]),
            str(r["total"]),
            labels.title(r["title"]) if r["title"] else "",
        ]
        for r in rankings
    ]
    audit.record_export(actor, "competition_rankings", contest.organization_id, len(rows))
    return headers, rows
