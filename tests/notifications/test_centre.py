"""The notification centre, the header badge, preferences, digests and the mail folder."""

from datetime import UTC, datetime

import sqlalchemy as sa

from lms.accounts.models import Role
from lms.extensions import db
from lms.notifications import services
from lms.notifications.models import Category, EmailMessage, Notification
from tests.factories import NotificationFactory, UserFactory


def test_header_badge_shows_unread_count_and_centre_lists_newest_first(client, auth):
    worker = UserFactory()
    NotificationFactory(user=worker, title="旧的通知")
    NotificationFactory(user=worker, title="新的通知", created_at=datetime(2030, 1, 1, tzinfo=UTC))
    NotificationFactory(title="别人的通知")
    db.session.commit()
    auth.login(worker)
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="notification-badge"' in home
    assert 'data-unread="2"' in home
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("新的通知") < page.index("旧的通知")
    assert "别人的通知" not in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_thing(client, auth):
    worker = UserFactory()
    n = NotificationFactory(user=worker, link="/training/sessions/7")
    db.session.commit()
    auth.login(worker)
    response = client.post(f"/notifications/{n.id}/open")
    assert response.status_code == 302 and response.location.endswith("/training/sessions/7")
    assert db.session.get(Notification, n.id).read_at is not None


def test_a_link_to_another_site_is_never_followed(client, auth):
    worker = UserFactory()
    n = NotificationFactory(user=worker, link="https://evil.example.com/")
    db.session.commit()
    auth.login(worker)
    assert client.post(f"/notifications/{n.id}/open").location.endswith("/notifications")


def test_nobody_reads_someone_elses_notification(client, auth):
    n = NotificationFactory()
    db.session.commit()
    auth.login(UserFactory())
    assert client.post(f"/notifications/{n.id}/read").status_code == 404
    assert client.post(f"/api/v1/notifications/{n.id}/read").status_code == 404


def test_mark_all_read_clears_the_badge(client, auth):
    worker = UserFactory()
    NotificationFactory.create_batch(3, user=worker)
    db.session.commit()
    auth.login(worker)
    client.post("/notifications/read-all")
    assert client.get("/api/v1/notifications/unread-count").get_json() == {"unread": 0}


def test_centre_pages_through_many_notifications(client, auth):
    worker = UserFactory()
    NotificationFactory.create_batch(25, user=worker)
    db.session.commit()
    auth.login(worker)
    assert "第 1 / 2 页" in client.get("/notifications").get_data(as_text=True)
    body = client.get("/api/v1/notifications?per_page=10&page=3").get_json()
    assert body["total"] == 25 and len(body["items"]) == 5


def test_badge_costs_at_most_one_query(app, client, auth, query_counter):
    worker = UserFactory()
    NotificationFactory.create_batch(5, user=worker)
    db.session.commit()
    auth.login(worker)
    with query_counter() as counted:
        client.get("/notifications/preferences")
    assert sum("FROM notifications" in q for q in counted) <= 1


def test_worker_turns_mail_off_for_a_category_and_gets_only_in_app(client, auth):
    worker = UserFactory(email="w@example.com")
    db.session.commit()
    auth.login(worker)
    form = {f"{c}-in_app": "on" for c in Category}
    form.update({f"{c}-email": "on" for c in Category if c != Category.course})
    client.post("/notifications/preferences", data=form)
    services.notify([worker.id], Category.course, "课程通知", "正文")
    services.notify([worker.id], Category.system, "系统通知", "正文")
    db.session.commit()
    subjects = db.session.scalars(sa.select(EmailMessage.subject)).all()
    assert subjects == ["系统通知"]
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 2


def test_an_admin_locks_a_category_on_and_nobody_can_turn_it_off(client, auth):
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory(email="w@example.com")
    db.session.commit()
    auth.login(admin)
    client.post("/admin/notifications/locks", data={"lock-attendance": "on"})
    auth.logout()
    auth.login(worker)
    response = client.put(
        "/api/v1/notifications/preferences",
        json={"category": "attendance", "in_app": True, "email": False},
    )
    assert response.status_code == 422
    assert "不能关闭" in response.get_json()["message"]
    assert "管理员设为必收" in client.get("/notifications/preferences").get_data(as_text=True)


def test_digest_people_get_one_mail_at_their_hour(app):
    worker = UserFactory(email="w@example.com", name="王小虎")
    services.set_preference(
        worker, worker, Category.system, in_app=True, email=True, cadence="digest", digest_hour=18
    )
    services.notify([worker.id], Category.system, "第一条", "")
    services.notify([worker.id], Category.system, "第二条", "")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(EmailMessage.id))) == 0
    # 17:00 in Shanghai is 09:00 UTC: not yet; 18:00 (10:00 UTC): one mail with both.
    assert services.send_digests(now=datetime(2026, 11, 26, 9, 0, tzinfo=UTC)) == 0
    assert services.send_digests(now=datetime(2026, 11, 26, 10, 0, tzinfo=UTC)) == 1
    assert services.send_digests(now=datetime(2026, 11, 26, 10, 30, tzinfo=UTC)) == 0
    [mail] = db.session.scalars(sa.select(EmailMessage)).all()
    assert "第一条" in mail.body and "第二条" in mail.body and "（2 条）" in mail.subject


def test_embedded_mode_writes_eml_files_listed_for_admins(app, client, auth):
    admin = UserFactory(roles=[Role.admin])
    worker = UserFactory(email="w@example.com")
    services.notify([worker.id], Category.system, "嵌入模式邮件", "正文")
    db.session.commit()
    message = db.session.scalar(sa.select(EmailMessage))
    assert message.status == "sent" and message.file_name.endswith(".eml")
    auth.login(admin)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "嵌入模式邮件" in page and ".eml" in page
    eml = client.get(f"/admin/mail/{message.id}.eml")
    assert eml.status_code == 200 and b"Subject:" in eml.data
    auth.logout()
    auth.login(worker)
    assert client.get("/admin/mail").status_code == 403


def test_the_centre_costs_the_same_queries_for_5_or_20_notifications(client, auth, query_counter):
    worker = UserFactory()
    NotificationFactory.create_batch(5, user=worker)
    db.session.commit()
    auth.login(worker)
    with query_counter() as few:
        client.get("/notifications")
    NotificationFactory.create_batch(15, user=worker)
    db.session.commit()
    with query_counter() as many:
        client.get("/notifications")
    assert len(many) == len(few)


def test_home_shows_unread_notifications_and_the_next_reminder(client, auth):
    from datetime import timedelta

    from lms.db import utcnow
    from lms.notifications.services import session_specs

    worker = UserFactory()
    NotificationFactory(user=worker)
    starts = utcnow() + timedelta(days=2)
    services.schedule_reminders(
        [worker.id],
        "class_session",
        1,
        session_specs(starts),
        category="class_session",
        title="焊接技能提升班 · 第 3 课次",
        event_at=starts,
    )
    db.session.commit()
    auth.login(worker)
    page = client.get("/").get_data(as_text=True)
    assert "通知与提醒" in page and "1</span> 条未读通知" in page
    assert "焊接技能提升班 · 第 3 课次" in page


def _badge(client) -> str:
    import re

    page = client.get("/notifications/preferences").get_data(as_text=True)
    return re.search(r'data-unread="(\d+)"', page).group(1)


def test_the_cached_badge_counts_a_new_notification_at_once(client, auth, query_counter):
    worker = UserFactory()
    NotificationFactory(user=worker)
    db.session.commit()
    auth.login(worker)
    assert _badge(client) == "1"
    with query_counter() as counted:
        assert _badge(client) == "1"
    assert not any("FROM notifications" in q for q in counted)  # served from the cache
    services.notify([worker.id], Category.system, "系统维护通知", "今晚停机")
    db.session.commit()
    assert _badge(client) == "2"


def test_the_cached_badge_drops_when_read_one_by_one_or_all_at_once(client, auth):
    worker = UserFactory()
    first, *_rest = NotificationFactory.create_batch(3, user=worker)
    db.session.commit()
    auth.login(worker)
    assert _badge(client) == "3"
    client.post(f"/notifications/{first.id}/read")
    assert _badge(client) == "2"
    client.post("/notifications/read-all")
    assert _badge(client) == "0"
