"""Media coverage (媒体报道) and lecture events (宣讲会、座谈会、云宣讲).

A report records an outside outlet's piece about the union's people: outlet, date, title, an
http(s) link or a scan, and the people concerned — so the count of reports is counted, not
typed. Editors record them for their subtree. Lecture events come from the packages that run
them through ``lms.core.events``; this module imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.core import events, storage
from lms.core.urls import clean_http_url
from lms.db import utcnow
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.publicity.models import MediaReport
from lms.publicity.services.common import Prefixed, clean, edits, local_today, require_editor

MAX_SCAN_BYTES = 20 * 1024 * 1024
SCAN_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}


@dataclass
class ReportFilter:
    q: str | None = None
    year: int | None = None


def reports_query(actor: User, filters: ReportFilter | None = None) -> sa.Select:
    require_editor(actor)
    filters = filters or ReportFilter()
    stmt = (
        sa.select(MediaReport)
        .join(Organization, MediaReport.organization_id == Organization.id)
        .where(scope.subtree_condition(actor))
        .options(selectinload(MediaReport.people))
        .order_by(MediaReport.published_on.desc(), MediaReport.id.desc())
    )
    if filters.q:
        stmt = stmt.where(
            sa.or_(MediaReport.title.contains(filters.q), MediaReport.outlet.contains(filters.q))
        )
    if filters.year:
        stmt = stmt.where(
            MediaReport.published_on >= date(filters.year, 1, 1),
            MediaReport.published_on < date(filters.year + 1, 1, 1),
        )
    return stmt


def get_report(actor: User, report_id: int) -> MediaReport:
    report = db.session.get(MediaReport, report_id)
    if report is None or not edits(actor, report.organization):
        raise NotFound()
    return report


def _check_scan(scan, scan_content_type, errors) -> tuple[str, bytes]:
    content_type = (scan_content_type or "").split(";")[0].strip().lower()
    head = b""
    if scan is not None:
        head = scan.read(8)
        magic = SCAN_TYPES.get(content_type)
        if magic is None or not head.startswith(magic):
            errors["scan"] = [_("扫描件只接受 PDF、JPEG 或 PNG 文件。")]
    return content_type, head


def _check_report(actor, outlet, published_on, title, link, people, scan, scan_content_type):
    """The report's fields, cleaned; every problem at once as field errors."""
    errors: dict[str, list] = {}
    outlet, title = clean(outlet, 80), clean(title, 200)
    if not outlet:
        errors["outlet"] = [_("请填写媒体名称，例如“江城日报”。")]
    if not title:
        errors["title"] = [_("请填写报道标题。")]
    if published_on is None:
        errors["published_on"] = [_("请填写报道日期。")]
    elif published_on > local_today():
        errors["published_on"] = [_("报道日期不能晚于今天。")]
    try:
        link = clean_http_url(link) or None
    except ValueError as exc:
        errors["link"] = [str(exc)]
    if not link and scan is None and "link" not in errors:
        errors["link"] = [_("请填写报道链接，或上传报道的扫描件。")]
    if any(not scope.org_in_scope(actor, p.organization) for p in people):
        errors["people"] = [_("报道涉及的人员须在您所辖单位范围内。")]
    content_type, head = _check_scan(scan, scan_content_type, errors)
    if errors:
        raise Invalid(errors=errors)
    return outlet, title, link, content_type, head


def record_report(
    actor: User,
    *,
    outlet: str,
    published_on: date | None,
    title: str,
    link: str | None = None,
    people: list[User] | None = None,
    organization: Organization | None = None,
    scan=None,
    scan_filename: str | None = None,
    scan_content_type: str | None = None,
) -> MediaReport:
    require_editor(actor)
    organization = organization or actor.organization
    if not edits(actor, organization):
        raise NotFound()
    outlet, title, link, content_type, head = _check_report(
        actor, outlet, published_on, title, link, people or [], scan, scan_content_type
    )
    people = people or []
    key = None
    if scan is not None:
        key = storage.save(
            Prefixed(head, scan),
            max_bytes=MAX_SCAN_BYTES,
            too_large_message=_("扫描件最大 20 MB，请压缩后再上传。"),
        )
    report = MediaReport(
        organization=organization,
        outlet=outlet,
        published_on=published_on,
        title=title,
        link=link,
        scan_key=key,
        scan_filename=clean(scan_filename, 200) if key else None,
        scan_content_type=content_type if key else None,
        recorded_by_id=actor.id,
        people=list(people),
    )
    db.session.add(report)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        storage.delete(key)
        raise
    return report


def delete_report(actor: User, report: MediaReport) -> None:
    report = get_report(actor, report.id)
    key = report.scan_key
    db.session.delete(report)
    db.session.commit()
    storage.delete(key)


def report_count(actor: User, year: int) -> int:
    return db.session.scalar(
        reports_query(actor, ReportFilter(year=year))
        .with_only_columns(sa.func.count(MediaReport.id))
        .order_by(None)
    )


# --- lecture events --------------------------------------------------------------------------


def lecture_events(now: datetime | None = None, days: int = 365, limit: int = 20):
    """(upcoming, past) public events contributed by the packages that run them."""
    now = now or utcnow()
    upcoming = events.events_between(now, now + timedelta(days=days), limit)
    past = events.events_between(now - timedelta(days=days), now, 200)[-limit:][::-1]
    return upcoming, past
