"""The demo: an approved earlier campaign and this year's on public notice."""

import sqlalchemy as sa

from lms.core.demo import load_all
from lms.selection.models import Campaign, CampaignStatus, Objection, ObjectionStatus


def test_the_demo_has_a_campaign_on_notice_and_one_approved(app, client):
    from lms.extensions import db

    data = load_all()
    current = db.session.get(Campaign, data.extra["selection_campaign"])
    assert current.status == CampaignStatus.notice
    page = client.get(f"/selection/notice/{current.id}").get_data(as_text=True)
    assert page.count("<li>") == 10
    statuses = db.session.scalars(sa.select(Campaign.status).order_by(Campaign.id)).all()
    assert statuses == [CampaignStatus.approved, CampaignStatus.notice]
    objection = db.session.scalar(sa.select(Objection))
    assert objection.status == ObjectionStatus.investigating
