"""What innovation puts on the home page: a worker's items and rewards, an officer's queue."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Role, User
from lms.core import home
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models import Innovation, RewardLine, Stage


def worker_card(user: User) -> home.Card:
    counts = dict(
        db.session.execute(
            sa.select(Innovation.stage, sa.func.count())
            .where(Innovation.author_id == user.id)
            .group_by(Innovation.stage)
        ).all()
    )
    rewards = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(RewardLine.amount), 0)).where(
            RewardLine.user_id == user.id
        )
    )
    return home.Card(
        title=_("我的建议与创新"),
        template="innovation/cards/worker.html",
        context={
            "total": sum(counts.values()),
            "waiting": counts.get(Stage.review, 0),
            "adopted": counts.get(Stage.adopted, 0) + counts.get(Stage.trial, 0),
            "rewards": rewards or 0,
        },
        order=60,
    )


def officer_card(user: User) -> home.Card:
    waiting = db.session.scalar(
        services.queue_query(user).with_only_columns(sa.func.count()).order_by(None)
    )
    return home.Card(
        title=_("创新评审"),
        template="innovation/cards/officer.html",
        context={"waiting": waiting or 0, "overdue": services.overdue_count(user)},
        order=60,
    )


def register() -> None:
    home.register_card(Role.worker, worker_card)
    home.register_card(Role.officer, officer_card)
    home.register_card(Role.admin, officer_card)
