"""Helpers shared by HTML pages: paging and query-string parsing."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from lms.extensions import db


def int_arg(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


class _CountingLastPage(SelectPagination):
    """Reads one row more than a page holds. On the last page that tells the total, so
    the count query is only run when more pages follow — most lists fit on one page."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"].limit(self.per_page + 1).offset(self._query_offset)
        rows = list(self._query_args["session"].execute(stmt).unique().scalars())
        self._last_page = len(rows) <= self.per_page
        return rows[: self.per_page]

    def _query_count(self) -> int:
        if self._last_page and (self.items or self.page == 1):
            return self._query_offset + len(self.items)
        return super()._query_count()


def paginate(stmt: sa.Select, per_page: int = 20) -> Pagination:
    """One page of a query, page number from ``?page=``; never an error for a bad number."""
    return _CountingLastPage(
        select=stmt,
        session=db.session(),
        page=max(1, int_arg("page", 1) or 1),
        per_page=per_page,
        max_per_page=100,
        error_out=False,
    )
