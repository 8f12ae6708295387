"""Helpers shared by HTML pages: paging and query-string parsing."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination

from lms.extensions import db


def int_arg(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


def paginate(stmt: sa.Select, per_page: int = 20) -> Pagination:
    """One page of a query, page number from ``?page=``; never an error for a bad number."""
    page = max(1, int_arg("page", 1) or 1)
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)
