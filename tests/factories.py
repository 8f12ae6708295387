"""factory_boy factories for test data. Each package adds its own below its heading."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from lms.accounts.models import (
    Honor,
    HonorKind,
    HonorLevel,
    Organization,
    OrgKind,
    Role,
    User,
    UserRole,
)

DEFAULT_PASSWORD = "secret-pass-1"
_HASHES: dict[str, str] = {}


def bind(session) -> None:
    """Point every factory at the test's session."""
    for cls in _all_subclasses(BaseFactory):
        cls._meta.sqlalchemy_session = session


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def password_hash(password: str = DEFAULT_PASSWORD) -> str:
    if password not in _HASHES:
        from lms.accounts.passwords import hash_password

        _HASHES[password] = hash_password(password)
    return _HASHES[password]


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"


class OrganizationFactory(BaseFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgKind.federation
    parent = None
    path = ""

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        if create:
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.id}/"


class EnterpriseFactory(OrganizationFactory):
    kind = OrgKind.enterprise
    parent = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"企业{n}")


class WorkshopFactory(OrganizationFactory):
    kind = OrgKind.workshop
    parent = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"车间{n}")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Faker("name", locale="zh_CN")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    organization = factory.SubFactory(WorkshopFactory)
    password_hash = factory.LazyFunction(password_hash)
    trade = "焊工"

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        roles = extracted if extracted is not None else [Role.worker]
        obj.role_rows = [UserRole(role=Role(r)) for r in roles]
        if create:
            factory_session = UserFactory._meta.sqlalchemy_session
            factory_session.flush()


class HonorFactory(BaseFactory):
    class Meta:
        model = Honor

    user = factory.SubFactory(UserFactory)
    kind = HonorKind.model_worker
    level = HonorLevel.city
    year = 2021


# --- mentorship ---

from datetime import date as _date  # noqa: E402
from datetime import timedelta as _timedelta  # noqa: E402

from lms.db import utcnow as _utcnow  # noqa: E402
from lms.mentorship.models import (  # noqa: E402
    Goal,
    LogKind,
    LogStatus,
    MentorLog,
    Mentorship,
    MentorshipStatus,
    Programme,
)


def _local_today() -> _date:
    """Today in the installation's zone (the rules compare with it, not with UTC)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


class MentorFactory(UserFactory):
    trade = "焊工"
    skill_level = "senior_technician"

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        roles = extracted if extracted is not None else [Role.mentor, Role.worker]
        obj.role_rows = [UserRole(role=Role(r)) for r in roles]
        if create:
            MentorFactory._meta.sqlalchemy_session.flush()


class ProgrammeFactory(BaseFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"带徒项目{n}")
    organization = factory.SubFactory(EnterpriseFactory)


class MentorshipFactory(BaseFactory):
    """An active, signed pairing that started 30 days ago, in the apprentice's unit."""

    class Meta:
        model = Mentorship

    mentor = factory.SubFactory(MentorFactory)
    apprentice = factory.SubFactory(UserFactory)
    organization = factory.SelfAttribute("apprentice.organization")
    programme = None
    programme_key = factory.LazyAttribute(lambda o: o.programme.id if o.programme else 0)
    status = MentorshipStatus.active
    start_date = factory.LazyFunction(lambda: _local_today() - _timedelta(days=30))
    planned_end = factory.LazyAttribute(lambda o: o.start_date + _timedelta(days=365))
    agreement = "师徒协议"
    mentor_signed_at = factory.LazyFunction(_utcnow)
    apprentice_signed_at = factory.LazyFunction(_utcnow)


class GoalFactory(BaseFactory):
    class Meta:
        model = Goal

    mentorship = factory.SubFactory(MentorshipFactory)
    skill = factory.Sequence(lambda n: f"技能{n}")


class MentorLogFactory(BaseFactory):
    class Meta:
        model = MentorLog

    mentorship = factory.SubFactory(MentorshipFactory)
    mentor_id = factory.SelfAttribute("mentorship.mentor_id")
    session_date = factory.LazyFunction(lambda: _local_today() - _timedelta(days=1))
    minutes = 60
    kind = LogKind.on_the_job
    topic = "平焊打底"
    status = LogStatus.submitted


# --- courses ---
from courses.models import (  # noqa: E402
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Lecture,
    LectureKind,
    Option,
    Question,
)
from lms.db import utcnow  # noqa: E402


class CourseFactory(BaseFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"课程{n}")
    summary = "一门好课"
    trade = "焊工"
    organization = factory.SubFactory(EnterpriseFactory)
    status = CourseStatus.published
    published_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def lecturers(obj, create, extracted, **kwargs):
        if extracted:
            obj.lecturers = list(extracted)


class LectureFactory(BaseFactory):
    class Meta:
        model = Lecture

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"第{n}讲")
    kind = LectureKind.text
    body = "正文"
    position = factory.Sequence(lambda n: n + 1)


class QuizFactory(LectureFactory):
    kind = LectureKind.quiz
    pass_mark = 60

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        """``questions=[("题干", multiple, [("选项", correct), ...]), ...]``; default one."""
        spec = extracted or [
            ("焊接作业区多少米内不得有易燃物？", False, [("10 米", True), ("1 米", False)])
        ]
        for pos, (text, multiple, options) in enumerate(spec, start=1):
            question = Question(text=text, multiple=multiple, position=pos)
            question.options = [
                Option(text=t, correct=c, position=i) for i, (t, c) in enumerate(options, start=1)
            ]
            obj.questions.append(question)
        if create:
            QuizFactory._meta.sqlalchemy_session.flush()


class EnrollmentFactory(BaseFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    status = EnrollmentStatus.enrolled


# --- notifications ---
from lms.notifications.models import Category, Notification  # noqa: E402


class NotificationFactory(BaseFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    category = Category.system
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "正文"
    link = "/"


# --- certificates ---
from lms.certificates.models import Certificate, CertificateKind  # noqa: E402


class CertificateFactory(BaseFactory):
    class Meta:
        model = Certificate

    holder = factory.SubFactory(UserFactory)
    kind = CertificateKind.course
    subject_type = "course"
    subject_id = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"课程{n}")
    organization = factory.SelfAttribute("holder.organization")
    issued_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 11, 1))
    serial = factory.Sequence(lambda n: f"GJT{n:08d}")
    code = factory.Sequence(lambda n: f"CODE{n:012d}")


# --- training ---

from datetime import timedelta  # noqa: E402

from lms.db import utcnow  # noqa: E402
from lms.training.models import (  # noqa: E402
    ClassSession,
    RosterEntry,
    RosterStatus,
    TrainingClass,
)


class TrainingClassFactory(BaseFactory):
    class Meta:
        model = TrainingClass

    title = factory.Sequence(lambda n: f"焊工培训班{n}")
    organization = factory.SubFactory(EnterpriseFactory)
    feed_token = factory.Sequence(lambda n: f"class-feed-{n}")
    location = "培训中心 201"


class ClassSessionFactory(BaseFactory):
    class Meta:
        model = ClassSession

    training_class = factory.SubFactory(TrainingClassFactory)
    starts_at = factory.LazyFunction(lambda: utcnow().replace(microsecond=0) + timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    room = ""


class RosterEntryFactory(BaseFactory):
    class Meta:
        model = RosterEntry

    training_class = factory.SubFactory(TrainingClassFactory)
    class_id = factory.LazyAttribute(lambda o: o.training_class.id)
    user = factory.SubFactory(UserFactory)
    user_id = factory.LazyAttribute(lambda o: o.user.id)
    status = RosterStatus.seated
    seated_at = factory.LazyFunction(utcnow)
