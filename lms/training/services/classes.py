"""Creating and changing training classes: their settings, instructors and who may open them.

A class's check-in options live here too: the networks check-in is accepted from
(CIDR ranges, as Moodle's attendance offers against forwarded links) and a QR code
life shorter than the site's.
"""

from __future__ import annotations

import ipaddress
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, Role, User
from lms.audit import services as audit
from lms.core.urls import clean_http_url
from lms.errors import Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.training.models import RegistrationMode, TrainingClass
from lms.training.services.access import can_mark_city_wide, require_manage
from lms.training.services.roster import lock_class, promote_waitlist

__all__ = ["CLASS_FIELDS", "MAX_NETWORKS", "create_class", "parse_networks", "update_class"]

CLASS_FIELDS = (
    "title",
    "description",
    "capacity",
    "location",
    "online_url",
    "registration_mode",
    "registration_deadline",
    "city_wide",
    "late_threshold_minutes",
    "checkin_window_minutes",
    "checkin_networks",
    "qr_window_seconds",
    "completion_rate",
    "low_attendance_rate",
    "low_attendance_min_sessions",
)
MAX_NETWORKS = 50
QR_WINDOW_RANGE = (3, 60)


def parse_networks(value: str | list[str] | None) -> str:
    """CIDR ranges (or single addresses), one per line or comma-separated, normalised;
    raises ``Invalid`` naming the first that is not one."""
    if isinstance(value, str):
        items = value.replace(",", "\n").replace("，", "\n").splitlines()
    else:
        items = list(value or [])
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise Invalid(
                errors={
                    "checkin_networks": [
                        _(
                            "“%(v)s”不是有效的网段。请写成 10.8.0.0/16 或 192.168.1.10 这样的形式。",
                            v=item[:60],
                        )
                    ]
                }
            ) from exc
        if str(network) not in networks:
            networks.append(str(network))
    if len(networks) > MAX_NETWORKS:
        raise Invalid(errors={"checkin_networks": [_("最多填写 %(n)d 个网段。", n=MAX_NETWORKS)]})
    return "\n".join(networks)


def _clean(values: dict) -> None:  # noqa: C901, PLR0912, PLR0915 - one check per class field, each with its own message
    """Validate and normalise the class's settings in place; ``Invalid`` lists every problem."""
    errors: dict[str, list[str]] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = [_("请填写培训班名称。")]
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("名额至少为 1；不限名额请留空。")]
    for key in ("completion_rate", "low_attendance_rate"):
        if values.get(key) is not None and not 0 <= values[key] <= 1:
            errors[key] = [_("比例应在 0 到 1 之间，例如 0.8 表示 80%。")]
    for key in ("late_threshold_minutes", "checkin_window_minutes"):
        if values.get(key) is not None and not 0 <= values[key] <= 240:
            errors[key] = [_("分钟数应在 0 到 240 之间。")]
    if values.get("checkin_window_minutes") == 0:
        errors["checkin_window_minutes"] = [_("签到时段至少 1 分钟。")]
    seconds = values.get("qr_window_seconds")
    if seconds is not None and not QR_WINDOW_RANGE[0] <= seconds <= QR_WINDOW_RANGE[1]:
        errors["qr_window_seconds"] = [
            _(
                "二维码有效时间应在 %(a)d 到 %(b)d 秒之间；不限请留空。",
                a=QR_WINDOW_RANGE[0],
                b=QR_WINDOW_RANGE[1],
            )
        ]
    if values.get("registration_mode") == RegistrationMode.open and not values.get(
        "registration_deadline"
    ):
        errors["registration_deadline"] = [_("自行报名的培训班需要设置报名截止时间。")]
    try:
        values["online_url"] = clean_http_url(values.get("online_url"))
    except ValueError as exc:
        errors["online_url"] = [str(exc)]
    try:
        values["checkin_networks"] = parse_networks(values.get("checkin_networks"))
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid(errors=errors)


def _instructors(ids: list[int] | None) -> list[User]:
    if not ids:
        return []
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(ids))))
    if len(users) != len(set(ids)):
        raise NotFound(_("讲师不存在。"))
    not_mentors = [u.name for u in users if not u.has_role(Role.mentor, Role.officer, Role.admin)]
    if not_mentors:
        raise Invalid(
            errors={
                "instructor_ids": [
                    _("%(names)s 不是导师，不能担任讲师。", names="、".join(not_mentors))
                ]
            }
        )
    return users


def _require_city_wide_right(actor: User, wanted: bool, before: bool = False) -> None:
    if wanted and not before and not can_mark_city_wide(actor):
        raise Forbidden(_("只有市总工会的培训专员可以把培训班设为全市开放。"))


def create_class(
    actor: User,
    *,
    organization: Organization,
    instructor_ids: list[int] | None = None,
    officer_id: int | None = None,
    **values,
) -> TrainingClass:
    scope.require_officer(actor)
    if not scope.org_in_scope(actor, organization):
        raise NotFound()
    values.setdefault("registration_mode", RegistrationMode.assigned)
    values["registration_mode"] = RegistrationMode(values["registration_mode"])
    _clean(values)
    _require_city_wide_right(actor, bool(values.get("city_wide")))
    training_class = TrainingClass(
        organization=organization,
        officer_id=officer_id or actor.id,
        feed_token=secrets.token_urlsafe(24),
        **{k: v for k, v in values.items() if k in CLASS_FIELDS and v is not None},
    )
    training_class.title = training_class.title.strip()
    training_class.instructors = _instructors(instructor_ids)
    db.session.add(training_class)
    db.session.flush()
    audit.record(
        actor,
        "training.class_create",
        "training_class",
        training_class.id,
        organization_id=organization.id,
        after={"title": training_class.title, "city_wide": bool(training_class.city_wide)},
        summary=training_class.title,
    )
    db.session.commit()
    return training_class


def update_class(
    actor: User,
    training_class: TrainingClass,
    *,
    instructor_ids: list[int] | None = None,
    **values,
) -> TrainingClass:
    require_manage(actor, training_class)
    merged = {k: getattr(training_class, k) for k in CLASS_FIELDS}
    merged.update({k: v for k, v in values.items() if k in CLASS_FIELDS})
    if merged.get("registration_mode") is not None:
        merged["registration_mode"] = RegistrationMode(merged["registration_mode"])
    merged["city_wide"] = bool(merged.get("city_wide"))
    _clean(merged)
    _require_city_wide_right(actor, merged["city_wide"], bool(training_class.city_wide))
    locked = lock_class(training_class.id)
    for key, value in merged.items():
        setattr(locked, key, value)
    if instructor_ids is not None:
        locked.instructors = _instructors(instructor_ids)
    db.session.flush()
    promote_waitlist(locked)
    db.session.commit()
    return locked
