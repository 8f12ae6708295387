"""What publicity puts on the home page: an editor's and a reviewer's open work, and a
person's stories waiting for their confirmation."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.core import home
from lms.extensions import db
from lms.publicity import services
from lms.publicity.models import Story, StoryStatus


def editor_card(user: User) -> home.Card | None:
    if not services.is_editor(user):
        return None
    counts = dict(
        db.session.execute(
            services.stories_query(user)
            .with_only_columns(Story.status, sa.func.count(Story.id))
            .group_by(Story.status)
            .order_by(None)
        ).all()
    )
    return home.Card(
        title=_("宣传"),
        template="publicity/cards/editor.html",
        context={
            "drafts": counts.get(StoryStatus.draft, 0),
            "review": counts.get(StoryStatus.review, 0),
            "published": counts.get(StoryStatus.published, 0),
            "reviewer": services.is_reviewer(user),
        },
        order=55,
    )


def person_card(user: User) -> home.Card | None:
    waiting = db.session.scalar(
        sa.select(sa.func.count(Story.id)).where(
            Story.person_id == user.id,
            Story.consent_at.is_(None),
            Story.status.in_([StoryStatus.draft, StoryStatus.review]),
        )
    )
    if not waiting:
        return None
    return home.Card(
        title=_("我的事迹"),
        template="publicity/cards/mine.html",
        context={"waiting": waiting},
        order=20,
    )


def register() -> None:
    for role in (Role.officer, Role.admin):
        home.register_card(role, editor_card)
    for role in (Role.worker, Role.mentor, Role.officer, Role.admin):
        home.register_card(role, person_card)
