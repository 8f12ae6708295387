"""The exam journey in a browser: an officer creates a bank at a desk, imports questions from
a spreadsheet and publishes an exam; a worker sits it on a phone, saves, hands in and reads the
result. Every page passes the accessibility check."""

import pytest
from openpyxl import Workbook

from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory, WorkshopFactory
from tests.plugins.browser import assert_accessible, browser_login

pytestmark = pytest.mark.browser

ROWS = [
    ["单选", "安全", "易", "动火作业前要办理什么？", "动火证", "出门证", "工作证", "通行证", "A"],
    ["多选", "安全", "易", "焊接缺陷有哪些？", "气孔", "夹渣", "裂纹", "美观", "ABC"],
    ["判断", "安全", "易", "焊工可以不戴面罩。", "", "", "", "", "错"],
    ["填空", "安全", "易", "J422 焊条属于____型。", "", "", "", "", "钛钙|钛钙型"],
]


def test_officer_publishes_and_worker_sits_on_a_phone(live_server, phone, new_page, tmp_path):
    shop = WorkshopFactory(name="焊接车间")
    officer = UserFactory(organization=shop.parent, roles=[Role.officer], name="林晓燕")
    worker = UserFactory(organization=shop, name="王小虎")
    db.session.commit()
    book = Workbook()
    book.active.append(
        ["题型", "知识点", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "答案"]
    )
    for row in ROWS:
        book.active.append(row)
    sheet = tmp_path / "题库.xlsx"
    book.save(sheet)

    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    desk.on("dialog", lambda dialog: dialog.accept())
    browser_login(desk, live_server, officer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/assessment/banks")
    assert_accessible(desk)
    desk.get_by_label("题库名称").fill("焊工理论题库")
    desk.get_by_role("button", name="创建题库").click()
    desk.get_by_label("题目表格").set_input_files(str(sheet))
    desk.get_by_role("button", name="导入", exact=True).click()
    assert "已导入 4 道题目" in desk.content()
    assert_accessible(desk)
    desk.get_by_label("考试名称").fill("焊工安全考试")
    desk.get_by_label("组卷规则").fill("安全,1,4")
    desk.get_by_label("考试时长").fill("30")
    desk.get_by_label("开考时间").fill("2026-01-01T08:00")
    desk.get_by_role("button", name="发布考试").click()
    assert "已发布考试" in desk.content()
    assert_accessible(desk)

    phone.on("dialog", lambda dialog: dialog.accept())
    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/assessment/")
    assert_accessible(phone)
    phone.get_by_role("button", name="开始考试").click()
    assert phone.locator("[data-seconds-left]").is_visible()
    assert_accessible(phone)
    phone.get_by_label("动火证").check()
    for text in ("气孔", "夹渣"):  # one right option missing: no credit without partial credit
        phone.get_by_label(text).check()
    phone.get_by_role("button", name="保存答案").click()
    assert "已保存" in phone.content()
    assert phone.get_by_label("动火证").is_checked()  # kept by the server
    phone.get_by_label("错误").check()
    phone.get_by_label("答案", exact=True).fill("钛钙型")
    phone.get_by_role("button", name="交卷").click()
    assert phone.locator("[data-percent]").inner_text() == "75.00"
    assert_accessible(phone)
