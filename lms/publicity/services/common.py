"""Who does what in publicity, and small helpers the services share.

- **Editors** write stories and record media coverage: officers (and admins) for the
  organizations in their subtree.
- **Reviewers** publish, send back and withdraw stories and keep the columns: admins and
  officers of the federation (an organization of kind ``federation``), over their subtree.
- **The person concerned** (a story's subject, or a team's representative) reads the stories
  about them and confirms (or takes back) their consent; nothing is public without it.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, OrgKind, User
from lms.db import is_postgres, utcnow
from lms.errors import Forbidden
from lms.extensions import db


def local_today() -> date:
    from lms.timeutil import to_local

    return to_local(utcnow()).date()


def clean(value: str | None, limit: int) -> str | None:
    text = (value or "").strip()
    return text[:limit] or None


def load(model, row_id: int, *, lock: bool = False):
    """One row by id; with ``lock``, fresh from the database and locked until commit."""
    stmt = sa.select(model).where(model.id == row_id)
    if lock:
        stmt = stmt.execution_options(populate_existing=True)
        if is_postgres(db.session):
            stmt = stmt.with_for_update(of=model)
    return db.session.scalar(stmt)


class Prefixed:
    """A stream whose first bytes were already read to check the file's kind."""

    def __init__(self, head: bytes, rest):
        self.head, self.rest = head, rest

    def read(self, size: int = -1) -> bytes:
        if self.head:
            chunk, self.head = self.head, b""
            return chunk
        return self.rest.read(size)


def is_editor(actor: User | None) -> bool:
    return scope.is_admin(actor) or scope.is_officer(actor)


def require_editor(actor: User) -> None:
    if not is_editor(actor):
        raise Forbidden(_("只有培训专员（宣传编辑）可以撰写事迹和登记媒体报道。"))


def edits(actor: User, organization: Organization) -> bool:
    """Whether the actor edits for ``organization`` (an officer of its subtree, or an admin)."""
    return is_editor(actor) and scope.org_in_scope(actor, organization)


def is_reviewer(actor: User | None) -> bool:
    if scope.is_admin(actor):
        return True
    return scope.is_officer(actor) and actor.organization.kind == OrgKind.federation


def require_reviewer(actor: User) -> None:
    if not is_reviewer(actor):
        raise Forbidden(_("只有总工会的培训专员或管理员可以审核事迹、管理专栏。"))


def reviews(actor: User, organization: Organization) -> bool:
    return is_reviewer(actor) and scope.org_in_scope(actor, organization)


def people_by_employee_no(actor: User, numbers: str | list[str], field: str) -> list[User]:
    """People in the actor's scope by employee number; an unknown or out-of-scope number is a
    field error naming it."""
    from lms.errors import Invalid

    if isinstance(numbers, str):
        numbers = [n for n in (p.strip() for p in numbers.replace("，", ",").split(",")) if n]
    numbers = list(dict.fromkeys(numbers))[:50]
    if not numbers:
        return []
    found = {
        u.employee_no: u
        for u in db.session.scalars(sa.select(User).where(User.employee_no.in_(numbers)))
    }
    missing = [
        n for n in numbers if n not in found or not scope.org_in_scope(actor, found[n].organization)
    ]
    if missing:
        raise Invalid(
            errors={
                field: [
                    _(
                        "找不到您所辖范围内工号为 %(nos)s 的人员，请核对工号。",
                        nos="、".join(missing),
                    )
                ]
            }
        )
    return [found[n] for n in numbers]


def people_missing_message() -> str:
    return _("找不到这个人。请核对编号，事迹主人公和报道涉及的人员须在您所辖单位范围内。")


def column_missing_message() -> str:
    return _("找不到这个专栏。请从现有专栏中选择。")
