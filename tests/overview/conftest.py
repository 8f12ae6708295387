"""A hand-made year (2025) whose totals are known in advance, for the growth record's sources
and the overview's figures. Every row is placed by hand; the expected figures are written out
in the tests, not computed from the rows.

    union (federation)
    ├── plant A (enterprise) ── shop A (workshop): worker_a, mentor, hero
    └── plant B (enterprise): worker_b, worker_c, mentor_b
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from courses.models import EnrollmentStatus
from lms.accounts.models import HonorKind, HonorLevel, Role
from lms.care.models import CareCase, CaseStatus, Visit, VisitStatus
from lms.certificates.models import CertificateStatus
from lms.extensions import db
from lms.innovation.models import Innovation, InnovationKind, Stage
from lms.mentorship.models import LogStatus, MentorshipStatus
from lms.training.models import Attendance, AttendanceStatus, CheckinMethod, SessionStatus
from tests.factories import (
    CertificateFactory,
    ClassSessionFactory,
    CourseFactory,
    EnrollmentFactory,
    EnterpriseFactory,
    HonorFactory,
    MentorFactory,
    MentorLogFactory,
    MentorshipFactory,
    OrganizationFactory,
    TrainingClassFactory,
    UserFactory,
    WorkshopFactory,
)

BJ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=BJ)


@pytest.fixture
def app_overrides() -> dict:
    """Every page counts afresh here; tests/overview/test_cache.py tries the cache."""
    return {"OVERVIEW_CACHE_SECONDS": 0}


def _mark(session, user, status=AttendanceStatus.present):
    db.session.add(
        Attendance(
            session_id=session.id,
            user_id=user.id,
            status=status,
            method=CheckinMethod.manual,
            checked_in_at=session.starts_at if status != AttendanceStatus.absent else None,
        )
    )


def _session(klass, starts, hours, status=SessionStatus.scheduled):
    return ClassSessionFactory(
        training_class=klass,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        status=status,
    )


@pytest.fixture
def year(app):
    union = OrganizationFactory(name="市总工会")
    plant_a = EnterpriseFactory(parent=union, name="甲机械厂")
    shop_a = WorkshopFactory(parent=plant_a, name="甲厂焊接车间")
    plant_b = EnterpriseFactory(parent=union, name="乙供电公司")
    elsewhere = OrganizationFactory(name="外市总工会")

    worker_a = UserFactory(organization=shop_a, name="王小焊")
    worker_b = UserFactory(organization=plant_b, name="李电工")
    worker_c = UserFactory(organization=plant_b, name="赵学员")
    stranger = UserFactory(organization=elsewhere, name="外人")
    mentor = MentorFactory(organization=shop_a, name="高师傅")
    mentor_b = MentorFactory(organization=plant_b, name="陈师傅")
    hero = UserFactory(organization=shop_a, name="劳模甲")
    union_officer = UserFactory(organization=union, roles=[Role.officer], name="市总专员")
    plant_officer = UserFactory(organization=plant_a, roles=[Role.officer], name="甲厂专员")
    b_officer = UserFactory(organization=plant_b, roles=[Role.officer], name="乙厂专员")

    # Training: class A (plant A) 2 h + 3 h + a cancelled session + one at 23:30 on 31 December
    # (December, local) and one at 00:30 on 1 January 2026 (not 2025, though still 2025 in UTC).
    class_a = TrainingClassFactory(organization=plant_a, title="焊工提高班")
    s1 = _session(class_a, at(2025, 3, 10, 9), 2)
    s2 = _session(class_a, at(2025, 4, 15, 14), 3)
    _session(class_a, at(2025, 5, 1, 9), 2, SessionStatus.cancelled)
    s_dec = _session(class_a, at(2025, 12, 31, 23, 30), 1)
    s_jan = _session(class_a, at(2026, 1, 1, 0, 30), 1)
    class_b = TrainingClassFactory(organization=plant_b, title="电工安全班")
    s_b = _session(class_b, at(2025, 3, 20, 9), 2)
    class_x = TrainingClassFactory(organization=elsewhere, title="外市班")
    s_x = _session(class_x, at(2025, 3, 20, 9), 2)
    _mark(s1, worker_a)
    _mark(s2, worker_a)
    _mark(s_dec, worker_a)
    _mark(s_jan, worker_a)
    _mark(s1, worker_b, AttendanceStatus.late)
    _mark(s_b, worker_b)
    _mark(s2, worker_c, AttendanceStatus.absent)
    _mark(s_x, stranger)

    # Courses: 4 h; A and B complete in June, C does not; the stranger completes elsewhere.
    course = CourseFactory(organization=plant_a, title="焊接安全", hours=4)
    EnrollmentFactory(
        user=worker_a, course=course, status=EnrollmentStatus.completed, completed_at=at(2025, 6, 1)
    )
    EnrollmentFactory(
        user=worker_b, course=course, status=EnrollmentStatus.completed, completed_at=at(2025, 6, 2)
    )
    EnrollmentFactory(user=worker_c, course=course)
    EnrollmentFactory(
        user=stranger, course=course, status=EnrollmentStatus.completed, completed_at=at(2025, 6, 3)
    )

    # Mentoring: A is apprenticed to 高师傅 in February (90 min confirmed, 30 submitted);
    # C graduated under 陈师傅 in August; a proposed pairing does not count.
    pairing = MentorshipFactory(
        mentor=mentor, apprentice=worker_a, start_date=date(2025, 2, 1), confirmed_minutes=90
    )
    MentorLogFactory(
        mentorship=pairing, session_date=date(2025, 2, 10), minutes=90, status=LogStatus.confirmed
    )
    MentorLogFactory(mentorship=pairing, session_date=date(2025, 2, 11), minutes=30)
    MentorshipFactory(
        mentor=mentor_b,
        apprentice=worker_c,
        start_date=date(2024, 9, 1),
        status=MentorshipStatus.completed,
        final_assessment="合格",
        graduation_approved_at=at(2025, 8, 1),
    )
    MentorshipFactory(
        mentor=mentor_b,
        apprentice=worker_b,
        start_date=date(2025, 3, 1),
        status=MentorshipStatus.proposed,
    )

    # Certificates: A's is valid; B's was revoked.
    CertificateFactory(
        holder=worker_a, title="焊接安全结业证书", issued_on=date(2025, 6, 1), serial="GJT20250001"
    )
    CertificateFactory(
        holder=worker_b,
        title="焊接安全结业证书",
        issued_on=date(2025, 6, 2),
        status=CertificateStatus.revoked,
    )

    # Care: one case and one visit for worker A (shop A); an internal case is still counted.
    db.session.add_all(
        [
            CareCase(
                person_id=worker_a.id,
                organization_id=shop_a.id,
                need="illness",
                help_kind="special_hardship",
                title="住院帮扶",
                owner_id=plant_officer.id,
                status=CaseStatus.open,
                opened_on=date(2025, 7, 1),
            ),
            Visit(
                person_id=worker_a.id,
                organization_id=shop_a.id,
                occasion="holiday",
                status=VisitStatus.done,
                planned_on=date(2025, 1, 20),
                visited_on=date(2025, 1, 20),
            ),
        ]
    )

    # Innovation: a suggestion in plant A (March); a technical innovation in plant B adopted in
    # May with 12,000 yuan verified in September; a merged duplicate does not count.
    db.session.add_all(
        [
            Innovation(
                kind=InnovationKind.suggestion,
                title="焊渣回收",
                problem="浪费",
                author_id=worker_a.id,
                organization_id=shop_a.id,
                stage=Stage.review,
                submitted_at=at(2025, 3, 5),
            ),
            Innovation(
                kind=InnovationKind.technical,
                title="巡检机器人",
                problem="人工巡检慢",
                method="改造",
                author_id=worker_b.id,
                organization_id=plant_b.id,
                stage=Stage.adopted,
                submitted_at=at(2025, 4, 1),
                decided_at=at(2025, 5, 6),
                actual_benefit=Decimal("12000.00"),
                benefit_verified_at=at(2025, 9, 9),
            ),
            Innovation(
                kind=InnovationKind.suggestion,
                title="重复",
                problem="同上",
                author_id=worker_c.id,
                organization_id=plant_b.id,
                stage=Stage.merged,
                submitted_at=at(2025, 3, 6),
            ),
        ]
    )

    # Honours: A became chief technician in 2025; the hero a city model worker in 2025 and a
    # provincial one in 2019 (another year).
    HonorFactory(user=worker_a, kind=HonorKind.chief_technician, level=HonorLevel.city, year=2025)
    HonorFactory(user=hero, kind=HonorKind.model_worker, level=HonorLevel.city, year=2025)
    HonorFactory(user=hero, kind=HonorKind.model_worker, level=HonorLevel.provincial, year=2019)
    db.session.commit()
    return {
        "union": union,
        "plant_a": plant_a,
        "shop_a": shop_a,
        "plant_b": plant_b,
        "elsewhere": elsewhere,
        "worker_a": worker_a,
        "worker_b": worker_b,
        "worker_c": worker_c,
        "mentor": mentor,
        "hero": hero,
        "stranger": stranger,
        "union_officer": union_officer,
        "plant_officer": plant_officer,
        "b_officer": b_officer,
    }
