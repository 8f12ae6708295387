"""Every signal is heard: the people each one concerns are told, in the app and by mail,
once however often the signal fires."""

from datetime import date, timedelta

import sqlalchemy as sa
from blinker import Signal
from flask import current_app

from lms import signals
from lms.accounts import services as accounts
from lms.accounts.models import Role
from lms.certificates import services as certificates
from lms.extensions import db
from lms.mentorship import services as mentorship
from lms.notifications.models import EmailMessage, Notification, Reminder
from tests.factories import (
    MentorFactory,
    MentorLogFactory,
    MentorshipFactory,
    UserFactory,
    WorkshopFactory,
)


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


def test_every_signal_has_a_subscriber(app):
    """A signal nobody hears means somebody is never told: each one needs a receiver."""
    every = {name: value for name, value in vars(signals).items() if isinstance(value, Signal)}
    assert len(every) >= 19
    unheard = sorted(name for name, signal in every.items() if not signal.receivers)
    assert unheard == []


def test_a_waitlisted_worker_is_told_of_their_seat_once(app):
    worker = UserFactory(email="w@example.com")
    db.session.commit()
    for _twice in range(2):
        signals.emit(
            signals.course_seat_granted,
            user_id=worker.id,
            course_id=7,
            title="焊接安全规范",
            url="/courses/7",
        )
        db.session.commit()
    [note] = _told(worker.id)
    assert note.title == "您已获得课程名额：焊接安全规范" and note.link == "/courses/7"
    assert _mails(worker.id) == 1


def test_the_officers_over_a_disputed_log_are_told(app):
    workshop = WorkshopFactory()
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer])
    elsewhere = UserFactory(organization=WorkshopFactory().parent, roles=[Role.officer])
    apprentice = UserFactory(organization=workshop, name="李小满")
    log = MentorLogFactory(mentorship=MentorshipFactory(apprentice=apprentice))
    db.session.commit()
    mentorship.dispute_log(apprentice, log, "那天我请假了")
    [note] = _told(officer.id)
    assert note.title == "带徒记录有异议待处理"
    assert "李小满" in note.body and "那天我请假了" in note.body
    assert note.link == "/mentorships/disputes"
    assert _told(elsewhere.id) == []


def test_a_requested_mentor_is_told_and_an_officers_pairing_asks_both_to_sign(app):
    workshop = WorkshopFactory()
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer])
    mentor = MentorFactory(organization=workshop, name="高铁军")
    apprentice = UserFactory(organization=workshop, name="王小虎")
    db.session.commit()
    asked = mentorship.request_mentor(apprentice, mentor=mentor)
    [note] = _told(mentor.id)
    assert note.title == "王小虎 申请拜您为师" and note.link == f"/mentorships/{asked.id}"
    assert _told(apprentice.id) == []
    mentorship.transition(apprentice, asked, "cancelled")

    other = UserFactory(organization=workshop, name="赵小军")
    today = mentorship.local_today()
    paired = mentorship.create_pairing(
        officer,
        mentor=mentor,
        apprentice=other,
        start_date=today,
        planned_end=today + timedelta(days=365),
    )
    assert [n.title for n in _told(mentor.id)][-1] == "请签署带徒协议：徒弟 赵小军"
    [note] = _told(other.id)
    assert note.title == "请签署带徒协议：师傅 高铁军" and note.link == f"/mentorships/{paired.id}"


def test_a_holder_is_told_their_certificate_is_ready_with_its_link(app):
    worker = UserFactory(email="w@example.com")
    db.session.commit()
    cert, _new = certificates.issue_certificate(
        worker.id, "course", "course", 5, "高压电工作业", expires_on=date(2030, 6, 30)
    )
    db.session.commit()
    signals.emit(
        signals.certificate_issued,
        certificate_id=cert.id,
        holder_id=worker.id,
        title=cert.title,
        serial=cert.serial,
        url=f"/certificates/{cert.id}",
        expires_on=cert.expires_on,
    )  # sent again: nobody is told twice
    db.session.commit()
    [note] = _told(worker.id)
    assert note.title == "您的证书已就绪：高压电工作业"
    assert note.link == f"/certificates/{cert.id}" and cert.serial in note.body
    assert _mails(worker.id) == 1
    [reminder] = db.session.scalars(sa.select(Reminder)).all()
    assert reminder.kind == "cert_expiry"


def test_a_person_is_told_their_roles_changed(app):
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory(roles=[Role.worker])
    db.session.commit()
    accounts.set_roles(admin, worker, {Role.worker, Role.mentor})
    [note] = _told(worker.id)
    assert note.title == "您的角色已变更"
    assert "学员" in note.body and "导师" in note.body and note.link == "/me"


def test_a_quiet_pairing_is_announced_by_mentorship_with_ids_only(app):
    heard = []

    def listen(sender, **payload):
        heard.append(payload)

    quiet = MentorshipFactory()
    db.session.commit()
    signals.mentorship_quiet.connect(listen)
    try:
        mentorship.announce_quiet_pairings()
    finally:
        signals.mentorship_quiet.disconnect(listen)
    [payload] = heard
    assert payload["mentorship_id"] == quiet.id and payload["mentor_id"] == quiet.mentor_id
    assert payload["quiet_since"] == quiet.start_date
    assert payload["idle_days"] == current_app.config["MENTOR_QUIET_DAYS"]
    assert all(isinstance(v, int | str | date) for v in payload.values())
