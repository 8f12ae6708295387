"""Care reports for an organization's subtree and a period (a year, or a run of years):
people served by need, by kind of help and by honour level, amounts by kind and year, open
cases and overdue follow-ups, check-ups done, recuperation trips and study tours.
A fixed number of grouped queries, whatever the size of the data. The export writes names
masked (the figures need no personal data) and is audited as an export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.masking import mask_name
from lms.accounts.models import Honor, HonorLevel, Organization, User
from lms.audit.services import record
from lms.care import labels
from lms.care.models import (
    CareCase,
    CaseStatus,
    CaseStep,
    Checkup,
    CheckupBatch,
    HelpPayment,
    Nomination,
    NominationStatus,
    Trip,
    TripKind,
)
from lms.care.services.access import covers, require_care_team, scope_condition
from lms.care.services.common import local_today
from lms.errors import Invalid, NotFound
from lms.extensions import db

#: A period's longest span in years.
MAX_YEARS = 10


@dataclass
class CareReport:
    year: int
    organization: Organization | None
    from_year: int = 0  # the period is from_year … year
    served: dict = field(default_factory=dict)  # (need, level) -> people
    amounts: dict = field(default_factory=dict)  # kind -> (count, total)
    amounts_by_year: list = field(default_factory=list)  # (year, kind, total)
    open_cases: int = 0
    overdue: list = field(default_factory=list)  # (case, step, person name)
    served_by_kind: dict = field(default_factory=dict)  # (help kind, level) -> people paid
    checkups: tuple = (0, 0)  # (on batches, done)
    trips: tuple = (0, 0)  # (approved, attended), both kinds
    trips_by_kind: dict = field(default_factory=dict)  # kind -> (approved, attended)

    @property
    def years(self) -> list[int]:
        return list(range(self.from_year, self.year + 1))

    @property
    def period(self) -> str:
        if self.from_year == self.year:
            return str(self.year)
        return f"{self.from_year}–{self.year}"

    @property
    def total_amount(self) -> Decimal:
        return sum((total for _c, total in self.amounts.values()), Decimal("0"))


def _where(actor: User, organization: Organization | None):
    condition = scope_condition(actor)
    if organization is not None:
        condition = sa.and_(condition, Organization.path.startswith(organization.path))
    return condition


_RANKED = (HonorLevel.enterprise, HonorLevel.city, HonorLevel.provincial, HonorLevel.national)


def _people_by_level(pairs) -> dict:
    """``pairs``: a subquery of distinct (person_id, key). People counted per key and their
    highest honour level, in one grouped statement: the levels come from one aggregate over
    the honours (not a lookup per row), so the cost follows the data, not rows × honours."""
    rank = sa.case(
        (Honor.level == HonorLevel.national, 3),
        (Honor.level == HonorLevel.provincial, 2),
        (Honor.level == HonorLevel.city, 1),
        else_=0,
    )
    levels = (
        sa.select(Honor.user_id, sa.func.max(rank).label("rank")).group_by(Honor.user_id).subquery()
    )
    rows = db.session.execute(
        sa.select(pairs.c.key, levels.c.rank, sa.func.count())
        .select_from(pairs.outerjoin(levels, levels.c.user_id == pairs.c.person_id))
        .group_by(pairs.c.key, levels.c.rank)
    )
    return {(key, _RANKED[r] if r is not None else None): n for key, r, n in rows}


def _period(year: int | None, from_year: int | None) -> tuple[int, int]:
    year = year or local_today().year
    from_year = from_year or year
    if not 2000 <= from_year <= year <= 2100:
        raise Invalid(errors={"from_year": [_("起始年度须不晚于截止年度（2000 至 2100 年）。")]})
    if year - from_year + 1 > MAX_YEARS:
        raise Invalid(errors={"from_year": [_("统计期间最长 %(n)d 年。", n=MAX_YEARS)]})
    return from_year, year


def build(
    actor: User,
    year: int | None = None,
    organization_id: int | None = None,
    from_year: int | None = None,
) -> CareReport:
    require_care_team(actor)
    from_year, year = _period(year, from_year)
    organization = None
    if organization_id:
        organization = db.session.get(Organization, organization_id)
        if organization is None or not covers(actor, organization):
            raise NotFound()
    where = _where(actor, organization)
    report = CareReport(year=year, organization=organization, from_year=from_year)
    opened_year = sa.extract("year", CareCase.opened_on)
    report.served = _people_by_level(
        sa.select(CareCase.person_id, CareCase.need.label("key"))
        .distinct()
        .join(Organization, CareCase.organization_id == Organization.id)
        .where(where, opened_year.between(from_year, year))
        .subquery()
    )
    report.served_by_kind = _people_by_level(
        sa.select(HelpPayment.person_id, HelpPayment.kind.label("key"))
        .distinct()
        .join(Organization, HelpPayment.organization_id == Organization.id)
        .where(where, HelpPayment.year.between(from_year, year))
        .subquery()
    )
    for kind, count, total in db.session.execute(
        sa.select(HelpPayment.kind, sa.func.count(HelpPayment.id), sa.func.sum(HelpPayment.amount))
        .join(Organization, HelpPayment.organization_id == Organization.id)
        .where(where, HelpPayment.year.between(from_year, year))
        .group_by(HelpPayment.kind)
    ):
        report.amounts[kind] = (count, Decimal(str(total or 0)).quantize(Decimal("0.01")))
    report.amounts_by_year = [
        (y, k, Decimal(str(t or 0)).quantize(Decimal("0.01")))
        for y, k, t in db.session.execute(
            sa.select(HelpPayment.year, HelpPayment.kind, sa.func.sum(HelpPayment.amount))
            .join(Organization, HelpPayment.organization_id == Organization.id)
            .where(where, HelpPayment.year.between(min(from_year, year - 4), year))
            .group_by(HelpPayment.year, HelpPayment.kind)
            .order_by(HelpPayment.year.desc(), HelpPayment.kind)
        )
    ]
    report.open_cases = db.session.scalar(
        sa.select(sa.func.count(CareCase.id))
        .join(Organization, CareCase.organization_id == Organization.id)
        .where(where, CareCase.status == CaseStatus.open)
    )
    report.overdue = db.session.execute(
        sa.select(CareCase, CaseStep, User.name)
        .join(CaseStep, CaseStep.case_id == CareCase.id)
        .join(Organization, CareCase.organization_id == Organization.id)
        .join(User, CareCase.person_id == User.id)
        .where(
            where,
            CareCase.status == CaseStatus.open,
            CaseStep.done_on.is_(None),
            CaseStep.due_on < local_today(),
        )
        .order_by(CaseStep.due_on)
        .limit(200)
    ).all()
    on_batch, done = db.session.execute(
        sa.select(sa.func.count(Checkup.id), sa.func.count(Checkup.attended_on))
        .join(CheckupBatch, Checkup.batch_id == CheckupBatch.id)
        .join(User, Checkup.person_id == User.id)
        .join(Organization, User.organization_id == Organization.id)
        .where(where, CheckupBatch.year.between(from_year, year))
    ).one()
    report.checkups = (on_batch, done)
    report.trips_by_kind = {kind: (0, 0) for kind in TripKind}
    for kind, approved, attended in db.session.execute(
        sa.select(
            Trip.kind,
            sa.func.count(Nomination.id),
            sa.func.count(sa.case((Nomination.attended.is_(True), 1))),
        )
        .join(Trip, Nomination.trip_id == Trip.id)
        .join(Organization, Nomination.organization_id == Organization.id)
        .where(
            where,
            Nomination.status == NominationStatus.approved,
            sa.extract("year", Trip.starts_on).between(from_year, year),
        )
        .group_by(Trip.kind)
    ):
        report.trips_by_kind[TripKind(kind)] = (approved, attended)
    report.trips = (
        sum(a for a, _b in report.trips_by_kind.values()),
        sum(b for _a, b in report.trips_by_kind.values()),
    )
    return report


def export_sheets(actor: User, report: CareReport) -> tuple[list[str], list[list]]:
    """One table for the workbook; writing it is audited as an export of the scope."""
    headers = [_("项目"), _("类别"), _("级别/年度"), _("人数/笔数"), _("金额（元）")]
    rows: list[list] = []
    for (need, level), people in sorted(report.served.items(), key=lambda i: str(i[0])):
        rows.append([_("帮扶人数"), labels.need(need), _level(level), people, ""])
    for (kind, level), people in sorted(report.served_by_kind.items(), key=lambda i: str(i[0])):
        rows.append([_("受助人数"), labels.help_kind(kind), _level(level), people, ""])
    for kind, (count, total) in report.amounts.items():
        rows.append([_("帮扶金额"), labels.help_kind(kind), report.period, count, str(total)])
    for y, kind, total in report.amounts_by_year:
        rows.append([_("历年金额"), labels.help_kind(kind), str(y), "", str(total)])
    rows.append([_("办理中帮扶"), "", "", report.open_cases, ""])
    for _case, step, name in report.overdue:
        rows.append([_("逾期待办"), mask_name(name), step.due_on.isoformat(), "", ""])
    rows.append(
        [
            _("体检（已体检/应检）"),
            "",
            report.period,
            f"{report.checkups[1]}/{report.checkups[0]}",
            "",
        ]
    )
    for kind, (approved, attended) in report.trips_by_kind.items():
        rows.append(
            [_("参加/批准"), labels.trip_kind(kind), report.period, f"{attended}/{approved}", ""]
        )
    record(
        actor,
        "export",
        "care_report",
        None,
        organization_id=report.organization.id if report.organization else actor.organization_id,
        after={"rows": len(rows), "from_year": report.from_year, "year": report.year},
        summary=_("关爱服务统计 %(y)s", y=report.period),
    )
    db.session.commit()
    return headers, rows


def _level(level) -> str:
    from lms.accounts.labels import HONOR_LEVEL_LABELS

    for key, text in HONOR_LEVEL_LABELS.items():
        if key == level or key.value == level:
            return str(text)
    return "—"


def overdue_count(actor: User, today: date | None = None) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(CaseStep.id))
        .join(CareCase, CaseStep.case_id == CareCase.id)
        .join(Organization, CareCase.organization_id == Organization.id)
        .where(
            scope_condition(actor),
            CareCase.status == CaseStatus.open,
            CaseStep.done_on.is_(None),
            CaseStep.due_on < (today or local_today()),
        )
    )
