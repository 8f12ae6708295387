"""The innovation journey in a browser: a worker submits on a phone, the unit's reviewer
adopts it, the benefit is recorded and verified by the finance duty, the reward is computed
and the worker sees it."""

from lms.accounts.models import Role
from lms.extensions import db
from lms.innovation import services
from tests.factories import DEFAULT_PASSWORD, EnterpriseFactory, UserFactory, WorkshopFactory
from tests.plugins.browser import assert_accessible, browser_login


def test_submit_adopt_verify_reward(live_server, phone, new_page):
    enterprise = EnterpriseFactory(name="东方机械")
    workshop = WorkshopFactory(parent=enterprise, name="焊接车间")
    officer = UserFactory(organization=enterprise, roles=[Role.officer], name="林专员")
    finance = UserFactory(organization=enterprise, roles=[Role.officer], name="钱会计")
    worker = UserFactory(organization=workshop, name="王小虎")
    admin = UserFactory(organization=enterprise.parent, roles=[Role.admin])
    services.assign_finance_duty(admin, finance, enterprise)
    db.session.commit()

    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/innovation/new")
    phone.get_by_label("类别").select_option("small_modification")
    phone.get_by_label("标题").fill("筒体焊接防变形夹具")
    phone.get_by_label("存在的问题").fill("筒体环缝焊后椭圆度超差，返修多")
    phone.get_by_label("解决办法").fill("焊前用内撑环撑圆，分段对称退焊")
    assert_accessible(phone)
    phone.get_by_role("button", name="提交", exact=True).click()
    assert phone.locator("[data-stage]").inner_text() == "待评审"
    item_url = phone.url
    assert_accessible(phone)

    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    desk.on("dialog", lambda dialog: dialog.accept())
    browser_login(desk, live_server, officer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/innovation/review")
    assert_accessible(desk)
    desk.get_by_role("link", name="筒体焊接防变形夹具").click()
    desk.get_by_label("已采纳").check()
    desk.get_by_role("button", name="保存结论").click()
    assert desk.locator("[data-stage]").inner_text() == "已采纳"
    desk.get_by_label("实际年净效益（元）").fill("126400")
    desk.get_by_label("计算公式").fill("年减少返修 140 件 × 940 元 − 折旧 5,200 元")
    desk.get_by_role("button", name="保存效益").click()
    assert desk.locator("[data-actual]").inner_text() == "126400.00"
    assert_accessible(desk)

    books = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    books.on("dialog", lambda dialog: dialog.accept())
    browser_login(books, live_server, finance.employee_no, DEFAULT_PASSWORD)
    books.goto(item_url)
    books.get_by_role("button", name="核定实际效益").click()
    assert "已核定并锁定" in books.get_by_role("status").inner_text()
    books.get_by_role("button", name="计算奖励").click()
    assert "2000.00" in books.locator("[data-reward]").inner_text()

    phone.goto(f"{live_server.url}/innovation/rewards")
    assert "筒体焊接防变形夹具" in phone.locator("table").first.inner_text()
    assert "合计：2000.00 元" in phone.content()
    assert_accessible(phone)
