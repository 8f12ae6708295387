"""The audit log listens to what other packages announce and keeps the sensitive part.

Accounts sits below the audit package, so it does not write entries itself: it sends
``account_changed``, ``people_exported`` and ``roles_changed``, and the entries are written
here, in the transaction of the change (the signals are sent before it commits).
"""

from __future__ import annotations

from lms.accounts.models import User
from lms.accounts.signals import account_changed, people_exported
from lms.audit import services
from lms.extensions import db
from lms.signals import roles_changed


def _person(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id is not None else None


def on_account_changed(sender, **change) -> None:
    services.record(
        _person(change["actor_id"]),
        change["action"],
        change["entity_type"],
        change["entity_id"],
        organization_id=change["organization_id"],
        before=change["before"],
        after=change["after"],
        summary=change["summary"],
    )


def on_roles_changed(sender, *, user_id, actor_id, roles_before, roles_after, **_extra) -> None:
    user = _person(user_id)
    services.record(
        _person(actor_id),
        "user.roles",
        "user",
        user_id,
        organization_id=user.organization_id if user else None,
        before={"roles": list(roles_before)},
        after={"roles": list(roles_after)},
        summary=f"{user.name if user else user_id}: "
        f"{','.join(roles_before)} → {','.join(roles_after)}",
    )


def on_people_exported(sender, *, actor_id, what, organization_id, rows, **_extra) -> None:
    services.record_export(_person(actor_id), what, organization_id, rows)


def connect() -> None:
    account_changed.connect(on_account_changed)
    roles_changed.connect(on_roles_changed)
    people_exported.connect(on_people_exported)
