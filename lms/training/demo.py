"""Demo: a welding class on Saturdays with past attendance and a session today."""

from __future__ import annotations

from datetime import timedelta

from lms.core.demo import DemoData, register_loader
from lms.db import utcnow
from lms.timeutil import local_datetime, to_local
from lms.training import services
from lms.training.models import AttendanceStatus, RegistrationMode


def load(data: DemoData) -> None:
    officer = data.people["officer"]
    mentor = data.people["mentor"]
    machine = data.orgs["machine"]
    training_class = services.create_class(
        officer,
        organization=machine,
        title="焊工技能提升班（第三期）",
        description="八个周六，手工电弧焊与气体保护焊实操，由首席技师高铁军授课。",
        instructor_ids=[mentor.id],
        capacity=20,
        location="江城重型机械厂培训中心 201 焊接实训室",
        registration_mode=RegistrationMode.assigned,
    )
    today = to_local(utcnow()).date()
    # Four Saturdays in the past, then four to come.
    days_since_saturday = (today.weekday() - 5) % 7
    first = today - timedelta(days=days_since_saturday + 21)
    sessions = services.schedule_sessions(
        officer,
        training_class,
        starts_at=local_datetime(first, 9, 0),
        ends_at=local_datetime(first, 11, 30),
        room="焊接实训室 201",
        instructor_id=mentor.id,
        recurrence=services.Recurrence(weekdays=[5], count=8),
    )
    # The welders of the welding workshop (the named demo workers first), up to capacity.
    welders = [
        person
        for handle, person in data.people.items()
        if handle.startswith(("worker", "extra")) and person.organization_id == data.orgs["weld"].id
    ]
    workers = welders[:16]
    services.add_people(officer, training_class, workers)
    # A session today (now until two hours from now) so the QR screen can be tried at once.
    now = utcnow()
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=5)
    if not any(s.starts_at < start + timedelta(hours=2) and s.ends_at > start for s in sessions):
        services.schedule_sessions(
            officer,
            training_class,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            room="焊接实训室 202",
            instructor_id=mentor.id,
        )

    def demo_status(i: int, j: int) -> AttendanceStatus:
        """Most come; one in five is often away (a warning); some are late now and then."""
        if j % 5 == 3:
            return AttendanceStatus.absent if i % 2 == 0 else AttendanceStatus.present
        if (i + j) % 4 == 1 and j >= 2:
            return AttendanceStatus.late
        return AttendanceStatus.present

    # Past sessions: the workers checked in as they would have (through the same service,
    # at the time they arrived); whoever did not is marked absent when the session closes.
    for i, session in enumerate(s for s in sessions if s.ends_at < now):
        for j, worker in enumerate(workers):
            status = demo_status(i, j)
            if status == AttendanceStatus.absent:
                continue
            minutes = 14 if status == AttendanceStatus.late else 2
            at = session.starts_at + timedelta(minutes=minutes)
            token = services.checkin_token(session.id, at)
            services.check_in(worker, session, token=token, now=at)
        services.close_session(session.id)
    data.extra["training_class"] = training_class


def register() -> None:
    register_loader(30, load)
