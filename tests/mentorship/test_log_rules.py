"""Mentoring logs: who may write them, what is refused, confirmation, disputes, counted hours."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.accounts.models import Role
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.mentorship import services
from lms.mentorship.models import LogKind, LogStatus, MentorLog, MentorshipStatus, Resolution
from lms.signals import mentor_log_submitted
from tests.factories import (
    MentorFactory,
    MentorLogFactory,
    MentorshipFactory,
    UserFactory,
    _local_today,
)


@pytest.fixture
def ctx(app):
    m = MentorshipFactory()
    officer = UserFactory(organization=m.apprentice.organization.parent, roles=[Role.officer])
    with app.test_request_context():
        yield {"m": m, "mentor": m.mentor, "apprentice": m.apprentice, "officer": officer}


def log(ctx, actor=None, **kwargs):
    values = {
        "session_date": _local_today(),
        "minutes": 60,
        "kind": LogKind.practice,
        "topic": "立焊练习",
        **kwargs,
    }
    return services.create_log(actor or ctx["mentor"], ctx["m"], **values)


def test_mentor_logs_a_session_and_the_apprentice_is_told(ctx):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    with mentor_log_submitted.connected_to(listener):
        entry = log(ctx, skills="立焊, 仰焊", notes="注意运条角度")
    assert entry.status == LogStatus.submitted
    assert received == [
        {
            "log_id": entry.id,
            "mentorship_id": ctx["m"].id,
            "mentor_id": ctx["mentor"].id,
            "apprentice_id": ctx["apprentice"].id,
            "url": f"/my-mentor#log-{entry.id}",
        }
    ]


def test_a_mentor_cannot_log_for_someone_elses_apprentice(ctx):
    with pytest.raises(NotFound):
        log(ctx, actor=MentorFactory())


def test_the_apprentice_cannot_log_for_themselves(ctx):
    with pytest.raises(Forbidden):
        log(ctx, actor=ctx["apprentice"])


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"session_date": "future"}, "session_date"),
        ({"session_date": "before_start"}, "session_date"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": -30}, "minutes"),
        ({"minutes": 721}, "minutes"),
        ({"minutes": 100000}, "minutes"),
        ({"minutes": "60"}, "minutes"),
        ({"kind": "party"}, "kind"),
        ({"topic": "  "}, "topic"),
        ({"topic": "长" * 121}, "topic"),
    ],
)
def test_bad_logs_are_refused_with_the_field_named(ctx, changes, field):
    if changes.get("session_date") == "future":
        changes["session_date"] = _local_today() + timedelta(days=1)
    elif changes.get("session_date") == "before_start":
        changes["session_date"] = ctx["m"].start_date - timedelta(days=1)
    with pytest.raises(Invalid) as info:
        log(ctx, **changes)
    assert field in info.value.errors
    assert db.session.scalar(sa.select(sa.func.count(MentorLog.id))) == 0


def test_no_logs_for_a_paused_pairing(ctx):
    services.transition(ctx["mentor"], ctx["m"], MentorshipStatus.paused, "外派")
    with pytest.raises(Conflict):
        log(ctx)


def test_the_same_form_sent_twice_makes_one_log(ctx):
    first = log(ctx, client_token="tap-1")
    second = log(ctx, client_token="tap-1")
    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count(MentorLog.id))) == 1


def test_attachments_are_stored_under_opaque_names(ctx, app):
    from lms.core import storage

    photo = services.Upload("现场.jpg", "image/jpeg", b"\xff\xd8jpegdata")
    entry = log(ctx, files=[photo])
    stored = entry.attachments[0]
    assert stored.filename == "现场.jpg" and "现场" not in stored.stored_name
    assert storage.path(stored.stored_name).read_bytes() == b"\xff\xd8jpegdata"
    with pytest.raises(Invalid):
        log(ctx, files=[services.Upload("run.exe", "application/x-msdownload", b"MZ")])


def test_only_confirmed_minutes_count(ctx):
    a = log(ctx, minutes=90)
    b = log(ctx, minutes=30)
    log(ctx, minutes=45)  # still waiting
    services.confirm_log(ctx["apprentice"], a)
    services.dispute_log(ctx["apprentice"], b, "那天我请假了")
    db.session.refresh(ctx["m"])
    assert ctx["m"].confirmed_minutes == 90


def test_confirming_someone_elses_log_is_refused(ctx):
    entry = log(ctx)
    with pytest.raises(NotFound):
        services.confirm_log(UserFactory(), entry)
    with pytest.raises(Forbidden):
        services.confirm_log(ctx["mentor"], entry)
    assert db.session.get(MentorLog, entry.id).status == LogStatus.submitted


def test_a_log_is_confirmed_once(ctx):
    entry = log(ctx, minutes=60)
    services.confirm_log(ctx["apprentice"], entry)
    with pytest.raises(Conflict):
        services.confirm_log(ctx["apprentice"], entry)
    with pytest.raises(Conflict):
        services.dispute_log(ctx["apprentice"], entry, "改主意了")
    db.session.refresh(ctx["m"])
    assert ctx["m"].confirmed_minutes == 60


def test_a_dispute_needs_a_reason(ctx):
    entry = log(ctx)
    with pytest.raises(Invalid) as info:
        services.dispute_log(ctx["apprentice"], entry, " ")
    assert "reason" in info.value.errors


def test_officer_resolves_disputes_in_scope(ctx):
    upheld, rejected = log(ctx, minutes=120), log(ctx, minutes=50)
    for entry in (upheld, rejected):
        services.dispute_log(ctx["apprentice"], entry, "时长不对")
    assert {e.id for e in db.session.scalars(services.disputes_query(ctx["officer"]))} == {
        upheld.id,
        rejected.id,
    }
    with pytest.raises(Forbidden):
        services.resolve_log(ctx["mentor"], upheld, Resolution.upheld)
    outsider = UserFactory(roles=[Role.officer])
    with pytest.raises(NotFound):
        services.resolve_log(outsider, upheld, Resolution.upheld)
    services.resolve_log(ctx["officer"], upheld, Resolution.upheld, "有现场照片")
    services.resolve_log(ctx["officer"], rejected, Resolution.rejected)
    db.session.refresh(ctx["m"])
    assert ctx["m"].confirmed_minutes == 120
    assert list(db.session.scalars(services.disputes_query(ctx["officer"]))) == []


def test_mentor_dashboard_shows_hours_waiting_and_quiet_apprentices(ctx):
    quiet = MentorshipFactory(mentor=ctx["mentor"], start_date=_local_today() - timedelta(days=60))
    MentorLogFactory(mentorship=quiet, session_date=_local_today() - timedelta(days=20))
    entry = log(ctx, minutes=90)
    services.confirm_log(ctx["apprentice"], entry)
    log(ctx, minutes=30)
    board = services.mentor_dashboard(ctx["mentor"], idle_days=14)
    assert board["month_confirmed_hours"] == 1.5
    assert [r.mentorship.id for r in board["idle"]] == [quiet.id]
    assert {w.minutes for w in board["waiting_logs"]} == {30, 60}


def test_apprentice_dashboard_shows_confirmed_hours_and_logs_to_confirm(ctx):
    entry = log(ctx, minutes=120)
    log(ctx, minutes=30)
    services.confirm_log(ctx["apprentice"], entry)
    board = services.apprentice_dashboard(ctx["apprentice"])
    assert board["confirmed_hours"] == 2.0
    assert [e.minutes for e in board["to_confirm"]] == [30]
    assert board["current"][0].mentor.id == ctx["mentor"].id


def test_goals_are_kept_by_mentor_and_apprentice_not_strangers(ctx):
    goal = services.add_goal(ctx["mentor"], ctx["m"], skill="仰焊单面焊双面成型")
    services.update_goal(ctx["apprentice"], goal, status="in_progress")
    services.update_goal(ctx["mentor"], goal, status="achieved")
    assert goal.achieved_at is not None
    with pytest.raises(NotFound):
        services.update_goal(UserFactory(), goal, status="dropped")
    with pytest.raises(Invalid):
        services.add_goal(ctx["mentor"], ctx["m"], skill="")


def test_a_dispute_is_announced_for_the_officer(ctx):
    from lms.signals import mentor_log_disputed

    entry = log(ctx)
    received = []
    with mentor_log_disputed.connected_to(lambda sender, **kw: received.append(kw)):
        services.dispute_log(ctx["apprentice"], entry, "没有这次带徒")
    assert received[0]["log_id"] == entry.id
    assert received[0]["organization_id"] == ctx["m"].organization_id
