"""Study tours (学习考察): the trip machinery's second kind. After a tour its participants
attach reports of what they learned — a text, a file through ``lms.core.storage``, or both.

Who reads a tour's reports: its participants (approved, not marked absent), the care team
that organises it and the care officers of the units that nominated people to it. Only a
participant writes one, once the tour has ended.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.audit.services import record
from lms.care.models import Nomination, NominationStatus, Trip, TripKind, TripReport
from lms.care.services.access import is_care_team
from lms.care.services.common import clean, local_today
from lms.care.services.trips import get_trip
from lms.core import storage
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db

#: A report file's largest size (bytes) and the kinds accepted.
MAX_REPORT_BYTES = 20 * 1024 * 1024
REPORT_TYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "image/jpeg",
    "image/png",
    "text/plain",
}
#: Reports one participant may attach to one tour.
MAX_REPORTS_EACH = 5


@dataclass
class Upload:
    filename: str
    content_type: str | None
    data: bytes


def _participation(person: User, trip: Trip) -> Nomination | None:
    return db.session.scalar(
        sa.select(Nomination).where(
            Nomination.trip_id == trip.id,
            Nomination.person_id == person.id,
            Nomination.status == NominationStatus.approved,
            Nomination.attended.isnot(False),
        )
    )


def get_tour(actor: User, trip_id: int) -> tuple[Trip, Nomination | None]:
    """A study tour the actor may read reports of, and the actor's own place on it."""
    trip = db.session.get(Trip, trip_id)
    if trip is None or trip.kind != TripKind.study_tour:
        raise NotFound()
    mine = _participation(actor, trip)
    if mine is None:
        if not is_care_team(actor):
            raise NotFound()
        trip = get_trip(actor, trip_id)  # the organisers and the nominating units
    return trip, mine


def reports_query(actor: User, trip: Trip) -> sa.Select:
    trip, _mine = get_tour(actor, trip.id)
    return (
        sa.select(TripReport)
        .where(TripReport.trip_id == trip.id)
        .options(selectinload(TripReport.person))
        .order_by(TripReport.created_at.desc(), TripReport.id.desc())
    )


def may_report(actor: User, trip: Trip) -> bool:
    return (
        trip.kind == TripKind.study_tour
        and trip.ends_on <= local_today()
        and _participation(actor, trip) is not None
    )


def _checked_file(upload: Upload | None) -> tuple[str, str] | None:
    if upload is None or not upload.data:
        return None
    name = clean(upload.filename, 200) or "report"
    content_type = (upload.content_type or "").split(";")[0].strip()
    if content_type in ("", "application/octet-stream"):
        content_type = mimetypes.guess_type(name)[0] or ""
    if content_type not in REPORT_TYPES:
        raise Invalid(
            errors={"file": [_("请上传 PDF、Word、PPT、图片或文本文件（不超过 20 MB）。")]}
        )
    if len(upload.data) > MAX_REPORT_BYTES:
        raise Invalid(errors={"file": [_("文件超过 20 MB，请压缩或拆分后再上传。")]})
    return name, content_type


def add_report(
    actor: User,
    trip: Trip,
    *,
    title: str,
    summary: str | None = None,
    upload: Upload | None = None,
) -> TripReport:
    """A participant attaches what they learned, after the tour."""
    trip, mine = get_tour(actor, trip.id)
    if mine is None:
        raise Forbidden(_("只有参加了这次学习考察的人员可以提交考察报告。"))
    if trip.ends_on > local_today():
        raise Conflict(_("学习考察结束后（%(d)s 起）才能提交报告。", d=trip.ends_on.isoformat()))
    errors: dict = {}
    title = clean(title, 120)
    summary = clean(summary, 20000)
    if not title:
        errors["title"] = [_("请填写报告标题。")]
    try:
        checked = _checked_file(upload)
    except Invalid as exc:
        errors.update(exc.errors)
        checked = None
    if not summary and checked is None and "file" not in errors:
        errors["summary"] = [_("请写下考察收获，或上传报告文件。")]
    if errors:
        raise Invalid(errors=errors)
    count = db.session.scalar(
        sa.select(sa.func.count(TripReport.id)).where(
            TripReport.trip_id == trip.id, TripReport.person_id == actor.id
        )
    )
    if count >= MAX_REPORTS_EACH:
        raise Conflict(_("每人每次考察最多提交 %(n)d 份报告。", n=MAX_REPORTS_EACH))
    report = TripReport(
        trip_id=trip.id, nomination_id=mine.id, person_id=actor.id, title=title, summary=summary
    )
    if checked is not None:
        report.file_key = storage.save(upload.data, max_bytes=MAX_REPORT_BYTES)
        report.file_name, report.file_type = checked
        report.file_size = len(upload.data)
    db.session.add(report)
    db.session.flush()
    record(
        actor,
        "care.tour.report",
        "care_trip_report",
        report.id,
        organization_id=trip.organization_id,
        summary=title,
    )
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.delete(report.file_key)  # nothing half-written
        raise
    return report


def get_report(actor: User, report_id: int) -> TripReport:
    report = db.session.get(TripReport, report_id)
    if report is None:
        raise NotFound()
    get_tour(actor, report.trip_id)
    return report


def tours_of(person: User) -> list[tuple[Trip, int]]:
    """The person's study tours (approved) with how many reports they attached."""
    reports = (
        sa.select(sa.func.count(TripReport.id))
        .where(TripReport.trip_id == Trip.id, TripReport.person_id == person.id)
        .correlate(Trip)
        .scalar_subquery()
    )
    return list(
        db.session.execute(
            sa.select(Trip, reports)
            .join(Nomination, Nomination.trip_id == Trip.id)
            .where(
                Nomination.person_id == person.id,
                Nomination.status == NominationStatus.approved,
                Trip.kind == TripKind.study_tour,
            )
            .order_by(Trip.starts_on.desc())
        ).tuples()
    )
