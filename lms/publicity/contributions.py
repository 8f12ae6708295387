"""What publicity contributes to a person's growth record and to the five-links overview:
the stories published about the person and the media reports naming them; stories
published, media reports and story views per organization subtree and month. A fixed number
of queries, whatever the data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from lms.accounts.models import Organization
from lms.core import figures, growth
from lms.core.tally import tally
from lms.extensions import db
from lms.publicity.models import MediaReport, Story, StoryReach, StoryStatus, report_people
from lms.timeutil import to_local


def growth_entries(user_id: int, audience: str) -> list[growth.Entry]:
    stories = db.session.execute(
        sa.select(Story.id, Story.title, Story.published_at).where(
            Story.person_id == user_id, Story.status == StoryStatus.published
        )
    ).all()
    entries = [
        growth.Entry(
            "publicity",
            "story_published",
            _("先进事迹：%(title)s", title=title),
            to_local(published_at).date(),
            url=url_for("stories.story", story_id=story_id),
        )
        for story_id, title, published_at in stories
    ]
    reports = db.session.execute(
        sa.select(MediaReport.outlet, MediaReport.title, MediaReport.published_on)
        .join(report_people, report_people.c.report_id == MediaReport.id)
        .where(report_people.c.user_id == user_id)
    ).all()
    entries += [
        growth.Entry(
            "publicity",
            "media_report",
            _("媒体报道：%(outlet)s《%(title)s》", outlet=outlet, title=title),
            published_on,
        )
        for outlet, title, published_on in reports
    ]
    return entries


def overview_figures(q: figures.Query) -> list[figures.Figure]:
    org = aliased(Organization)
    stories = tally(
        q,
        sa.func.count(Story.id),
        day=Story.published_at,
        path=org.path,
        select_from=sa.join(Story, org, org.id == Story.organization_id),
        where=[Story.status == StoryStatus.published],
    )
    reports = tally(
        q,
        sa.func.count(MediaReport.id),
        day=MediaReport.published_on,
        path=org.path,
        select_from=sa.join(MediaReport, org, org.id == MediaReport.organization_id),
    )
    views = tally(
        q,
        sa.func.coalesce(sa.func.sum(StoryReach.views), 0),
        day=StoryReach.day,
        path=org.path,
        select_from=sa.join(StoryReach, Story, Story.id == StoryReach.story_id).join(
            org, org.id == Story.organization_id
        ),
    )
    F = figures.Figure
    return [
        F(
            "publicity",
            "publicity.stories",
            _("发布先进事迹"),
            stories.total,
            _("篇"),
            url_for("publicity.index", status="published"),
            stories.by_month,
            stories.by_child,
            order=10,
        ),
        F(
            "publicity",
            "publicity.media_reports",
            _("媒体报道"),
            reports.total,
            _("篇"),
            url_for("publicity.reports"),
            reports.by_month,
            reports.by_child,
            order=11,
        ),
        F(
            "publicity",
            "publicity.views",
            _("事迹阅读"),
            views.total,
            _("次"),
            url_for("publicity.reach"),
            views.by_month,
            views.by_child,
            order=12,
        ),
    ]


def register() -> None:
    growth.register(growth_entries)
    figures.register(overview_figures)
