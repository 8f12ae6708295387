"""The main navigation: a side menu always shown at a desk, the "菜单" button on a phone."""

import os

from lms.accounts.models import Role
from lms.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.plugins.browser import DESKTOP, assert_accessible, browser_login


def test_an_officer_at_a_desk_sees_the_navigation_without_opening_a_menu(live_server, new_page):
    officer = UserFactory(roles=[Role.officer], name="林专员")
    db.session.commit()
    desk = new_page(**DESKTOP)
    browser_login(desk, live_server, officer.employee_no, DEFAULT_PASSWORD)

    navigation = desk.get_by_role("navigation", name="主导航")
    assert navigation.is_visible()
    assert not desk.get_by_text("菜单", exact=True).is_visible()
    navigation.get_by_role("link", name="学员管理").click()
    desk.wait_for_load_state()
    assert desk.url.endswith("/people")
    current = navigation.get_by_role("link", name="学员管理")
    assert current.get_attribute("aria-current") == "page"
    # The page's own content is beside the menu, not under it.
    side = navigation.bounding_box()
    heading = desk.get_by_role("heading", level=1).bounding_box()
    assert heading["x"] >= side["x"] + side["width"]
    if os.environ.get("SCREENSHOTS"):
        desk.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "desk-navigation.png"))
    assert_accessible(desk)

    # Clicking elsewhere on the page leaves the side menu where it is.
    desk.get_by_role("heading", level=1).click()
    assert navigation.is_visible()


def test_a_worker_on_a_phone_opens_the_menu_with_one_tap(live_server, phone):
    worker = UserFactory(roles=[Role.worker])
    db.session.commit()
    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)

    navigation = phone.get_by_role("navigation", name="主导航")
    assert not navigation.is_visible()
    phone.get_by_text("菜单", exact=True).click()
    assert navigation.is_visible()
    assert_accessible(phone)
    phone.mouse.click(10, 400)  # a tap elsewhere closes it
    assert not navigation.is_visible()
