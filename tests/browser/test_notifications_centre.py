"""On a phone: the bell shows unread notifications; the centre opens them and clears the bell."""

from datetime import timedelta

from playwright.sync_api import expect

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
    # The bell's name is what it shows, so "1" is part of it (axe: label-content-name-mismatch).
    badge = phone.get_by_test_id("notification-badge")
    expect(badge).to_have_accessible_name("1 条未读通知")
    assert badge.locator(".badge").inner_text() == "1"
    badge.click()
    assert phone.get_by_role(
        "heading", name="明天上课提醒：焊接技能提升班 · 第 3 课次"
    ).is_visible()
    assert_accessible(phone)
    phone.get_by_role("button", name="查看").click()
    assert phone.get_by_role("heading", name="通知设置").is_visible()
    assert_accessible(phone)
    expect(phone.get_by_test_id("notification-badge")).to_have_accessible_name("通知")


def test_anyone_verifies_a_certificate_on_a_phone_signed_out(live_server, phone):
    cert = CertificateFactory(holder=UserFactory(name="李春花"), title="焊接安全规范")
    db.session.commit()
    phone.goto(f"{live_server.url}/verify/{cert.code}")
    assert phone.get_by_text("此证书真实有效").is_visible()
    assert phone.get_by_text("李*花").is_visible()
    assert_accessible(phone)


def test_officer_bulk_issues_certificates_and_gets_the_zip_on_a_phone(live_server, phone):
    from lms.accounts.models import Role
    from tests.factories import EnterpriseFactory, WorkshopFactory

    enterprise = EnterpriseFactory()
    officer = UserFactory(roles=[Role.officer], organization=enterprise)
    workers = [UserFactory(organization=WorkshopFactory(parent=enterprise)) for _ in range(3)]
    db.session.commit()
    browser_login(phone, live_server, officer.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/certificates/batches/new")
    assert_accessible(phone)
    phone.get_by_label("证书名称（如培训班名称）").fill("焊接技能提升班")
    phone.get_by_label("培训班 / 课程编号").fill("3")
    phone.get_by_label("学员工号或手机号（每行一个）").fill(
        "\n".join(w.employee_no for w in workers)
    )
    phone.get_by_role("button", name="开始发证").click()
    assert phone.get_by_role("progressbar").get_attribute("aria-valuenow") == "3"
    assert phone.get_by_role("link", name="下载全部证书（ZIP）").is_visible()
    assert_accessible(phone)
