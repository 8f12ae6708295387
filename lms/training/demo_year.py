"""Demo: a year of monthly skills classes in both demo enterprises, with attendance, so the
five-links overview of the demo federation shows months and organizations side by side.
Everything goes through the training services, as an officer would do it."""

from __future__ import annotations

from datetime import date

from lms.accounts.models import Role
from lms.core.demo import DemoData, register_loader
from lms.db import utcnow
from lms.timeutil import local_datetime, to_local
from lms.training import services
from lms.training.models import AttendanceStatus, RegistrationMode

TOPICS = ["安全生产", "识图与工艺", "质量控制", "设备点检", "新技术应用", "班组管理"]


def _people_of(data: DemoData, organization) -> list:
    return [
        person
        for handle, person in data.people.items()
        if handle.startswith(("worker", "extra"))
        and person.organization.path.startswith(organization.path)
        and Role.worker in person.roles
    ]


def _status(month: int, session: int, i: int) -> AttendanceStatus:
    if (month + i) % 6 == 0:
        return AttendanceStatus.absent
    if (month * 3 + session + i) % 7 == 0:
        return AttendanceStatus.late
    return AttendanceStatus.present


def load(data: DemoData) -> None:
    today = to_local(utcnow()).date()
    plans = [("machine", "officer"), ("power", "officer_power")]
    for month in range(1, today.month):
        for org_handle, officer_handle in plans:
            organization, officer = data.orgs[org_handle], data.people[officer_handle]
            people = _people_of(data, organization)
            if not people:
                continue
            # Attendance grows over the year: more of the roster is invited as months pass.
            roster = people[: max(3, min(len(people), 4 + month))]
            topic = TOPICS[month % len(TOPICS)]
            training_class = services.create_class(
                officer,
                organization=organization,
                title=f"{month}月{topic}培训",
                description="每月一期的岗位技能培训。",
                location=f"{organization.name}培训教室",
                registration_mode=RegistrationMode.assigned,
            )
            services.add_people(officer, training_class, roster)
            for n, day in enumerate((8, 22)):
                on = date(today.year, month, day)
                [session] = services.schedule_sessions(
                    officer,
                    training_class,
                    starts_at=local_datetime(on, 9, 0),
                    ends_at=local_datetime(on, 11, 0),
                    room=f"{org_handle}-{month}-{n}",
                )
                marks = {p.id: _status(month, n, i) for i, p in enumerate(roster)}
                services.mark_attendance(officer, session, marks)
                services.close_session(session.id)


def register() -> None:
    register_loader(31, load)
