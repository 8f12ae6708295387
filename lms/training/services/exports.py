"""Spreadsheet exports of people's attendance: what each holds, who may take it, and the
audit entry every export of personal data leaves (who, what, which scope, how many rows).

The services answer a ``Table``; the pages write it with ``lms.core.tabular``, which writes
every cell as text and neutralises formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from lms.accounts.models import Organization, User
from lms.audit import services as audit
from lms.extensions import db
from lms.timeutil import to_local
from lms.training.labels import label
from lms.training.models import ClassSession, TrainingClass
from lms.training.services.attendance import attendance_grid
from lms.training.services.reports import class_matrix, organization_summary, worker_history

__all__ = [
    "Table",
    "export_attendance",
    "export_history",
    "export_matrix",
    "export_summary",
]


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.0f}%"


def _record(actor: User, what: str, organization_id: int | None, table: Table) -> Table:
    audit.record(
        actor,
        "export",
        what,
        None,
        organization_id=organization_id,
        after={"rows": len(table.rows), "title": table.title},
        summary=_("导出“%(t)s”，%(n)d 行", t=table.title, n=len(table.rows)),
    )
    db.session.commit()
    return table


def export_attendance(actor: User, session: ClassSession) -> Table:
    """One session's marks, person by person."""
    rows = attendance_grid(actor, session)
    headers = [_("工号"), _("姓名"), _("单位"), _("考勤"), _("签到时间"), _("方式")]
    data = []
    for r in rows:
        mark = r.attendance
        data.append(
            [
                r.user.employee_no,
                r.user.name,
                r.user.organization.name,
                label("attendance", mark.status if mark else None),
                to_local(mark.checked_in_at).strftime("%H:%M")
                if mark and mark.checked_in_at
                else "",
                label("method", mark.method if mark else None),
            ]
        )
    title = f"{session.training_class.title}-{to_local(session.starts_at):%Y%m%d}"
    table = Table(title, headers, data)
    return _record(actor, "training_attendance", session.training_class.organization_id, table)


def export_matrix(actor: User, training_class: TrainingClass) -> Table:
    """The class's people × sessions with each person's rate."""
    data = class_matrix(actor, training_class)
    headers = [_("工号"), _("姓名"), _("单位")]
    headers += [to_local(s.starts_at).strftime("%m-%d %H:%M") for s in data.sessions]
    headers += [_("出勤率")]
    rows = [
        [r.user.employee_no, r.user.name, r.user.organization.name]
        + [label("attendance", c) for c in r.cells]
        + [_percent(r.rate)]
        for r in data.rows
    ]
    table = Table(_("%(t)s 考勤汇总", t=training_class.title), headers, rows)
    return _record(actor, "training_matrix", training_class.organization_id, table)


def export_history(actor: User, user: User) -> Table:
    """One person's attendance across classes."""
    rows = [
        [
            to_local(s.starts_at).strftime("%Y-%m-%d %H:%M"),
            k.title,
            label("attendance", a.status),
            to_local(a.checked_in_at).strftime("%H:%M") if a.checked_in_at else "",
        ]
        for a, s, k in worker_history(actor, user)
    ]
    headers = [_("日期"), _("培训班"), _("考勤"), _("签到时间")]
    table = Table(_("%(n)s 培训记录", n=user.name), headers, rows)
    return _record(actor, "training_history", user.organization_id, table)


def export_summary(actor: User, organization: Organization, start: date, end: date) -> Table:
    """The summary per organization, with a total row (figures only, no names of people)."""
    rows, total = organization_summary(actor, organization, start, end)
    headers = [
        _("单位"),
        _("培训班数"),
        _("课次"),
        _("人次"),
        _("课时（小时）"),
        _("人·小时"),
        _("出勤率"),
    ]
    data = [
        [
            r.organization.name,
            r.classes,
            r.sessions,
            r.person_times,
            round(r.hours, 1),
            round(r.person_hours, 1),
            _percent(r.rate),
        ]
        for r in [*rows, total]
    ]
    data[-1][0] = _("合计")
    return Table(_("培训统计"), headers, data)
