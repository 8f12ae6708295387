"""What each person wants to be told and how: channels per category, digests, locked
categories; and ``text_locale``, the language texts are written in outside a request."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import is_postgres
from lms.errors import Forbidden, Invalid
from lms.extensions import db
from lms.notifications.models import Cadence, Category, CategoryLock, Preference

CATEGORY_LABELS = {
    Category.class_session: _l("培训课次"),
    Category.lecture: _l("直播讲座"),
    Category.course: _l("在线课程"),
    Category.mentorship: _l("师徒带教"),
    Category.attendance: _l("考勤"),
    Category.certificate: _l("证书"),
    Category.system: _l("系统通知"),
}

DEFAULT_DIGEST_HOUR = 18


@contextmanager
def text_locale():
    """Outside a request (Celery tasks, CLI) texts are written in the installation's language."""
    if has_request_context():
        yield
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


# --- preferences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool
    cadence: Cadence
    digest_hour: int
    locked: bool


def locked_categories() -> set[Category]:
    return set(db.session.scalars(sa.select(CategoryLock.category)))


def channels_for(user_ids: Iterable[int], category: Category) -> dict[int, Channels]:
    """Each person's channels for ``category`` in one query; locked categories are always on."""
    user_ids = list(user_ids)
    locked = db.session.get(CategoryLock, category) is not None
    rows = {
        p.user_id: p
        for p in db.session.scalars(
            sa.select(Preference).where(
                among(Preference.user_id, user_ids), Preference.category == category
            )
        )
    }
    result = {}
    for uid in user_ids:
        p = rows.get(uid)
        in_app = True if p is None else p.in_app
        email = True if p is None else p.email
        cadence = Cadence.immediate if p is None else p.cadence
        hour = DEFAULT_DIGEST_HOUR if p is None else p.digest_hour
        if locked:
            in_app, email = True, True
        result[uid] = Channels(in_app, email, cadence, hour, locked)
    return result


def preferences_for(user: User) -> list[dict]:
    """Every category with the person's choice (or the default) and whether it is locked."""
    channels = {c: channels_for([user.id], c)[user.id] for c in Category}
    return [
        {"category": c, "label": str(CATEGORY_LABELS[c]), **channels[c].__dict__} for c in Category
    ]


def set_preference(
    actor: User,
    user: User,
    category: Category | str,
    *,
    in_app: bool,
    email: bool,
    cadence: Cadence | str = Cadence.immediate,
    digest_hour: int = DEFAULT_DIGEST_HOUR,
) -> Preference:
    if actor.id != user.id and not scope.is_admin(actor):
        raise Forbidden()
    try:
        category, cadence = Category(category), Cadence(cadence)
    except ValueError as exc:
        raise Invalid(errors={"category": [str(exc)]}) from exc
    if not 0 <= digest_hour <= 23:
        raise Invalid(errors={"digest_hour": [_("请选择 0 到 23 点之间的整点。")]})
    if db.session.get(CategoryLock, category) is not None and not (in_app and email):
        raise Invalid(
            _("管理员已将“%(label)s”设为必收通知，不能关闭。", label=CATEGORY_LABELS[category]),
            errors={"category": [_("此类通知不能关闭。")]},
        )
    pref = db.session.scalar(
        sa.select(Preference).where(Preference.user_id == user.id, Preference.category == category)
    )
    if pref is None:
        pref = Preference(user_id=user.id, category=category)
        db.session.add(pref)
    pref.in_app, pref.email, pref.cadence, pref.digest_hour = in_app, email, cadence, digest_hour
    db.session.flush()
    return pref


def lock_category(actor: User, category: Category | str, locked: bool) -> None:
    """Admins make a category compulsory (in the app and by mail) or optional again."""
    if not scope.is_admin(actor):
        raise Forbidden()
    category = Category(category)
    row = db.session.get(CategoryLock, category)
    if locked and row is None:
        db.session.add(CategoryLock(category=category, locked_by_id=actor.id))
    elif not locked and row is not None:
        db.session.delete(row)
    else:
        return
    record(
        actor,
        "notifications.lock" if locked else "notifications.unlock",
        "notification_category",
        None,
        after={"category": category.value, "locked": locked},
        summary=f"{'lock' if locked else 'unlock'} {category.value}",
    )
    db.session.flush()


def among(column, ids: list[int]):
    """``column IN ids``. On PostgreSQL one array parameter (``= ANY``) rather than one
    placeholder per id: a batch's statement stays small and the same for every batch.
    """
    if is_postgres(db.session):
        return column == sa.any_(sa.literal(ids, postgresql.ARRAY(sa.Integer)))
    return column.in_(ids)
