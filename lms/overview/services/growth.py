"""A person's growth record (成长档案): what every package contributed through
``lms.core.growth``, with the person's totals per link. The person reads their own; officers
read the people of their subtree (admins everyone), and every such read is audited. No
package's models are imported: the record is what the registry's providers return."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import User
from lms.audit import services as audit
from lms.core import growth
from lms.errors import NotFound
from lms.extensions import db


@dataclass
class GrowthRecord:
    person: User
    audience: str
    entries: list[growth.Entry]
    by_link: dict[str, list[growth.Entry]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)  # entry kind → how many
    hours: float = 0.0  # learning hours across courses, classes and mentoring

    @property
    def own(self) -> bool:
        return self.audience == "self"


def _person(actor: User, user_id: int) -> tuple[User, str]:
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(_("没有这个人。"))
    if person.id == actor.id:
        return person, "self"
    if not (scope.is_officer(actor) or scope.is_admin(actor)) or not scope.org_in_scope(
        actor, person.organization
    ):
        # Out of scope looks the same as absent: ids of other units reveal nothing.
        raise NotFound(_("没有这个人，或此人不在您管理的单位范围内。"))
    return person, "officer"


def record_for(actor: User, user_id: int, *, export: bool = False) -> GrowthRecord:
    """The person's record as ``actor`` may see it; an officer's read (or export) is audited."""
    person, audience = _person(actor, user_id)
    entries = growth.entries_for(person.id, audience)
    if audience == "officer":
        audit.record(
            actor,
            "export" if export else "read",
            "growth_record",
            person.id,
            organization_id=person.organization_id,
            after={"entries": len(entries)},
            summary=(
                _("导出 %(name)s 的成长档案", name=person.name)
                if export
                else _("查看 %(name)s 的成长档案", name=person.name)
            ),
        )
        db.session.commit()
    found = GrowthRecord(person, audience, entries)
    for link in growth.LINKS:
        found.by_link[link] = [e for e in entries if e.link == link]
    found.counts = Counter(e.kind for e in entries)
    found.hours = round(sum(e.hours or 0 for e in entries), 1)
    return found
