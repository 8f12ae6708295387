"""Counting for the overview's figures: one GROUP BY per figure, whatever the data.

A figures provider describes what it counts — an aggregate, the day it happened and the
organization path it belongs to — and :func:`tally` answers the total, the months and the
child subtrees of a :class:`lms.core.figures.Query` with one statement (three for a count of
distinct people, whose total is not the sum of its parts). Months are local months: a
timestamp is moved to the installation's zone in SQL, on SQLite and PostgreSQL alike.

    found = tally(q, sa.func.count(Attendance.id), day=ClassSession.starts_at,
                  path=Organization.path, select_from=..., where=[...])
    Figure(..., value=found.total, by_month=found.by_month, by_child=found.by_child)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from lms.core.figures import Number, Query
from lms.extensions import db


class local_month(FunctionElement):  # noqa: N801  (an SQL function's name)
    """``'YYYY-MM'`` of a date, or of a UTC timestamp moved to the installation's zone."""

    type = sa.String()
    inherit_cache = True


def _zone() -> str:
    return current_app.config.get("TIMEZONE", "Asia/Shanghai")


def _is_datetime(column) -> bool:
    return isinstance(column.type, sa.DateTime) or isinstance(
        getattr(column.type, "impl", None), sa.DateTime
    )


@compiles(local_month, "postgresql")
def _pg_month(element, compiler, **kw):
    (column,) = list(element.clauses)
    inner = compiler.process(column, **kw)
    if _is_datetime(column):
        zone = _zone().replace("'", "")
        return f"to_char(({inner}) AT TIME ZONE '{zone}', 'YYYY-MM')"
    return f"to_char({inner}, 'YYYY-MM')"


@compiles(local_month)
def _sqlite_month(element, compiler, **kw):
    (column,) = list(element.clauses)
    inner = compiler.process(column, **kw)
    if _is_datetime(column):
        offset = datetime.now(ZoneInfo(_zone())).utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        return f"strftime('%Y-%m', {inner}, '{minutes:+d} minutes')"
    return f"strftime('%Y-%m', {inner})"


def months(start: date, end: date) -> list[str]:
    """Every ``'YYYY-MM'`` from ``start`` to ``end``, both included."""
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def in_period(column, q: Query):
    """``column`` (a date or a timestamp) within the query's local dates, both included."""
    if _is_datetime(column):
        zone = ZoneInfo(_zone())
        low = datetime(q.start.year, q.start.month, q.start.day, tzinfo=zone)
        after = q.end + timedelta(days=1)
        high = datetime(after.year, after.month, after.day, tzinfo=zone)
        return sa.and_(column >= low, column < high)
    return column.between(q.start, q.end)


def in_subtree(path_column, q: Query):
    return path_column.startswith(q.path, autoescape=True)


@dataclass
class Tally:
    total: Number = 0
    by_month: dict[str, Number] = field(default_factory=dict)
    by_child: dict[int, Number] = field(default_factory=dict)


def _number(value) -> Number:
    if value is None:
        return 0
    return value if not isinstance(value, float) else round(value, 2)


def tally(
    q: Query,
    value,
    *,
    day,
    path,
    select_from=None,
    where=(),
    distinct: bool = False,
    by_month: bool = True,
) -> Tally:
    """Count ``value`` (an aggregate) over rows whose ``day`` is in the period and whose
    organization ``path`` is in the subtree.

    Rows are grouped by month and by organization path in SQL (a few thousand groups at city
    scale) and the paths are folded into the query's child subtrees here, so the database
    never evaluates a condition per child and row. ``distinct``: ``value`` counts distinct
    things that each belong to one organization (people, classes), so the months are a
    statement of their own (a person counts once in the year, once in each month).
    ``by_month`` False (or ``day`` None) for figures that have no month (a year's honours).
    """
    if day is None:  # the caller's ``where`` holds the period (a year's honours)
        by_month = False
    conditions = [in_subtree(path, q), *where]
    if day is not None:
        conditions.append(in_period(day, q))
    month = local_month(day) if by_month else sa.literal("", sa.String)

    def run(*groups):
        statement = sa.select(*groups, value)
        if select_from is not None:
            statement = statement.select_from(select_from)
        return db.session.execute(statement.where(*conditions).group_by(*groups)).all()

    found = Tally()
    children = sorted(q.children.items(), key=lambda item: -len(item[1]))

    def child_of(org_path: str) -> int | None:
        return next((cid for cid, prefix in children if org_path.startswith(prefix)), None)

    if distinct:
        total = _fold(found, run(path.label("p")), child_of, with_month=False)
        if by_month:
            found.by_month = {m: _number(v) for m, v in run(month.label("m"))}
    else:
        total = _fold(found, run(month.label("m"), path.label("p")), child_of, with_month=True)
    found.total = _number(total)
    if by_month:
        found.by_month = {m: found.by_month.get(m, 0) for m in months(q.start, q.end)}
    else:
        found.by_month = {}
    if q.children:
        found.by_child = {c: found.by_child.get(c, 0) for c in q.children}
    return found


def _fold(found: Tally, rows, child_of, *, with_month: bool) -> Number:
    """Add grouped rows ((month,) path, value) into the months and children; the total."""
    total = 0
    for row in rows:
        *keys, v = row
        v = _number(v)
        total += v
        if with_month:
            found.by_month[keys[0]] = found.by_month.get(keys[0], 0) + v
        child = child_of(keys[-1])
        if child is not None:
            found.by_child[child] = found.by_child.get(child, 0) + v
    return total


class seconds_between(FunctionElement):  # noqa: N801  (an SQL function's name)
    """Seconds from the first timestamp to the second, on SQLite and PostgreSQL."""

    type = sa.Float()
    inherit_cache = True


@compiles(seconds_between, "postgresql")
def _pg_seconds(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(seconds_between)
def _sqlite_seconds(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"
