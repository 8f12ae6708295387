"""Submitting: opinion without a method, team shares summing to 100, attachments."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from lms.core import storage
from lms.errors import Invalid
from lms.extensions import db
from lms.innovation import services
from lms.innovation.models import Innovation, InnovationAttachment, InnovationMember, Stage
from tests.innovation.conftest import submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_suggestion_with_a_method_waits_for_review_60_days(world, clock):
    item = submit(world["worker"])
    assert item.stage == Stage.review
    assert item.organization_id == world["workshop"].id
    assert item.due_at == clock.at + __import__("datetime").timedelta(days=60)
    assert [(m.user_id, m.share) for m in item.members] == [(world["worker"].id, Decimal("100"))]


def test_a_major_item_gets_90_days(world, clock):
    item = submit(world["worker"], major=True, kind="technical")
    assert (item.due_at - clock.at).days == 90


def test_without_a_method_it_is_an_opinion_and_not_reviewed(world):
    item = submit(world["worker"], method="  ")
    assert item.stage == Stage.opinion
    assert item.due_at is None
    assert "办法" in services.opinion_reason()


def test_without_a_problem_nothing_is_written(world):
    with pytest.raises(Invalid) as caught:
        submit(world["worker"], problem="")
    assert "problem" in caught.value.errors
    assert _count(Innovation) == 0


def test_team_shares_must_sum_to_100(world):
    team = [(world["worker"].id, "60"), (world["mate"].id, "30")]
    with pytest.raises(Invalid) as caught:
        submit(world["worker"], team=team)
    assert "100%" in caught.value.errors["team"][0]
    assert "90.00" in caught.value.errors["team"][0]
    assert _count(Innovation) == 0
    assert _count(InnovationMember) == 0


def test_team_shares_in_decimals_are_kept_exactly(world):
    team = [
        (world["worker"].id, "33.34"),
        (world["mate"].id, "33.33"),
        (world["stranger"].id, "33.33"),
    ]
    item = submit(world["worker"], team=team)
    assert sum(m.share for m in item.members) == Decimal("100")


def test_the_author_must_be_in_the_team(world):
    with pytest.raises(Invalid):
        submit(world["worker"], team=[(world["mate"].id, "100")])


def test_attachments_pdf_and_image_are_stored(world):
    uploads = [
        services.Upload("方案.pdf", "application/pdf", PDF),
        services.Upload("现场.png", "image/png", PNG),
    ]
    item = submit(world["worker"], attachments=uploads)
    keys = [a.storage_key for a in item.attachments]
    assert len(keys) == 2
    assert storage.path(keys[0]).read_bytes() == PDF


def test_an_attachment_of_another_type_is_refused_and_nothing_written(world):
    fake = services.Upload("x.pdf", "application/pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(Invalid) as caught:
        submit(world["worker"], attachments=[fake])
    assert "attachments" in caught.value.errors
    assert _count(Innovation) == 0 and _count(InnovationAttachment) == 0


def test_an_attachment_over_the_limit_is_refused(world, app):
    app.config["INNOVATION_ATTACHMENT_MAX_BYTES"] = 1024
    big = services.Upload("big.pdf", "application/pdf", PDF + b"0" * 2048)
    with pytest.raises(Invalid):
        submit(world["worker"], attachments=[big])
    assert _count(Innovation) == 0


def test_team_members_are_colleagues_of_the_same_enterprise(world):
    from tests import factories

    elsewhere = factories.UserFactory(organization=world["other"])
    with pytest.raises(Invalid) as caught:
        submit(world["worker"], team=[(world["worker"].id, 50), (elsewhere.id, 50)])
    assert caught.value.errors["team"] == ["找不到这名职工。"]
    assert _count(Innovation) == 0
