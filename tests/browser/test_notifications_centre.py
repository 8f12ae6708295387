"""On a phone: the bell shows unread notifications; the centre opens them and clears the bell."""

from datetime import timedelta

from lms import signals
from lms.db import utcnow
from lms.extensions import db
from lms.notifications import services
from tests.factories import DEFAULT_PASSWORD, CertificateFactory, UserFactory
from tests.plugins.browser import assert_accessible, browser_login


def test_worker_sees_the_badge_opens_the_reminder_and_the_badge_clears(live_server, phone):
    worker = UserFactory(name="王小虎")
    db.session.commit()
    starts = utcnow() + timedelta(hours=20)
    signals.session_scheduled.send(
        live_server.app,
        session_id=7,
        class_id=3,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        title="焊接技能提升班 · 第 3 课次",
        location="焊接车间二楼培训室",
        user_ids=[worker.id],
        url="/notifications/preferences",
    )
    db.session.commit()
    services.dispatch_due()
    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    badge = phone.get_by_test_id("notification-badge")
    assert badge.get_attribute("aria-label") == "通知（1 条未读）"
    badge.click()
    assert phone.get_by_role(
        "heading", name="明天上课提醒：焊接技能提升班 · 第 3 课次"
    ).is_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="查看").click()
    assert phone.get_by_role("heading", name="通知设置").is_visible()
    assert_accessible(phone)
    assert phone.get_by_test_id("notification-badge").get_attribute("aria-label") == (
        "通知（0 条未读）"
    )


def test_anyone_verifies_a_certificate_on_a_phone_signed_out(live_server, phone):
    cert = CertificateFactory(holder=UserFactory(name="李春花"), title="焊接安全规范")
    db.session.commit()
    phone.goto(f"{live_server.url}/verify/{cert.code}")
    assert phone.get_by_text("此证书真实有效").is_visible()
    assert phone.get_by_text("李*花").is_visible()
    assert_accessible(phone)
