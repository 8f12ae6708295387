"""The training blueprint and what its pages share: form plumbing, choices, downloads."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

import sqlalchemy as sa
from flask import Blueprint, Response, flash
from flask_login import current_user

from lms.accounts.models import Role, User, UserRole
from lms.accounts.services import organizations_in_scope
from lms.core import tabular
from lms.errors import DomainError
from lms.extensions import db
from lms.timeutil import local_zone, to_local
from lms.training import labels
from lms.training.services import Table

bp = Blueprint("training", "lms.training", url_prefix="/training", template_folder="templates")


def register_helpers(app) -> None:
    app.jinja_env.globals["training_label"] = labels.label

    @app.template_filter("percent")
    def _percent(value):
        return "—" if value is None else f"{value * 100:.0f}%"


def aware(value: datetime | None) -> datetime | None:
    """A form's local wall-clock time as an aware time."""
    return value.replace(tzinfo=local_zone()) if value else None


def local_input(value: datetime | None) -> datetime | None:
    return to_local(value).replace(tzinfo=None) if value else None


def form_errors(form, exc: DomainError) -> None:
    """Show a service's field messages beside the form's fields, and its message on top."""
    for name, messages in exc.errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + list(messages)
    flash(exc.message, "error")


def mentor_choices() -> list[tuple[int, str]]:
    users = db.session.scalars(
        sa.select(User)
        .where(User.role_rows.any(UserRole.role == Role.mentor), User.active.is_(True))
        .order_by(User.name)
        .limit(500)
    )
    return [(u.id, f"{u.name}（{u.employee_no}）") for u in users]


def org_choices() -> list[tuple[int, str]]:
    return [
        (o.id, "　" * max(0, o.depth) + o.name)
        for o in db.session.scalars(organizations_in_scope(current_user))
    ]


def download(kind: str, table: Table) -> Response:
    """A table as an XLSX or CSV download, written by ``lms.core.tabular``."""
    if kind == "xlsx":
        body = tabular.xlsx_bytes(table.title, table.headers, table.rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = tabular.csv_bytes(table.headers, table.rows)
        mimetype = "text/csv; charset=utf-8"
    filename = quote(f"{table.title}.{kind}")
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


EXPORT_KINDS = ("xlsx", "csv")
