"""The publicity journey in a browser: an editor writes a story at a desk and adds a photo;
the person confirms it on a phone, with the growth path; a reviewer publishes it; a visitor
without an account reads it on a phone and sees the growth path. Every page passes the
accessibility check."""

from __future__ import annotations

import pytest

from lms.accounts.models import HonorLevel, Role
from lms.extensions import db
from lms.publicity import services
from tests.factories import (
    DEFAULT_PASSWORD,
    EnterpriseFactory,
    HonorFactory,
    OrganizationFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.plugins.browser import assert_accessible, browser_login

pytestmark = pytest.mark.browser

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_editor_writes_person_confirms_reviewer_publishes_visitor_reads(
    live_server, phone, new_page, tmp_path
):
    union = OrganizationFactory(name="总工会")
    plant = EnterpriseFactory(parent=union, name="机械厂")
    shop = WorkshopFactory(parent=plant, name="焊接车间")
    editor = UserFactory(organization=plant, roles=[Role.officer], name="林编辑")
    reviewer = UserFactory(organization=union, roles=[Role.officer], name="周审核")
    hero = UserFactory(organization=shop, name="高铁军")
    HonorFactory(user=hero, level=HonorLevel.national, year=2020, title="全国劳动模范")
    db.session.commit()
    services.save_column(reviewer, name="劳模风采", description="身边的劳模")
    photo = tmp_path / "workshop.png"
    photo.write_bytes(PNG)

    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    desk.on("dialog", lambda dialog: dialog.accept())
    browser_login(desk, live_server, editor.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/publicity/")
    assert_accessible(desk)
    desk.get_by_role("link", name="写事迹").first.click()
    desk.get_by_label("主人公工号").fill(hero.employee_no)
    desk.get_by_label("标题").fill("焊花里的青春")
    desk.get_by_label("摘要").fill("从学徒到首席技师")
    desk.get_by_label("正文").fill("## 起步\n\n十八岁进厂，从**学徒**做起。")
    assert_accessible(desk)
    desk.get_by_role("button", name="保存").click()
    assert "草稿已保存" in desk.content()
    desk.get_by_label("照片或视频").set_input_files(str(photo))
    desk.get_by_label("说明").fill("在车间")
    desk.get_by_role("button", name="上传").click()
    assert desk.locator(".media-list img").count() == 1
    assert_accessible(desk)
    desk.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in desk.content()

    browser_login(phone, live_server, hero.employee_no, DEFAULT_PASSWORD)
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="去确认").click()
    phone.get_by_role("link", name="焊花里的青春").click()
    assert_accessible(phone)
    phone.get_by_label("同时公开我的成长之路").check()
    phone.get_by_role("button", name="我同意公开这篇事迹").click()
    assert "您已同意公开" in phone.content()

    desk = new_page(viewport={"width": 1024, "height": 900}, is_mobile=False, has_touch=False)
    browser_login(desk, live_server, reviewer.employee_no, DEFAULT_PASSWORD)
    desk.goto(f"{live_server.url}/publicity/?status=review")
    desk.get_by_role("link", name="焊花里的青春").click()
    desk.get_by_label("审核意见").fill("事迹真实感人")
    desk.get_by_role("button", name="发布", exact=True).click()
    assert "已发布" in desk.content()
    assert_accessible(desk)

    visitor = new_page()
    visitor.goto(f"{live_server.url}/stories/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="焊花里的青春").first.click()
    text = visitor.content()
    assert "<strong>学徒</strong>" in text
    growth = visitor.locator(".growth").inner_text()
    assert "成长之路" in growth and "全国劳动模范" in growth
    assert visitor.locator(".story-gallery img").count() == 1
    assert visitor.get_by_role("img", name="本文二维码，扫码阅读").is_visible()
    assert_accessible(visitor)
