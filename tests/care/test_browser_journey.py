"""The care journey in a browser: a care officer records a survey, opens a case, follows it
up, pays and closes it; fills a recuperation trip by priority; the person reads their own
file on a phone. A survey campaign is answered on a phone and a ticked need becomes a case
with one click. Every page passes the accessibility check."""

from datetime import timedelta

from lms.accounts.models import HonorLevel, Role
from lms.care import services
from lms.care.models import CareDuty
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, HonorFactory, UserFactory, WorkshopFactory
from tests.plugins.browser import assert_accessible, browser_login


def test_survey_case_trip_and_own_file(live_server, phone, new_page):
    shop = WorkshopFactory(name="焊接车间")
    plant = shop.parent
    carer = UserFactory(organization=plant, roles=[Role.officer], name="林关爱")
    db.session.add(CareDuty(user_id=carer.id, organization_id=plant.id))
    hero = UserFactory(organization=shop, name="高铁军")
    HonorFactory(user=hero, level=HonorLevel.national, title="全国劳动模范")
    other = UserFactory(organization=shop, name="赵玉兰")
    HonorFactory(user=other, level=HonorLevel.city, title="市劳动模范")
    db.session.commit()
    start = services.local_today() + timedelta(days=15)
    trip = services.create_trip(
        carer, plant, name="秋季疗休养", place="北戴河", starts_on=start, ends_on=start, capacity=1
    )

    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    desk.on("dialog", lambda dialog: dialog.accept())
    browser_login(desk, live_server, carer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/care/")
    assert_accessible(desk)
    desk.get_by_role("link", name="高铁军").click()
    desk.get_by_text("登记生活状况调查").click()
    desk.get_by_label("住房").fill("老旧平房")
    desk.get_by_label("困难与诉求").fill("医保断缴")
    desk.get_by_role("button", name="保存").click()
    assert "老旧平房" in desk.content()
    assert_accessible(desk)

    desk.get_by_role("link", name="立案帮扶").click()
    desk.get_by_label("困难类别").select_option("medical_insurance")
    desk.get_by_label("帮扶方式").select_option("special_hardship")
    desk.get_by_label("案由").fill("医保断缴")
    desk.get_by_role("button", name="立案").click()
    assert desk.locator("[data-status]").inner_text() == "办理中"
    desk.get_by_label("要办的事").fill("协调社保补缴")
    desk.get_by_label("办理期限").fill(services.local_today().isoformat())
    desk.get_by_role("button", name="添加").click()
    desk.get_by_label("办理情况").fill("已补缴")
    desk.get_by_role("button", name="办结").click()
    desk.get_by_label("金额（元）").fill("2000")
    desk.get_by_role("button", name="记入台账").click()
    assert desk.locator("[data-amount]").inner_text() == "2000.00"
    assert_accessible(desk)
    desk.get_by_label("帮扶结果").fill("医保已恢复")
    desk.get_by_role("button", name="结案").click()
    assert desk.locator("[data-status]").inner_text() == "已结案"

    desk.goto(f"{live_server.url}/care/trips/{trip.id}?q=%E9%AB%98")  # 高
    desk.get_by_role("button", name="推荐").click()
    desk.goto(f"{live_server.url}/care/trips/{trip.id}?q=%E8%B5%B5")  # 赵
    desk.get_by_label("一线/艰苦岗位").check()
    desk.get_by_role("button", name="推荐").click()
    assert_accessible(desk)
    desk.get_by_role("button", name="按优先顺序批准").click()
    assert desk.locator("[data-places]").inner_text() == "1/1"
    approved = desk.locator("tr", has_text="已批准").inner_text()
    assert "赵玉兰" in approved  # never went + front line beats a national honour

    browser_login(phone, live_server, hero.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/care/me")
    text = phone.content()
    assert "医保断缴" in text and "老旧平房" in text
    assert_accessible(phone)


def test_a_survey_answered_on_a_phone_becomes_a_case(live_server, phone, new_page):
    shop = WorkshopFactory(name="焊接车间")
    plant = shop.parent
    carer = UserFactory(organization=plant, roles=[Role.officer], name="林关爱")
    db.session.add(CareDuty(user_id=carer.id, organization_id=plant.id))
    hero = UserFactory(organization=shop, name="高铁军")
    HonorFactory(user=hero, level=HonorLevel.national, title="全国劳动模范")
    db.session.commit()

    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    browser_login(desk, live_server, carer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/care/surveys")
    assert_accessible(desk)
    desk.get_by_role("link", name="发起调查").click()
    desk.get_by_label("调查名称").fill("冬季生活状况调查")
    desk.get_by_label("截止日期").fill((services.local_today() + timedelta(days=7)).isoformat())
    assert_accessible(desk)
    desk.get_by_role("button", name="发起并通知").click()
    assert desk.locator("[data-counts=answered]").inner_text() == "0/1"
    assert_accessible(desk)

    browser_login(phone, live_server, hero.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/care/me")
    phone.get_by_role("link", name="去填写").click()
    assert_accessible(phone)
    phone.get_by_label("住房情况").fill("老旧平房漏雨")
    phone.get_by_label("住房", exact=True).check()
    phone.get_by_role("button", name="提交").click()
    assert "老旧平房漏雨" in phone.content()
    assert_accessible(phone)

    desk.reload()
    assert desk.locator("[data-counts=answered]").inner_text() == "1/1"
    desk.get_by_role("link", name="查看答复").click()
    assert_accessible(desk)
    desk.get_by_role("button", name="立案帮扶").click()
    assert desk.locator("[data-status]").inner_text() == "办理中"
    assert "冬季生活状况调查" in desk.content()
