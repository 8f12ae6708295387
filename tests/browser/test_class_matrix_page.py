"""The class attendance matrix at a desk: printed from a button that needs no inline script,
and its wide table reachable and scrollable from the keyboard."""

from lms.core.demo import DEMO_PASSWORD, load_all
from tests.plugins.browser import DESKTOP, assert_accessible, browser_login


def test_the_matrix_prints_from_its_button_and_its_table_takes_the_keyboard(live_server, new_page):
    load_all()
    desk = new_page(**DESKTOP)
    browser_login(desk, live_server, "T0001", DEMO_PASSWORD)
    desk.goto(f"{live_server.url}/training/")
    desk.get_by_role("link", name="焊工技能提升班（第三期）").first.click()
    desk.get_by_role("link", name="考勤汇总").first.click()
    desk.wait_for_load_state()

    assert "onclick" not in desk.content()
    desk.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    desk.get_by_role("button", name="打印").click()
    assert desk.evaluate("() => window.printed") == 1

    table = desk.get_by_role("region", name="考勤汇总")
    table.focus()
    assert desk.evaluate("() => document.activeElement.getAttribute('aria-label')") == "考勤汇总"
    assert_accessible(desk)
