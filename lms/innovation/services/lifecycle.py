"""A named studio's life after naming: the annual appraisal against its plan (the projects of
the year counted from the items linked to the studio, never typed; at least one a year by
default), and reconfirmation a set number of years after naming or the last reconfirmation
(three by default), allowed only when the latest appraisal passed. Revocation with a reason
is in ``studios``."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.audit.services import record
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import Innovation, Stage, Studio, StudioStatus
from lms.innovation.models_awards import StudioAppraisal
from lms.innovation.services.common import now, transaction
from lms.innovation.services.studios import can_manage
from lms.timeutil import local_datetime, to_local


def required_projects() -> int:
    return int(current_app.config.get("INNOVATION_STUDIO_PROJECTS_PER_YEAR", 1))


def reconfirm_years() -> int:
    return int(current_app.config.get("INNOVATION_STUDIO_RECONFIRM_YEARS", 3))


def projects_in(studio: Studio, year: int) -> int:
    """The studio's items submitted in the year (Beijing time), opinions and merged
    duplicates not counted."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Innovation.id)).where(
                Innovation.studio_id == studio.id,
                Innovation.submitted_at >= local_datetime(date(year, 1, 1)),
                Innovation.submitted_at < local_datetime(date(year + 1, 1, 1)),
                Innovation.stage.not_in([Stage.opinion, Stage.merged]),
            )
        )
        or 0
    )


def appraisals(studio: Studio) -> list[StudioAppraisal]:
    return list(
        db.session.scalars(
            sa.select(StudioAppraisal)
            .where(StudioAppraisal.studio_id == studio.id)
            .order_by(StudioAppraisal.year.desc())
        )
    )


def reconfirm_due(studio: Studio) -> datetime | None:
    if studio.status != StudioStatus.named or studio.confirmed_at is None:
        return None
    at = to_local(studio.confirmed_at)
    try:
        return at.replace(year=at.year + reconfirm_years())
    except ValueError:  # 29 February
        return at.replace(year=at.year + reconfirm_years(), day=28)


def _manageable(actor: User, studio: Studio) -> None:
    if not can_manage(actor, studio):
        raise NotFound()
    if studio.status != StudioStatus.named:
        raise Conflict(_("只有已命名的工作室才能考核或复核。"))


@transaction
def appraise(actor: User, studio: Studio, year: int, note: str | None = None) -> StudioAppraisal:
    """The year's appraisal, once per year, for a year already begun."""
    _manageable(actor, studio)
    year = int(year)
    if year > to_local(now()).year or year < 2000:
        raise Invalid(errors={"year": [_("只能考核已经开始的年度。")]})
    projects = projects_in(studio, year)
    required = required_projects()
    row = StudioAppraisal(
        studio_id=studio.id,
        year=year,
        projects=projects,
        required=required,
        passed=projects >= required,
        note=(note or "").strip()[:500] or None,
        appraised_by_id=actor.id,
        appraised_at=now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("%(year)d 年度已考核过。", year=year)) from None
    record(
        actor,
        "innovation.studio_appraisal",
        "studio",
        studio.id,
        organization_id=studio.organization_id,
        after={"year": year, "projects": projects, "required": required, "passed": row.passed},
        summary=_("工作室年度考核：%(name)s", name=studio.name),
    )
    return row


@transaction
def reconfirm(actor: User, studio: Studio) -> Studio:
    """Reconfirm the naming when it is due and the latest appraisal passed (otherwise the
    officer revokes it with a reason)."""
    _manageable(actor, studio)
    due = reconfirm_due(studio)
    if due is not None and to_local(now()) < due:
        raise Conflict(_("复核时间未到：%(date)s 后复核。", date=due.date().isoformat()))
    latest = next(iter(appraisals(studio)), None)
    if latest is None or not latest.passed:
        raise Conflict(_("最近一次年度考核未通过或尚未考核，不能复核；请先考核，或撤销命名。"))
    before = studio.confirmed_at
    studio.confirmed_at = now()
    db.session.flush()
    record(
        actor,
        "innovation.studio_reconfirm",
        "studio",
        studio.id,
        organization_id=studio.organization_id,
        before={"confirmed_at": before.isoformat() if before else None},
        after={"confirmed_at": studio.confirmed_at.isoformat()},
        summary=_("工作室复核：%(name)s", name=studio.name),
    )
    return studio
