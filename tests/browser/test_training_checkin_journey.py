"""The check-in journey: an officer schedules and fills a class, opens the QR screen,
a worker checks in on a phone with the typed code, and the screen counts it."""

from datetime import timedelta

from lms.accounts.models import Role
from lms.db import utcnow
from lms.extensions import db
from lms.timeutil import to_local
from lms.training.models import TrainingClass
from tests.factories import (
    DEFAULT_PASSWORD,
    EnterpriseFactory,
    TrainingClassFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.plugins.browser import assert_accessible, browser_login

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "has_touch": False}


def test_officer_schedules_fills_roster_opens_screen_and_worker_checks_in(
    live_server, new_page, phone, tmp_path
):
    enterprise = EnterpriseFactory(name="江城重型机械厂")
    workshop = WorkshopFactory(parent=enterprise, name="焊接车间")
    officer = UserFactory(organization=enterprise, roles=[Role.officer], name="林晓燕")
    worker = UserFactory(organization=workshop, name="王小虎")
    other = UserFactory(organization=workshop, name="李春花")
    klass = TrainingClassFactory(organization=enterprise, title="焊工技能提升班")
    db.session.commit()
    class_id = klass.id

    screen = new_page(**DESKTOP)
    browser_login(screen, live_server, officer.employee_no, DEFAULT_PASSWORD)

    # Schedule a weekly class whose first session starts in a few minutes.
    start = to_local(utcnow() + timedelta(minutes=3))
    end = start + timedelta(hours=2)
    screen.goto(f"{live_server.url}/training/classes/{class_id}/sessions/new")
    screen.get_by_label("第一次课开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    screen.get_by_label("第一次课结束时间").fill(end.strftime("%Y-%m-%dT%H:%M"))
    screen.get_by_label("教室").fill("焊接实训室 201")
    screen.get_by_label("每周重复").check()
    screen.get_by_label("或：共几次").fill("4")
    screen.get_by_role("button", name="安排").click()
    assert screen.get_by_text("已安排 4 个课次").is_visible()

    # Fill the roster from a CSV file.
    roster = tmp_path / "名单.csv"
    roster.write_text(
        f"工号,姓名\n{worker.employee_no},王小虎\n{other.employee_no},李春花\n", encoding="utf-8"
    )
    screen.goto(f"{live_server.url}/training/classes/{class_id}/roster")
    screen.get_by_label("名单文件").set_input_files(str(roster))
    screen.get_by_role("button", name="导入").click()
    assert screen.get_by_text("新增在册 2 人").is_visible()

    session_id = db.session.get(TrainingClass, class_id).sessions[0].id
    screen.goto(f"{live_server.url}/training/sessions/{session_id}/screen")
    assert screen.locator("#qr svg").is_visible()
    assert screen.locator("#count").inner_text() == "0"
    assert_accessible(screen)

    # The worker, on a phone, types the code shown on the screen.
    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    phone.get_by_role("link", name="签到").first.click()
    assert phone.get_by_role("heading", name="焊工技能提升班").is_visible()
    assert_accessible(phone)
    phone.get_by_label("签到码").fill(screen.locator("#code").inner_text())
    phone.get_by_role("button", name="签到", exact=True).click()
    assert phone.get_by_text("签到成功").is_visible()
    assert phone.get_by_text("您已签到").is_visible()

    # The screen's count goes up by itself, and lists the worker.
    screen.wait_for_function("document.getElementById('count').textContent === '1'")
    assert "王小虎" in screen.locator("#people").inner_text()

    # The officer corrects one record and exports the class matrix.
    screen.goto(f"{live_server.url}/training/sessions/{session_id}/attendance")
    assert_accessible(screen)
    screen.locator(f"input[name='u-{other.id}'][value='excused']").check()
    screen.get_by_role("button", name="保存考勤").click()
    assert screen.get_by_text("已保存 1 处修改").is_visible()
    screen.goto(f"{live_server.url}/training/classes/{class_id}/matrix")
    assert screen.get_by_role("cell", name="请假").first.is_visible()
    assert_accessible(screen)
    with screen.expect_download() as download:
        screen.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_scanning_the_qr_url_on_a_phone_checks_in(live_server, new_page, phone):
    enterprise = EnterpriseFactory()
    mentor = UserFactory(organization=enterprise, roles=[Role.mentor], name="高铁军")
    worker = UserFactory(organization=enterprise, name="张大勇")
    klass = TrainingClassFactory(organization=enterprise, title="电工讲座")
    klass.instructors = [mentor]
    from tests.factories import ClassSessionFactory, RosterEntryFactory

    start = utcnow() + timedelta(minutes=2)
    session = ClassSessionFactory(
        training_class=klass, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    RosterEntryFactory(training_class=klass, user=worker)
    db.session.commit()

    screen = new_page(**DESKTOP)
    browser_login(screen, live_server, mentor.employee_no, DEFAULT_PASSWORD)
    screen.goto(f"{live_server.url}/training/sessions/{session.id}/screen")
    state = screen.evaluate(
        "fetch(document.getElementById('screen').dataset.stateUrl).then(r => r.json())"
    )
    browser_login(phone, live_server, worker.employee_no, DEFAULT_PASSWORD)
    phone.goto(state["scan_url"])  # what the phone's camera app opens
    phone.get_by_role("button", name="确认签到").click()  # opening the link alone changes nothing
    phone.get_by_text("签到成功").first.wait_for()
    screen.wait_for_function("document.getElementById('count').textContent === '1'")
