"""The mentoring journey in a browser: an officer pairs an apprentice from the suggestions, both
sign, the mentor logs a session on a phone, the apprentice confirms it, the officer approves
graduation."""

from lms.accounts.models import HonorLevel, Role
from lms.extensions import db
from tests.factories import (
    DEFAULT_PASSWORD,
    HonorFactory,
    MentorFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.plugins.browser import assert_accessible, browser_login


def test_pair_log_confirm_and_graduate(live_server, phone, new_page):
    workshop = WorkshopFactory(name="焊接车间")
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer], name="林专员")
    mentor = MentorFactory(organization=workshop, name="高铁军")
    HonorFactory(user=mentor, level=HonorLevel.national, title="全国劳动模范")
    MentorFactory(organization=workshop, name="陈师傅", trade="电工")
    apprentice = UserFactory(organization=workshop, name="王小虎")
    db.session.commit()

    # The officer finds the apprentice and pairs them with the top suggestion.
    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    desk.on("dialog", lambda dialog: dialog.accept())
    browser_login(desk, live_server, officer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/mentorships/new")
    desk.get_by_label("徒弟姓名或工号").fill("王小虎")
    desk.get_by_role("button", name="查找学员").click()
    desk.get_by_role("link", name="王小虎").click()
    first = desk.locator("li.suggestion").first
    assert "高铁军" in first.inner_text() and "全国劳动模范" in first.inner_text()
    assert_accessible(desk)
    desk.get_by_role("button", name="选这位师傅：高铁军").click()
    assert desk.locator("[data-status]").inner_text() == "待签约"
    assert_accessible(desk)
    pairing_url = desk.url

    # Both sign the agreement on their phones.
    browser_login(phone, live_server, mentor.employee_no, DEFAULT_PASSWORD)
    phone.goto(pairing_url)
    phone.get_by_role("button", name="签署带徒协议").click()
    apprentice_phone = new_page()
    browser_login(apprentice_phone, live_server, apprentice.employee_no, DEFAULT_PASSWORD)
    apprentice_phone.goto(pairing_url)
    apprentice_phone.get_by_role("button", name="签署带徒协议").click()
    assert apprentice_phone.locator("[data-status]").inner_text() == "带徒中"

    # The mentor logs a session from the phone: defaults are today and 60 minutes.
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="记录带徒").first.click()
    assert phone.get_by_label("时长（分钟）").input_value() == "60"
    phone.locator("label.chip", has_text="操作示范").click()
    phone.get_by_label("带徒内容").fill("立焊运条示范")
    assert_accessible(phone)
    phone.get_by_role("button", name="保存记录").click()
    assert "等待徒弟确认" in phone.get_by_role("status").inner_text()
    assert_accessible(phone)  # the mentor's dashboard

    # The apprentice confirms it; the hour counts.
    apprentice_phone.goto(f"{live_server.url}/my-mentor")
    assert "立焊运条示范" in apprentice_phone.locator(".logs").inner_text()
    assert_accessible(apprentice_phone)
    apprentice_phone.get_by_role("button", name="确认属实").click()
    assert apprentice_phone.locator("[data-confirmed-hours]").inner_text() == "1.0"

    # The mentor writes the final assessment, suggesting early graduation.
    phone.goto(pairing_url)
    phone.get_by_label("出师评价").fill("已掌握立焊要领，考核合格。")
    phone.get_by_label("建议提前出师").check()
    phone.get_by_role("button", name="保存出师评价").click()

    # The officer approves it.
    desk.goto(pairing_url)
    desk.get_by_label("同意提前出师（未到计划出师日期）").check()
    desk.get_by_role("button", name="批准出师").click()
    assert desk.locator("[data-status]").inner_text() == "已出师"
    desk.goto(f"{live_server.url}/mentorships")
    assert desk.locator('[data-total="graduated"]').inner_text() == "1"
    assert_accessible(desk)
    desk.goto(pairing_url)
    assert "提前出师" in desk.locator("main").inner_text()


def test_officer_pages_for_disputes_places_and_programmes_are_accessible(live_server, new_page):
    from lms.mentorship.models import LogStatus
    from tests.factories import MentorLogFactory, MentorshipFactory

    workshop = WorkshopFactory()
    officer = UserFactory(organization=workshop.parent, roles=[Role.officer])
    m = MentorshipFactory(
        mentor=MentorFactory(organization=workshop), apprentice=UserFactory(organization=workshop)
    )
    MentorLogFactory(mentorship=m, status=LogStatus.disputed, dispute_reason="那天没上班")
    db.session.commit()
    page = new_page()
    browser_login(page, live_server, officer.employee_no, DEFAULT_PASSWORD)
    for path in (
        "/mentorships/disputes",
        "/mentorships/mentors",
        "/mentorships/programmes",
        f"/mentorships/{m.id}",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/mentorships/disputes")
    page.get_by_label("不属实，不计学时").check()
    page.get_by_role("button", name="提交处理").click()
    assert "没有待处理的异议" in page.locator("main").inner_text()
