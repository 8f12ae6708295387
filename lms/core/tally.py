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


def _child_of(path_column, q: Query):
    if not q.children:
        return sa.literal(None, sa.Integer)
    return sa.case(
        *[
            (path_column.startswith(path, autoescape=True), child_id)
            for child_id, path in q.children.items()
        ],
        else_=sa.literal(None, sa.Integer),
    )


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

    ``distinct``: ``value`` counts distinct people, so the total, the months and the children
    are three statements; otherwise one statement grouped by month and child. ``by_month``
    False (or ``day`` None) for figures that have no month (a year's honours).
    """
    if day is None:  # the caller's ``where`` holds the period (a year's honours)
        by_month = False
    conditions = [in_subtree(path, q), *where]
    if day is not None:
        conditions.append(in_period(day, q))
    month = local_month(day) if by_month else sa.literal("", sa.String)
    child = _child_of(path, q)

    def run(*groups):
        statement = sa.select(*groups, value)
        if select_from is not None:
            statement = statement.select_from(select_from)
        statement = statement.where(*conditions)
        if groups:
            statement = statement.group_by(*groups)
        return db.session.execute(statement).all()

    found = _distinct(run, month, child, q, by_month) if distinct else _summed(run, month, child)
    if by_month:
        found.by_month = {m: found.by_month.get(m, 0) for m in months(q.start, q.end)}
    else:
        found.by_month = {}
    if q.children:
        found.by_child = {c: found.by_child.get(c, 0) for c in q.children}
    return found


def _distinct(run, month, child, q: Query, by_month: bool) -> Tally:
    found = Tally(total=_number(run()[0][-1]))
    if by_month:
        found.by_month = {m: _number(v) for m, v in run(month.label("m"))}
    if q.children:
        found.by_child = {c: _number(v) for c, v in run(child.label("c")) if c is not None}
    return found


def _summed(run, month, child) -> Tally:
    found = Tally()
    total = 0
    for m, c, v in run(month.label("m"), child.label("c")):
        v = _number(v)
        total += v
        found.by_month[m] = found.by_month.get(m, 0) + v
        if c is not None:
            found.by_child[c] = found.by_child.get(c, 0) + v
    found.total = _number(total)
    return found


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
