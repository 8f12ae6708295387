"""Helpers shared by HTML pages: paging and query-string parsing."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from flask import request

from lms.extensions import db


def int_arg(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


@dataclass(frozen=True)
class Page:
    """One page of a list, with what the paging links need."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def __iter__(self):
        return iter(self.items)


def paginate(stmt: sa.Select, per_page: int = 20) -> Page:
    """One page of a query, page number from ``?page=``; never an error for a bad number.

    One row more than a page holds is read: on the last page that tells the total, so the
    count query runs only when more pages follow — most lists fit on one page.
    """
    per_page = min(per_page, 100)
    page = max(1, int_arg("page", 1) or 1)
    offset = (page - 1) * per_page
    rows = list(db.session.execute(stmt.limit(per_page + 1).offset(offset)).unique().scalars())
    items = rows[:per_page]
    if len(rows) <= per_page and (items or page == 1):
        total = offset + len(items)
    else:
        counted = stmt.order_by(None).subquery()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(counted))
    return Page(items=items, page=page, per_page=per_page, total=total)
