"""Care's and innovation's signals are heard: the person each concerns is told, in the app
and by mail, once however often the signal fires, from the payload's ids alone."""

import pytest
import sqlalchemy as sa

from lms import signals
from lms.accounts.models import Role
from lms.extensions import db
from lms.notifications.models import Category, EmailMessage, Notification
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory


def _told(user_id) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
    )


def _mails(user_id) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(EmailMessage.id)).where(EmailMessage.user_id == user_id)
    )


def _twice(signal, **payload) -> None:
    for _again in range(2):
        signals.emit(signal, **payload)
        db.session.commit()


def _told_once(user_id) -> Notification:
    [note] = _told(user_id)
    assert note.category == Category.system
    assert _mails(user_id) == 1
    return note


def test_a_case_owner_is_reminded_of_a_due_followup_once(app):
    owner = UserFactory(email="owner@example.com")
    person = UserFactory(email="p@example.com")
    db.session.commit()
    _twice(signals.care_followup_due, step_id=3, case_id=9, owner_id=owner.id, url="/care/cases/9")
    note = _told_once(owner.id)
    assert note.title == "帮扶个案有待跟进的事项" and note.link == "/care/cases/9"
    assert _told(person.id) == []


def test_a_person_is_told_of_their_checkup_once_without_its_details(app):
    person = UserFactory(email="p@example.com")
    db.session.commit()
    _twice(signals.care_checkup_booked, checkup_id=5, batch_id=2, person_id=person.id)
    note = _told_once(person.id)
    assert note.title == "您的体检已预约" and note.link == "/care/me"


@pytest.mark.parametrize(
    ("status", "title"),
    [
        ("approved", "您的疗休养名额已确定"),
        ("declined", "您的疗休养推荐未获批准"),
        ("withdrawn", "您的疗休养名额已撤销"),
    ],
)
def test_a_nominee_is_told_the_trip_decision_once(app, status, title):
    person = UserFactory(email="p@example.com")
    db.session.commit()
    _twice(
        signals.care_trip_decided, nomination_id=4, trip_id=1, person_id=person.id, status=status
    )
    note = _told_once(person.id)
    assert note.title == title and note.link == "/care/me"


def test_an_approved_then_withdrawn_nominee_hears_both(app):
    person = UserFactory()
    db.session.commit()
    for status in ("approved", "withdrawn", "withdrawn"):
        signals.emit(
            signals.care_trip_decided,
            nomination_id=4,
            trip_id=1,
            person_id=person.id,
            status=status,
        )
    assert [n.title for n in _told(person.id)] == ["您的疗休养名额已确定", "您的疗休养名额已撤销"]


@pytest.mark.parametrize(
    ("stage", "body"),
    [("review", "将在答复期限内评审"), ("opinion", "已作为意见收到")],
)
def test_an_author_is_told_their_item_was_received_once(app, stage, body):
    author = UserFactory(email="a@example.com")
    db.session.commit()
    _twice(
        signals.innovation_submitted,
        innovation_id=12,
        organization_id=author.organization_id,
        author_id=author.id,
        stage=stage,
    )
    note = _told_once(author.id)
    assert note.title == "您的建议已收到" and body in note.body
    assert note.link == "/innovation/12"


def test_an_author_is_told_the_decision_once(app):
    author = UserFactory(email="a@example.com")
    officer = UserFactory(roles=[Role.officer])
    db.session.commit()
    _twice(
        signals.innovation_decided,
        innovation_id=12,
        author_id=author.id,
        stage="adopted",
        decided_by_id=officer.id,
    )
    note = _told_once(author.id)
    assert note.title == "您的建议已被采纳" and note.link == "/innovation/12"
    assert _told(officer.id) == []


def test_the_officers_over_the_unit_are_told_of_an_overdue_item_once(app):
    workshop = WorkshopFactory()
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer], email="o@e.com")
    elsewhere = UserFactory(organization=WorkshopFactory().parent, roles=[Role.officer])
    author = UserFactory(organization=workshop)
    db.session.commit()
    _twice(
        signals.innovation_overdue,
        innovation_id=12,
        organization_id=workshop.id,
        author_id=author.id,
    )
    note = _told_once(officer.id)
    assert note.title == "有建议超期未答复" and note.link == "/innovation/12"
    assert _told(elsewhere.id) == [] and _told(author.id) == []


def test_the_author_of_a_duplicate_is_told_it_was_merged_once(app):
    author = UserFactory(email="a@example.com")
    db.session.commit()
    _twice(signals.innovation_merged, innovation_id=13, into_id=12, author_id=author.id)
    note = _told_once(author.id)
    assert note.title == "您的建议已合并" and note.link == "/innovation/13"


def test_the_author_is_told_the_benefit_was_verified_once(app):
    author = UserFactory(email="a@example.com")
    verifier = UserFactory(roles=[Role.officer])
    db.session.commit()
    _twice(
        signals.innovation_benefit_verified,
        innovation_id=12,
        verified_by_id=verifier.id,
        author_id=author.id,
    )
    note = _told_once(author.id)
    assert note.title == "您的建议效益已核定" and note.link == "/innovation/12"
    assert _told(verifier.id) == []


def test_a_benefit_verified_without_an_author_tells_nobody(app):
    """The contract's payload names no author, and notifications read no innovation table."""
    verifier = UserFactory(roles=[Role.officer])
    db.session.commit()
    _twice(signals.innovation_benefit_verified, innovation_id=12, verified_by_id=verifier.id)
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_everyone_with_a_reward_line_is_told_once(app):
    author = UserFactory(email="a@example.com")
    member = UserFactory(email="m@example.com")
    bystander = UserFactory()
    db.session.commit()
    _twice(signals.innovation_reward_computed, innovation_id=12, user_ids=[author.id, member.id])
    for person in (author, member):
        note = _told_once(person.id)
        assert note.title == "您的创新奖励已核算" and note.link == "/innovation/12"
    assert _told(bystander.id) == []


@pytest.mark.parametrize(
    ("status", "title"),
    [
        ("named", "您领衔的创新工作室已获命名"),
        ("rejected", "您领衔的创新工作室申报未获通过"),
        ("revoked", "您领衔的创新工作室命名已撤销"),
    ],
)
def test_a_studio_lead_is_told_the_decision_once(app, status, title):
    lead = UserFactory(email="lead@example.com")
    db.session.commit()
    _twice(signals.studio_decided, studio_id=6, lead_id=lead.id, status=status)
    note = _told_once(lead.id)
    assert note.title == title and note.link == "/innovation/studios/6"


def test_innovations_own_services_tell_the_author_on_submission_and_decision(app):
    """End to end from the real sender: what innovation emits is enough to tell the author."""
    from lms.innovation import services as innovation

    enterprise = EnterpriseFactory()
    author = UserFactory(organization=WorkshopFactory(parent=enterprise), email="a@example.com")
    officer = UserFactory(organization=enterprise, roles=[Role.officer])
    db.session.commit()
    item = innovation.submit(
        author,
        kind="suggestion",
        title="焊接夹具改进",
        problem="焊接时工件容易变形",
        method="增加定位夹具",
    )
    innovation.decide(officer, item, "adopted", None)
    db.session.commit()
    assert [(n.title, n.link) for n in _told(author.id)] == [
        ("您的建议已收到", f"/innovation/{item.id}"),
        ("您的建议已被采纳", f"/innovation/{item.id}"),
    ]
    assert _told(officer.id) == []
