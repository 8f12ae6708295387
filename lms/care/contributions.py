"""What care contributes to a person's growth record (care received: visible to the person
only, never to officers or the public) and to the five-links overview (care cases, visits,
check-ups, recuperation person-times, help paid). Fixed number of queries, whatever the data.
The overview shows counts only: no person's name, need or amount leaves the care files."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from lms.accounts.models import Organization
from lms.care.models import (
    CareCase,
    Checkup,
    CheckupBatch,
    HelpPayment,
    Nomination,
    NominationStatus,
    Trip,
    Visit,
    VisitStatus,
)
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    if audience != "self":  # care received is the person's own business
        return []
    url = url_for("care.my_file")
    entries = [
        growth.Entry(
            "service", "care_case", _("关爱帮扶：%(t)s", t=title), opened_on, url=url, private=True
        )
        for title, opened_on in db.session.execute(
            sa.select(CareCase.title, CareCase.opened_on).where(
                CareCase.person_id == user_id, CareCase.internal.is_(False)
            )
        )
    ]
    entries += [
        growth.Entry("service", "care_visit", _("走访慰问"), visited_on, url=url, private=True)
        for (visited_on,) in db.session.execute(
            sa.select(Visit.visited_on).where(
                Visit.person_id == user_id,
                Visit.status == VisitStatus.done,
                Visit.internal.is_(False),
                Visit.visited_on.is_not(None),
            )
        )
    ]
    entries += [
        growth.Entry(
            "service",
            "care_checkup",
            _("健康体检：%(n)s", n=name),
            attended_on,
            url=url,
            private=True,
        )
        for name, attended_on in db.session.execute(
            sa.select(CheckupBatch.name, Checkup.attended_on)
            .join(CheckupBatch, CheckupBatch.id == Checkup.batch_id)
            .where(Checkup.person_id == user_id, Checkup.attended_on.is_not(None))
        )
    ]
    entries += [
        growth.Entry(
            "service",
            "care_trip",
            _("疗休养：%(n)s", n=name),
            starts_on,
            detail=place,
            url=url,
            private=True,
        )
        for name, place, starts_on in db.session.execute(
            sa.select(Trip.name, Trip.place, Trip.starts_on)
            .join(Nomination, Nomination.trip_id == Trip.id)
            .where(
                Nomination.person_id == user_id,
                Nomination.status == NominationStatus.approved,
                Nomination.attended.is_not(False),
            )
        )
    ]
    return entries


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    org = Organization
    cases = tally(
        q,
        sa.func.count(CareCase.id),
        day=CareCase.opened_on,
        path=org.path,
        select_from=sa.join(CareCase, org, org.id == CareCase.organization_id),
    )
    visits = tally(
        q,
        sa.func.count(Visit.id),
        day=Visit.visited_on,
        path=org.path,
        select_from=sa.join(Visit, org, org.id == Visit.organization_id),
        where=[Visit.status == VisitStatus.done],
    )
    checkups = tally(
        q,
        sa.func.count(Checkup.id),
        day=Checkup.attended_on,
        path=org.path,
        select_from=sa.join(Checkup, CheckupBatch, CheckupBatch.id == Checkup.batch_id).join(
            org, org.id == CheckupBatch.organization_id
        ),
    )
    trips = tally(
        q,
        sa.func.count(Nomination.id),
        day=Trip.starts_on,
        path=org.path,
        select_from=sa.join(Nomination, Trip, Trip.id == Nomination.trip_id).join(
            org, org.id == Nomination.organization_id
        ),
        where=[Nomination.status == NominationStatus.approved, Nomination.attended.is_not(False)],
    )
    paid = tally(
        q,
        sa.func.sum(HelpPayment.amount),
        day=HelpPayment.paid_on,
        path=org.path,
        select_from=sa.join(HelpPayment, org, org.id == HelpPayment.organization_id),
    )
    F = figures.Figure
    return [
        F(
            "service",
            "care.cases",
            _("帮扶个案"),
            cases.total,
            _("件"),
            url_for("care.cases"),
            cases.by_month,
            cases.by_child,
            order=20,
        ),
        F(
            "service",
            "care.visits",
            _("走访慰问"),
            visits.total,
            _("人次"),
            url_for("care.visits"),
            visits.by_month,
            visits.by_child,
            order=21,
        ),
        F(
            "service",
            "care.checkups",
            _("健康体检"),
            checkups.total,
            _("人次"),
            url_for("care.checkups"),
            checkups.by_month,
            checkups.by_child,
            order=22,
        ),
        F(
            "service",
            "care.recuperation",
            _("疗休养"),
            trips.total,
            _("人次"),
            url_for("care.trips"),
            trips.by_month,
            trips.by_child,
            order=23,
        ),
        F(
            "service",
            "care.help_paid",
            _("帮扶资金"),
            paid.total,
            _("元"),
            None,
            paid.by_month,
            paid.by_child,
            order=24,
        ),
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
