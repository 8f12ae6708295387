"""What mentors, apprentices and officers see at a glance: the dashboards, the export of
pairings, and the quiet-pairing rule (no log for N days) with its hourly signal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from lms import signals
from lms.accounts import scope
from lms.accounts.masking import mask_mobile
from lms.accounts.models import User
from lms.audit import services as audit
from lms.core.tabular import xlsx_bytes
from lms.extensions import db
from lms.mentorship import models
from lms.mentorship.labels import STATUS_LABELS, label
from lms.mentorship.models import OPEN_STATUSES, LogStatus, MentorLog, Mentorship, Resolution
from lms.mentorship.services.access import (
    MentorshipFilter,
    local_today,
    mentorships_query,
    page_path,
)

S = models.MentorshipStatus


# --- dashboards ------------------------------------------------------------------------------


def _month_start(today: date) -> date:
    return today.replace(day=1)


def _counted_condition():
    return sa.or_(
        MentorLog.status == LogStatus.confirmed,
        sa.and_(MentorLog.status == LogStatus.resolved, MentorLog.resolution == Resolution.upheld),
    )


@dataclass
class ApprenticeRow:
    mentorship: Mentorship
    month_minutes: int = 0
    month_confirmed_minutes: int = 0
    waiting: int = 0
    last_log: date | None = None
    idle: bool = False


def mentor_dashboard(mentor: User, idle_days: int = 14) -> dict:
    """What a mentor sees: apprentices, this month's hours, logs waiting, quiet apprentices.

    A fixed number of queries whatever the number of apprentices and logs.
    """
    today = local_today()
    month_start = _month_start(today)
    mentorships = db.session.scalars(
        sa.select(Mentorship)
        .where(Mentorship.mentor_id == mentor.id, Mentorship.status.in_(OPEN_STATUSES))
        .options(
            joinedload(Mentorship.apprentice).lazyload(User.role_rows),
            joinedload(Mentorship.programme),
        )
        .order_by(Mentorship.start_date, Mentorship.id)
    ).all()
    rows = {m.id: ApprenticeRow(m) for m in mentorships}
    if rows:
        in_month = MentorLog.session_date >= month_start
        stats = db.session.execute(
            sa.select(
                MentorLog.mentorship_id,
                sa.func.coalesce(sa.func.sum(sa.case((in_month, MentorLog.minutes), else_=0)), 0),
                sa.func.coalesce(
                    sa.func.sum(
                        sa.case(
                            (sa.and_(in_month, _counted_condition()), MentorLog.minutes), else_=0
                        )
                    ),
                    0,
                ),
                sa.func.coalesce(
                    sa.func.sum(sa.case((MentorLog.status == LogStatus.submitted, 1), else_=0)), 0
                ),
                sa.func.max(MentorLog.session_date),
            )
            .where(MentorLog.mentorship_id.in_(list(rows)))
            .group_by(MentorLog.mentorship_id)
        ).all()
        for mentorship_id, month, month_confirmed, waiting, last in stats:
            row = rows[mentorship_id]
            row.month_minutes, row.month_confirmed_minutes = month, month_confirmed
            row.waiting, row.last_log = waiting, last
    cutoff = today - timedelta(days=idle_days)
    for row in rows.values():
        since = row.last_log or row.mentorship.start_date
        row.idle = row.mentorship.status == S.active and since < cutoff
    waiting_logs = db.session.scalars(
        sa.select(MentorLog)
        .where(
            MentorLog.mentor_id == mentor.id,
            MentorLog.status.in_([LogStatus.submitted, LogStatus.disputed]),
        )
        .options(
            joinedload(MentorLog.mentorship)
            .joinedload(Mentorship.apprentice)
            .lazyload(User.role_rows)
        )
        .order_by(MentorLog.session_date.desc(), MentorLog.id.desc())
        .limit(20)
    ).all()
    all_rows = list(rows.values())
    return {
        "rows": all_rows,
        "active": [r for r in all_rows if r.mentorship.status == S.active],
        "proposed": [r for r in all_rows if r.mentorship.status == S.proposed],
        "month_hours": round(sum(r.month_minutes for r in all_rows) / 60, 1),
        "month_confirmed_hours": round(sum(r.month_confirmed_minutes for r in all_rows) / 60, 1),
        "waiting_logs": waiting_logs,
        "idle": [r for r in all_rows if r.idle],
        "idle_days": idle_days,
    }


def apprentice_dashboard(user: User) -> dict:
    """What an apprentice sees: their mentor(s), goals, confirmed hours, logs to confirm."""
    mentorships = db.session.scalars(
        sa.select(Mentorship)
        .where(Mentorship.apprentice_id == user.id)
        .options(
            joinedload(Mentorship.mentor).lazyload(User.role_rows),
            joinedload(Mentorship.programme),
            selectinload(Mentorship.goals),
        )
        .order_by(Mentorship.id.desc())
    ).all()
    to_confirm = db.session.scalars(
        sa.select(MentorLog)
        .join(Mentorship, MentorLog.mentorship_id == Mentorship.id)
        .where(Mentorship.apprentice_id == user.id, MentorLog.status == LogStatus.submitted)
        .options(selectinload(MentorLog.attachments))
        .order_by(MentorLog.session_date.desc(), MentorLog.id.desc())
    ).all()
    open_ones = [m for m in mentorships if m.is_open]
    return {
        "current": open_ones,
        "past": [m for m in mentorships if not m.is_open],
        "confirmed_hours": round(sum(m.confirmed_minutes for m in mentorships) / 60, 1),
        "to_confirm": to_confirm,
    }


def export_rows(actor: User, filters: MentorshipFilter | None = None):
    """The pairings the officer may see, one list per row (mobiles masked)."""
    scope.require_officer(actor)
    stmt = mentorships_query(actor, filters).options(joinedload(Mentorship.organization))
    for m in db.session.scalars(stmt).unique():
        yield [
            m.id,
            m.programme.name if m.programme else "",
            m.mentor.name,
            m.mentor.employee_no,
            mask_mobile(m.mentor.mobile),
            m.apprentice.name,
            m.apprentice.employee_no,
            mask_mobile(m.apprentice.mobile),
            m.organization.name,
            label(STATUS_LABELS, m.status),
            m.start_date.isoformat(),
            m.planned_end.isoformat(),
            m.confirmed_hours,
            _("是") if m.early_graduation else "",
            m.graduation_approved_at.date().isoformat() if m.graduation_approved_at else "",
        ]


EXPORT_HEADERS = [
    _l("编号"),
    _l("带徒项目"),
    _l("师傅"),
    _l("师傅工号"),
    _l("师傅手机号"),
    _l("徒弟"),
    _l("徒弟工号"),
    _l("徒弟手机号"),
    _l("徒弟单位"),
    _l("状态"),
    _l("开始日期"),
    _l("计划出师日期"),
    _l("已确认学时"),
    _l("提前出师"),
    _l("出师审批日期"),
]


def export_xlsx(actor: User, filters: MentorshipFilter | None = None) -> bytes:
    """The filtered pairings as a spreadsheet; the export of personal data is audited."""
    rows = list(export_rows(actor, filters))
    data = xlsx_bytes(_("师徒结对"), [str(h) for h in EXPORT_HEADERS], rows)
    audit.record(
        actor,
        "export",
        "mentorships",
        None,
        organization_id=actor.organization_id,
        after={"rows": len(rows)},
        summary=f"mentorships.xlsx: {len(rows)} rows",
    )
    db.session.commit()
    return data


def quiet_mentorships(idle_days: int, today: date | None = None) -> list[tuple[Mentorship, date]]:
    """Active pairings with no log for ``idle_days``: the pairing and the day it went quiet.

    One query, for the reminder scan; the mentor dashboard shows the same rule per mentor.
    """
    today = today or local_today()
    last_log = (
        sa.select(MentorLog.mentorship_id, sa.func.max(MentorLog.session_date).label("last"))
        .group_by(MentorLog.mentorship_id)
        .subquery()
    )
    since = sa.func.coalesce(last_log.c.last, Mentorship.start_date)
    rows = db.session.execute(
        sa.select(Mentorship, since)
        .outerjoin(last_log, last_log.c.mentorship_id == Mentorship.id)
        .where(Mentorship.status == S.active, since < today - timedelta(days=idle_days))
        .options(joinedload(Mentorship.apprentice).lazyload(User.role_rows))
    ).all()
    return [(mentorship, quiet_since) for mentorship, quiet_since in rows]


def announce_quiet_pairings(today: date | None = None) -> int:
    """The hourly scan: ``mentorship_quiet`` for each active pairing with no log for
    ``MENTOR_QUIET_DAYS``; notifications reminds the mentor once per quiet spell."""
    idle_days = current_app.config["MENTOR_QUIET_DAYS"]
    quiet = quiet_mentorships(idle_days, today)
    for mentorship, since in quiet:
        signals.emit(
            signals.mentorship_quiet,
            mentorship_id=mentorship.id,
            mentor_id=mentorship.mentor_id,
            apprentice_id=mentorship.apprentice_id,
            quiet_since=since,
            idle_days=idle_days,
            url=page_path(
                "mentorship.detail", f"/mentorships/{mentorship.id}", mentorship_id=mentorship.id
            ),
        )
    db.session.commit()
    return len(quiet)
