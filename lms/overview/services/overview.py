"""The five-links overview (统筹): for an organization's subtree and a year, every package's
figures (through ``lms.core.figures``), their months and their child organizations.

Officers read their own subtree and any organization below it; admins every one. The number of
statements is fixed: two here (the organization and its children) plus each provider's own
fixed GROUP BYs, whatever the size of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.core import charts, figures, growth
from lms.core.tally import months
from lms.db import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import cache, db
from lms.timeutil import local_zone

FIRST_YEAR = 2000


@dataclass
class Overview:
    organization: Organization
    year: int
    start: date
    end: date
    children: list[Organization]
    figures: list[figures.Figure]
    by_link: dict[str, list[figures.Figure]] = field(default_factory=dict)
    months: list[str] = field(default_factory=list)
    computed_at: datetime | None = None  # when the figures were counted (they may be cached)

    def figure(self, key: str) -> figures.Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def value(self, key: str, default=0):
        found = self.figure(key)
        return found.value if found else default


def this_year() -> int:
    return datetime.now(local_zone()).year


def organization_for(actor: User, organization_id: int | None) -> Organization:
    scope.require_officer(actor)
    if organization_id is None:
        return actor.organization
    organization = db.session.get(Organization, organization_id)
    if organization is None or not scope.org_in_scope(actor, organization):
        raise NotFound(_("没有这个单位，或它不在您管理的范围内。"))
    return organization


def check_year(year: int | None) -> int:
    year = this_year() if year is None else year
    if not FIRST_YEAR <= year <= this_year() + 1:
        message = _("年度须在 %(a)d 到 %(b)d 之间。", a=FIRST_YEAR, b=this_year() + 1)
        raise Invalid(message, errors={"year": [message]})
    return year


def build(actor: User, organization_id: int | None = None, year: int | None = None) -> Overview:
    organization = organization_for(actor, organization_id)
    year = check_year(year)
    children = list(
        db.session.scalars(
            sa.select(Organization)
            .where(Organization.parent_id == organization.id)
            .order_by(Organization.name, Organization.id)
        )
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    query = figures.Query(
        organization_id=organization.id,
        path=organization.path,
        start=start,
        end=end,
        children={c.id: c.path for c in children},
    )
    found, computed_at = counted(query, year)
    result = Overview(
        organization,
        year,
        start,
        end,
        children,
        found,
        months=months(start, end),
        computed_at=computed_at,
    )
    result.by_link = {link: [f for f in found if f.link == link] for link in growth.LINKS}
    return result


def _cache_key(organization_id: int, year: int) -> str:
    return f"overview:figures:{organization_id}:{year}:{get_locale()}"


def counted(query: figures.Query, year: int, *, fresh: bool = False):
    """The figures of the query and when they were counted.

    Counting a city's year takes about a second (one GROUP BY per figure over the year's rows),
    so the result — plain numbers and labels, no personal data, no ORM object — is kept in the
    cache for ``OVERVIEW_CACHE_SECONDS`` (0: never), and the beat task ``refresh_figures``
    counts the federation's and the enterprises' figures ahead of the officers. Permissions
    are checked before this is asked.
    """
    seconds = int(current_app.config.get("OVERVIEW_CACHE_SECONDS", 0) or 0)
    key = _cache_key(query.organization_id, year)
    if seconds and not fresh:
        hit = cache.get(key)
        if hit is not None:
            return hit
    value = (figures.figures_for(query), utcnow())
    if seconds:
        cache.set(key, value, timeout=seconds)
    return value


def refresh(organization: Organization, year: int) -> None:
    """Count one organization's year afresh into the cache (the beat task's work)."""
    children = list(
        db.session.scalars(sa.select(Organization).where(Organization.parent_id == organization.id))
    )
    query = figures.Query(
        organization.id,
        organization.path,
        date(year, 1, 1),
        date(year, 12, 31),
        {c.id: c.path for c in children},
    )
    counted(query, year, fresh=True)


def trend_chart(view: Overview, figure: figures.Figure) -> charts.Chart:
    labels = [m[5:] for m in view.months]
    values = [figure.by_month.get(m, 0) for m in view.months] if figure.by_month else []
    if not values:  # a figure without months (a year's honours): the year's total, once
        labels, values = [str(view.year)], [figure.value]
    return charts.line(
        _("%(label)s · 按月", label=figure.label), labels, {str(figure.label): _plain(values)}
    )


def children_chart(view: Overview, figure: figures.Figure) -> charts.Chart | None:
    if not view.children:
        return None
    return charts.bar(
        _("%(label)s · 按单位", label=figure.label),
        [c.name for c in view.children],
        {str(figure.label): _plain([figure.by_child.get(c.id, 0) for c in view.children])},
    )


def _plain(values) -> list[float | int]:
    return [v if isinstance(v, int) else float(v) for v in values]
