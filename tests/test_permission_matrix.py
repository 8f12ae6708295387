"""Who may call what: every route and method of the app × six callers, against ONE table.

The callers are the demo's people: a worker (W0001), a mentor (M0001, the worker's master),
an officer of the worker's enterprise (T0001), an admin (A0001), an officer of another
enterprise (T0002), and an anonymous caller. URL parameters are real ids from the demo data
and a few objects made here, all in the first enterprise (江城重型机械厂), so the other
enterprise's officer must be refused wherever an id is in the URL.

Each cell is one request on the same seeded data (the database is restored after every
request that may change it). What counts as an answer:
- allowed: anything but 401, 403, 404, a redirect to the sign-in page, or a server error —
  a 409 or 422 for an empty form or body still proves the caller got past the door;
- refused, signed in: 403 or 404;
- refused, anonymous: 401 from the API, a redirect to the sign-in page from a page.

A route with no entry in ``MATRIX`` fails the test, naming the entry to add. To declare a new
route, add ``"<endpoint> <METHOD>": may(...)`` next to its neighbours: who may call it, and,
if the default ids below do not suit it, which ids to put in its URL (``ids={...}``).
Set ``PERMISSION_MATRIX_SHOW=1`` to print every cell's answer.
"""

from __future__ import annotations

import json as jsonlib
import os
import sqlite3
from urllib.parse import urlencode

import pytest

from lms.core.demo import DEMO_PASSWORD, load_all
from lms.extensions import db
from tests.matrix import (  # noqa: F401 - the groups are the table's vocabulary
    ADMIN,
    CALLERS,
    EVERYONE,
    IN_SCOPE,
    LEARNERS,
    MENTOR,
    NOBODY,
    OFFICERS,
    PAIR,
    SIGNED_IN,
    WORKER,
    Ref,
    Rule,
    may,
    pieces,
)

# The default value of each URL parameter: a name in the seed (see ``seed``) or a literal.
DEFAULT_IDS = {
    "attachment_id": "attachment",
    "batch_id": "batch",  # the certificates' batch; care's check-up batches name "care_batch"
    "case_id": "care_case",
    "certificate_id": "certificate",
    "checkup_id": "checkup",
    "class_id": "klass",
    "code": "certificate_code",
    "course_id": "course",
    "decision": "approve",
    "duty_id": "care_duty",
    "excuse_id": "excuse",
    "filename": "css/app.css",
    "goal_id": "goal",
    "item_id": "innovation_item",
    "kind": "text",
    "lecture_id": "lecture",
    "locale": "en",
    "log_id": "log",
    "mentorship_id": "mentorship",
    "message_id": "mail",
    "nomination_id": "nomination",
    "notification_id": "notification",
    "org_id": "workshop",
    "person_id": "care_person",
    "question_id": "question",
    "session_id": "session",
    "step_id": "care_step",
    "studio_id": "studio",
    "token": "checkin_token",  # the QR code's; the calendar feeds name theirs
    "token_id": "api_token",
    "trip_id": "trip",
    "user_id": "worker",
    "visit_id": "visit",
}

for _piece in pieces():
    _clash = set(_piece.DEFAULT_IDS) & set(DEFAULT_IDS)
    assert not _clash, f"{_piece.__name__} redefines DEFAULT_IDS {sorted(_clash)}"
    DEFAULT_IDS.update(_piece.DEFAULT_IDS)

NEW_TIMES = {"starts_at": "2027-01-05T09:00:00+08:00", "ends_at": "2027-01-05T11:00:00+08:00"}

# ONE table: "<endpoint> <METHOD>" → who may call it. Keep it sorted by endpoint.
MATRIX: dict[str, Rule] = {
    # accounts: sign-in, one's own account, people and organizations in scope
    "accounts.login GET": may(EVERYONE),
    "accounts.login POST": may(EVERYONE),
    "accounts.logout POST": may(SIGNED_IN),
    "accounts.set_locale POST": may(EVERYONE),
    "accounts.profile GET": may(SIGNED_IN),
    "accounts.profile POST": may(SIGNED_IN),
    "accounts.change_password GET": may(SIGNED_IN),
    "accounts.change_password POST": may(SIGNED_IN),
    "accounts.tokens GET": may(SIGNED_IN),
    "accounts.tokens POST": may(SIGNED_IN),
    "accounts.revoke_token POST": may(WORKER),
    "accounts.mentors GET": may(EVERYONE, why="the public list of masters"),
    "accounts.mentor_profile GET": may(EVERYONE, ids={"user_id": "mentor"}),
    "accounts.organizations GET": may(SIGNED_IN),
    "accounts.new_organization GET": may(OFFICERS),
    "accounts.new_organization POST": may(OFFICERS),
    "accounts.people GET": may(OFFICERS),
    "accounts.person GET": may(WORKER, IN_SCOPE),
    "accounts.person POST": may(WORKER, IN_SCOPE),
    "accounts.import_people GET": may(OFFICERS),
    "accounts.import_people POST": may(OFFICERS),
    "accounts.import_template GET": may(OFFICERS),
    "accounts.new_person GET": may(OFFICERS),
    "accounts.new_person POST": may(OFFICERS),
    "accounts.export_people GET": may(OFFICERS, why="the people in one's own scope, audited"),
    "accounts.sign_out_everywhere POST": may(SIGNED_IN),
    "accounts-api.Me GET": may(SIGNED_IN),
    "accounts-api.Me PATCH": may(SIGNED_IN),
    "accounts-api.Tokens GET": may(SIGNED_IN),
    "accounts-api.Tokens POST": may(SIGNED_IN, json={"name": "平板"}),
    "accounts-api.TokenItem DELETE": may(WORKER),
    "accounts-api.Users GET": may(SIGNED_IN, why="each sees the people in their own scope"),
    "accounts-api.Users POST": may(
        IN_SCOPE,
        json={
            "employee_no": "W9001",
            "name": "新学员",
            "organization_id": Ref("workshop"),
            "password": "Hammer-and-anvil-2026",
        },
    ),
    "accounts-api.UserItem GET": may(WORKER, IN_SCOPE),
    "accounts-api.UserItem PATCH": may(WORKER, IN_SCOPE),
    "accounts-api.UserRoles PUT": may(IN_SCOPE, json={"roles": ["worker", "mentor"]}),
    "accounts-api.Organizations GET": may(SIGNED_IN),
    "accounts-api.Organizations POST": may(OFFICERS),
    "accounts-api.OrganizationItem GET": may(WORKER, MENTOR, IN_SCOPE),
    # core: home, health, documents, static files, the admin's pages
    "core.home GET": may(EVERYONE),
    "core.healthz GET": may(EVERYONE),
    "core.readyz GET": may(EVERYONE),
    "core.admin_status GET": may(ADMIN),
    "core.docs_assets GET": may(EVERYONE, ids={"filename": "index.css"}),
    "api-docs.openapi_json GET": may(EVERYONE),
    "core.api_docs GET": may(EVERYONE),
    "core.static GET": may(EVERYONE, ids={"filename": "api-docs.js"}),
    "static GET": may(EVERYONE),
    # audit
    "audit.log GET": may(OFFICERS),
    "audit-api.AuditEntries GET": may(OFFICERS),
    # certificates
    "certificates.index GET": may(SIGNED_IN),
    "certificates.detail GET": may(WORKER, IN_SCOPE),
    "certificates.download GET": may(WORKER, IN_SCOPE),
    "certificates.reissue POST": may(IN_SCOPE),
    "certificates.revoke POST": may(IN_SCOPE),
    "certificates.batches GET": may(OFFICERS),
    "certificates.new_batch GET": may(OFFICERS),
    "certificates.new_batch POST": may(OFFICERS),
    "certificates.batch GET": may(IN_SCOPE),
    "certificates.batch_progress GET": may(IN_SCOPE),
    "certificates.batch_zip GET": may(IN_SCOPE),
    "certificates.verify GET": may(EVERYONE, why="the QR code on a certificate"),
    "certificates-api.Certificates GET": may(SIGNED_IN),
    "certificates-api.CertificateItem GET": may(WORKER, IN_SCOPE),
    "certificates-api.Revoke POST": may(IN_SCOPE, json={"reason": "信息有误"}),
    "certificates-api.Batches POST": may(
        IN_SCOPE,
        json={
            "kind": "class",
            "title": "焊工技能提升班结业",
            "subject_type": "training_class",
            "subject_id": Ref("klass"),
            "holders": ["W0001"],
        },
    ),
    "certificates-api.Batch GET": may(IN_SCOPE),
    "certificates-verify-api.Verify GET": may(EVERYONE),
    # courses (a published course of the first enterprise; M0001 writes courses)
    "courses.catalog GET": may(SIGNED_IN),
    "courses.my_learning GET": may(SIGNED_IN),
    "courses.manage GET": may(MENTOR, OFFICERS),
    "courses.new_course GET": may(MENTOR, OFFICERS),
    "courses.new_course POST": may(MENTOR, OFFICERS),
    "courses.course GET": may(SIGNED_IN, why="published; audiences are under review (issue 13)"),
    "courses.cover GET": may(SIGNED_IN),
    "courses.enroll POST": may(SIGNED_IN),
    "courses.withdraw POST": may(WORKER),
    "courses.edit_course GET": may(MENTOR, IN_SCOPE),
    "courses.edit_course POST": may(MENTOR, IN_SCOPE),
    "courses.new_lecture GET": may(MENTOR, IN_SCOPE),
    "courses.new_lecture POST": may(MENTOR, IN_SCOPE),
    "courses.publish POST": may(IN_SCOPE),
    "courses.archive POST": may(IN_SCOPE),
    "courses.assign GET": may(IN_SCOPE),
    "courses.assign POST": may(IN_SCOPE),
    "courses.report GET": may(IN_SCOPE),
    "courses.report_xlsx GET": may(IN_SCOPE),
    "courses.learners_xlsx GET": may(IN_SCOPE),
    "courses.lecture GET": may(LEARNERS),
    "courses.lecture_done POST": may(LEARNERS),
    "courses.lecture_media GET": may(LEARNERS, ids={"lecture_id": "video_lecture"}),
    "courses.submit_quiz POST": may(LEARNERS),
    "courses.save_position POST": may(
        LEARNERS,
        ids={"lecture_id": "video_lecture"},
        form={"position_seconds": "30"},
        why="as the API's save_progress: a learner's is saved, a lecturer's preview is not",
    ),
    "courses.edit_lecture GET": may(MENTOR, IN_SCOPE),
    "courses.edit_lecture POST": may(MENTOR, IN_SCOPE),
    "courses.delete_lecture POST": may(MENTOR, IN_SCOPE),
    "courses.move_lecture POST": may(MENTOR, IN_SCOPE),
    "courses.add_question POST": may(MENTOR, IN_SCOPE),
    "courses.delete_question POST": may(MENTOR, IN_SCOPE),
    "courses-api.Courses GET": may(SIGNED_IN),
    "courses-api.Courses POST": may(MENTOR, OFFICERS, json={"title": "仰焊入门"}),
    "courses-api.CourseItem GET": may(SIGNED_IN, why="published; audiences are under review"),
    "courses-api.CourseItem PATCH": may(MENTOR, IN_SCOPE, json={"title": "压力容器焊接"}),
    "courses-api.publish POST": may(IN_SCOPE),
    "courses-api.archive POST": may(IN_SCOPE),
    "courses-api.assign POST": may(IN_SCOPE),
    "courses-api.report GET": may(IN_SCOPE),
    "courses-api.MyEnrollment GET": may(WORKER),
    "courses-api.MyEnrollment POST": may(SIGNED_IN),
    "courses-api.MyEnrollment DELETE": may(WORKER),
    "courses-api.my_enrollments GET": may(SIGNED_IN),
    "courses-api.CourseLectures GET": may(SIGNED_IN),
    "courses-api.CourseLectures POST": may(
        MENTOR, IN_SCOPE, json={"kind": "text", "title": "坡口准备"}
    ),
    "courses-api.CourseLectures PUT": may(MENTOR, IN_SCOPE),
    "courses-api.LectureItem GET": may(LEARNERS),
    "courses-api.LectureItem PATCH": may(MENTOR, IN_SCOPE, json={"title": "安全须知"}),
    "courses-api.submit_quiz POST": may(LEARNERS),
    "courses-api.save_progress PUT": may(LEARNERS),
    # mentorship (the pairing M0001 → W0001, a log awaiting W0001's confirmation)
    "mentorship.mentor_dashboard GET": may(MENTOR),
    "mentorship.log_session GET": may(MENTOR),
    "mentorship.log_session POST": may(MENTOR),
    "mentorship.apprentice_dashboard GET": may(SIGNED_IN),
    "mentorship.request_mentor POST": may(WORKER, MENTOR),
    "mentorship.officer_list GET": may(OFFICERS),
    "mentorship.disputes GET": may(OFFICERS),
    "mentorship.export GET": may(OFFICERS),
    "mentorship.mentors GET": may(OFFICERS),
    "mentorship.mentors POST": may(
        IN_SCOPE, form={"mentor_id": "mentor", "capacity": "3"}, why="a mentor's capacity"
    ),
    "mentorship.pair GET": may(OFFICERS),
    "mentorship.pair POST": may(OFFICERS),
    "mentorship.programmes GET": may(OFFICERS),
    "mentorship.programmes POST": may(
        IN_SCOPE, form={"organization_id": "enterprise", "name": "焊接传帮带"}
    ),
    "mentorship.detail GET": may(PAIR),
    "mentorship.sign POST": may(WORKER, MENTOR),
    "mentorship.decline POST": may(NOBODY, why="an active pairing can no longer be declined"),
    "mentorship.add_goal POST": may(PAIR),
    "mentorship.update_goal POST": may(PAIR),
    "mentorship.assessment POST": may(MENTOR, form={"final_assessment": "技术过硬，可以出师。"}),
    "mentorship.graduate POST": may(IN_SCOPE),
    "mentorship.transition POST": may(MENTOR, IN_SCOPE, form={"to": "paused"}),
    "mentorship.confirm_log POST": may(WORKER),
    "mentorship.dispute_log POST": may(WORKER),
    "mentorship.resolve_log POST": may(IN_SCOPE),
    "mentorship.attachment GET": may(PAIR),
    "mentorship-api.Mentorships GET": may(SIGNED_IN),
    "mentorship-api.Mentorships POST": may(
        IN_SCOPE,
        json={
            "mentor_id": Ref("mentor"),
            "apprentice_id": Ref("second_worker"),
            "start_date": "2027-01-04",
            "planned_end": "2027-12-31",
        },
    ),
    "mentorship-api.MentorshipItem GET": may(PAIR),
    "mentorship-api.Signature POST": may(WORKER, MENTOR),
    "mentorship-api.Decline POST": may(NOBODY, why="an active pairing can no longer be declined"),
    "mentorship-api.Goals GET": may(PAIR),
    "mentorship-api.Goals POST": may(PAIR, json={"skill": "仰焊"}),
    "mentorship-api.GoalItem PATCH": may(PAIR),
    "mentorship-api.Logs GET": may(PAIR),
    "mentorship-api.Logs POST": may(
        MENTOR,
        json={"session_date": "2026-11-30", "minutes": 60, "kind": "practice", "topic": "立焊"},
    ),
    "mentorship-api.Assessment PUT": may(MENTOR, json={"final_assessment": "技术过硬，可以出师。"}),
    "mentorship-api.Graduation POST": may(IN_SCOPE),
    "mentorship-api.Transitions GET": may(PAIR),
    "mentorship-api.Transitions POST": may(MENTOR, IN_SCOPE, json={"to": "paused"}),
    "mentorship-api.ConfirmLog POST": may(WORKER),
    "mentorship-api.DisputeLog POST": may(WORKER, json={"reason": "那天没上班"}),
    "mentorship-api.ResolveLog POST": may(IN_SCOPE, json={"resolution": "upheld"}),
    "mentorship-api.Capacity PUT": may(IN_SCOPE, ids={"user_id": "mentor"}, json={"capacity": 3}),
    "mentorship-api.Programmes GET": may(SIGNED_IN),
    "mentorship-api.Programmes POST": may(
        IN_SCOPE, json={"name": "焊接传帮带", "organization_id": Ref("enterprise")}
    ),
    "mentorship-api.Requests POST": may(WORKER, MENTOR),
    "mentorship-api.Suggestions GET": may(WORKER, IN_SCOPE, query={"apprentice_id": "worker"}),
    # notifications (W0001's notification; the admin's mail outbox)
    "notifications.centre GET": may(SIGNED_IN),
    "notifications.open_notification POST": may(WORKER),
    "notifications.mark_read POST": may(WORKER),
    "notifications.mark_all_read POST": may(SIGNED_IN),
    "notifications.preferences GET": may(SIGNED_IN),
    "notifications.preferences POST": may(SIGNED_IN),
    "notifications.admin_mail GET": may(ADMIN),
    "notifications.mail_file GET": may(ADMIN),
    "notifications.retry_mail POST": may(ADMIN),
    "notifications.set_locks POST": may(ADMIN),
    "notifications-api.Notifications GET": may(SIGNED_IN),
    "notifications-api.UnreadCount GET": may(SIGNED_IN),
    "notifications-api.MarkRead POST": may(WORKER),
    "notifications-api.MarkAllRead POST": may(SIGNED_IN),
    "notifications-api.Preferences GET": may(SIGNED_IN),
    "notifications-api.Preferences PUT": may(SIGNED_IN),
    # training (the demo class of the first enterprise: W0001 on its roster, M0001 teaching)
    "training.classes GET": may(SIGNED_IN),
    "training.new_class GET": may(OFFICERS),
    "training.new_class POST": may(OFFICERS),
    "training.class_detail GET": may(LEARNERS),
    "training.edit_class GET": may(IN_SCOPE),
    "training.edit_class POST": may(IN_SCOPE),
    "training.register POST": may(NOBODY, why="the demo class takes no self-registration"),
    "training.withdraw POST": may(WORKER),
    "training.roster GET": may(MENTOR, IN_SCOPE),
    "training.roster_add POST": may(IN_SCOPE, form={"p-login": "W0002"}),
    "training.roster_filter POST": may(IN_SCOPE, form={"f-organization_id": "workshop"}),
    "training.roster_import POST": may(IN_SCOPE),
    "training.roster_remove POST": may(WORKER, IN_SCOPE, why="W0001 leaves, or is removed"),
    "training.roster_template GET": may(SIGNED_IN, why="an empty spreadsheet"),
    "training.matrix GET": may(MENTOR, IN_SCOPE),
    "training.new_sessions GET": may(IN_SCOPE),
    "training.new_sessions POST": may(IN_SCOPE),
    "training.session_detail GET": may(LEARNERS),
    "training.edit_session GET": may(IN_SCOPE),
    "training.edit_session POST": may(IN_SCOPE),
    "training.cancel_session POST": may(IN_SCOPE),
    "training.attendance GET": may(MENTOR, IN_SCOPE),
    "training.attendance POST": may(MENTOR, IN_SCOPE),
    "training.screen GET": may(MENTOR, IN_SCOPE),
    "training.screen_state GET": may(MENTOR, IN_SCOPE),
    "training.checkin POST": may(
        WORKER, form={"code": "000000"}, why="a seated learner; others are told they are not"
    ),
    "training.scan GET": may(WORKER, why="a seated learner; others are told they are not"),
    "training.confirm_scan POST": may(
        WORKER, why="the page's ticket is the seated learner's own: no body, 422 for all"
    ),
    "training.excuse POST": may(LEARNERS),
    "training.excuses GET": may(OFFICERS),
    "training.decide_excuse POST": may(IN_SCOPE),
    "training.schedule GET": may(SIGNED_IN),
    "training.reset_feed POST": may(SIGNED_IN),
    "training.person_feed GET": may(EVERYONE, ids={"token": "person_feed"}, why="secret URL"),
    "training.class_feed GET": may(EVERYONE, ids={"token": "class_feed"}, why="secret URL"),
    "training.my_history GET": may(SIGNED_IN),
    "training.history GET": may(WORKER, IN_SCOPE),
    "training.summary GET": may(OFFICERS),
    "training.warnings GET": may(OFFICERS),
    "training-api.Classes GET": may(SIGNED_IN),
    "training-api.Classes POST": may(
        IN_SCOPE, json={"title": "钳工提升班", "organization_id": Ref("enterprise")}
    ),
    "training-api.ClassItem GET": may(LEARNERS),
    "training-api.ClassItem PATCH": may(IN_SCOPE),
    "training-api.ClassMatrix GET": may(MENTOR, IN_SCOPE),
    "training-api.Registration POST": may(NOBODY, why="the demo class takes no self-registration"),
    "training-api.Roster GET": may(MENTOR, IN_SCOPE),
    "training-api.Roster POST": may(IN_SCOPE),
    "training-api.RosterItem DELETE": may(WORKER, IN_SCOPE),
    "training-api.ClassSessions GET": may(LEARNERS),
    "training-api.ClassSessions POST": may(IN_SCOPE, json=NEW_TIMES),
    "training-api.SessionItem GET": may(LEARNERS),
    "training-api.SessionItem PATCH": may(IN_SCOPE, json=NEW_TIMES),
    "training-api.SessionCancel POST": may(IN_SCOPE),
    "training-api.SessionAttendance GET": may(MENTOR, IN_SCOPE),
    "training-api.SessionAttendance PUT": may(
        MENTOR, IN_SCOPE, json={"marks": [{"user_id": Ref("worker"), "status": "present"}]}
    ),
    "training-api.Checkin POST": may(WORKER),
    "training-api.Excuses POST": may(WORKER, json={"reason": "家里有事"}),
    "training-api.ExcuseDecision POST": may(IN_SCOPE, json={"approve": True}),
    "training-api.History GET": may(WORKER, IN_SCOPE),
    "training-api.Summary GET": may(
        IN_SCOPE,
        query={"organization_id": "enterprise", "start": "2026-01-01", "end": "2026-12-31"},
    ),
}
for _piece in pieces():
    _twice = set(_piece.ENTRIES) & set(MATRIX)
    assert not _twice, f"{_piece.__name__} declares again {sorted(_twice)}"
    MATRIX.update(_piece.ENTRIES)


# --- seed -----------------------------------------------------------------------------------


def seed() -> dict[str, object]:
    """The demo data plus what it lacks; every object belongs to the first enterprise."""
    import sqlalchemy as sa

    from courses.models import Course, CourseStatus, Lecture, LectureKind, Question
    from lms.accounts import services as accounts
    from lms.accounts.models import Organization, User
    from lms.certificates import services as certificates
    from lms.certificates.models import Certificate
    from lms.core import storage
    from lms.mentorship.models import Goal, LogAttachment, LogStatus, MentorLog, Mentorship
    from lms.notifications.models import EmailMessage, Notification
    from lms.training import services as training
    from lms.training.models import TrainingClass

    load_all()
    person = {u.employee_no: u for u in db.session.scalars(sa.select(User))}
    worker, mentor, officer = person["W0001"], person["M0001"], person["T0001"]
    first = lambda stmt: db.session.scalars(stmt.limit(1)).one()  # noqa: E731
    machine = first(sa.select(Organization).where(Organization.name == "江城重型机械厂"))
    klass = first(sa.select(TrainingClass).where(TrainingClass.organization_id == machine.id))
    sessions = sorted(klass.sessions, key=lambda s: s.starts_at)
    later = sessions[-1]
    mentorship = first(
        sa.select(Mentorship).where(
            Mentorship.mentor_id == mentor.id, Mentorship.apprentice_id == worker.id
        )
    )
    log = first(
        sa.select(MentorLog).where(
            MentorLog.mentorship_id == mentorship.id, MentorLog.status == LogStatus.submitted
        )
    )
    attachment = LogAttachment(
        log_id=log.id,
        filename="示范.png",
        stored_name=storage.save(b"\x89PNG\r\n\x1a\n"),
        content_type="image/png",
        size=8,
    )
    db.session.add(attachment)
    certificate = first(sa.select(Certificate).where(Certificate.holder_id == worker.id))
    excuse = training.request_excuse(worker, later, "家里有事")
    batch = certificates.create_batch(
        officer,
        holders=[worker.employee_no],
        kind=certificate.kind,
        title="焊工技能提升班结业",
        subject_type="training_class",
        subject_id=klass.id,
    )
    api_token, _secret = accounts.create_api_token(worker, "手机")
    course = first(
        sa.select(Course)
        .where(Course.organization_id == machine.id, Course.status == CourseStatus.published)
        .order_by(Course.id)
    )
    draft = first(
        sa.select(Course).where(
            Course.organization_id == machine.id, Course.status == CourseStatus.draft
        )
    )
    lecture = first(sa.select(Lecture).where(Lecture.course_id == course.id).order_by(Lecture.id))
    question = first(sa.select(Question).join(Lecture).where(Lecture.course_id == course.id))
    course.cover_key = storage.save(b"\x89PNG\r\n\x1a\n")
    video = first(
        sa.select(Lecture).where(Lecture.course_id == course.id, Lecture.kind == LectureKind.video)
    )
    video.file_key, video.file_name, video.file_type, video.file_size = (
        storage.save(b"\x00\x00\x00\x18ftypmp42"),
        "示范.mp4",
        "video/mp4",
        12,
    )
    db.session.commit()
    return {
        **{
            name: value for piece in pieces() for name, value in piece.seed(person, machine).items()
        },
        "worker": worker.id,
        "second_worker": person["W0002"].id,
        "mentor": mentor.id,
        "officer": officer.id,
        "enterprise": machine.id,
        "workshop": worker.organization_id,
        "klass": klass.id,
        "session": sessions[0].id,
        "later_session": later.id,
        "excuse": excuse.id,
        "checkin_token": training.checkin_token(sessions[0].id),
        "person_feed": training.calendar_token(worker),
        "class_feed": klass.feed_token,
        "mentorship": mentorship.id,
        "log": log.id,
        "goal": first(sa.select(Goal).where(Goal.mentorship_id == mentorship.id)).id,
        "attachment": attachment.id,
        "notification": first(sa.select(Notification).where(Notification.user_id == worker.id)).id,
        "mail": first(sa.select(EmailMessage)).id,
        "certificate": certificate.id,
        "certificate_code": certificate.code,
        "batch": batch.id,
        "api_token": api_token.id,
        "course": course.id,
        "draft_course": draft.id,
        "lecture": lecture.id,
        "video_lecture": video.id,
        "question": question.id,
    }


# --- the test ---------------------------------------------------------------------------------


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}  # the matrix asks who may, not how often


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _value(key, seeded: dict):
    return seeded.get(key, key) if isinstance(key, str) else key


def _json_value(value, seeded: dict):
    if isinstance(value, Ref):
        return seeded[value]
    if isinstance(value, list):
        return [_json_value(v, seeded) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v, seeded) for k, v in value.items()}
    return value


def _url(rule, entry: Rule | None, seeded: dict) -> str:
    ids = entry.ids if entry else {}
    args = {}
    for name in rule.arguments:
        key = ids.get(name, DEFAULT_IDS.get(name))
        assert key is not None, f"no value for <{name}> in {rule.rule}: add it to DEFAULT_IDS"
        args[name] = _value(key, seeded)
    path = rule.build(args, append_unknown=False)[1]
    if entry and entry.query:
        path += "?" + urlencode({k: _value(v, seeded) for k, v in entry.query.items()})
    return path


def _sign_in(client, caller: str) -> None:
    answer = client.post("/login", data={"login": CALLERS[caller], "password": DEMO_PASSWORD})
    assert answer.status_code == 302, f"{caller} ({CALLERS[caller]}) could not sign in"


def _clients(app):
    clients = {caller: app.test_client() for caller in CALLERS}
    for caller, client in clients.items():
        if CALLERS[caller]:
            _sign_in(client, caller)
    return clients


def _to_login(response) -> bool:
    return response.status_code in (301, 302, 303) and "/login" in response.headers.get(
        "Location", ""
    )


def _judge(caller: str, allowed: bool, path: str, response, unread_body: bool) -> str | None:
    """None when the answer fits, else what is wrong."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if allowed:
        if status in (401, 403, 404) or (caller == "anonymous" and _to_login(response)):
            return f"refused ({status}) but the table allows {caller}"
        return None
    if caller == "anonymous":
        if path.startswith("/api/"):
            return None if status == 401 else f"answered {status}, expected 401"
        return None if _to_login(response) else f"answered {status}, expected the sign-in page"
    refused = {403, 404, 422} if unread_body else {403, 404}
    return None if status in refused else f"answered {status}, expected 403 or 404"


class _Snapshot:
    """The in-memory SQLite database copied aside, and copied back after a changing request."""

    def __init__(self):
        self.copy = sqlite3.connect(":memory:")
        self._backup(into=self.copy, source=None)

    def _backup(self, into, source):
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            (source or raw.driver_connection).backup(into or raw.driver_connection)
        finally:
            raw.close()

    def restore(self):
        self._backup(into=None, source=self.copy)


def undeclared(routes, matrix) -> tuple[list[str], list[str]]:
    """The entries the table lacks, written as they should be added, and its stale ones."""
    keys = {f"{rule.endpoint} {method}" for rule, method in routes}
    missing = [
        f'  "{rule.endpoint} {method}": may(...),  # {method} {rule.rule}'
        for rule, method in routes
        if f"{rule.endpoint} {method}" not in matrix
    ]
    return missing, sorted(set(matrix) - keys)


def test_a_route_missing_from_the_table_is_named_with_the_entry_to_add(app):
    routes = list(_routes(app))
    table = {key: rule for key, rule in MATRIX.items() if key != "training.matrix GET"}
    table["training.gone GET"] = may(NOBODY)
    missing, stale = undeclared(routes, table)
    assert missing == [
        '  "training.matrix GET": may(...),  # GET /training/classes/<int:class_id>/matrix'
    ]
    assert stale == ["training.gone GET"]


def test_every_route_answers_each_caller_as_the_table_says(app):
    seeded = seed()
    clients = _clients(app)
    snapshot = _Snapshot()
    show = os.environ.get("PERMISSION_MATRIX_SHOW")

    routes = list(_routes(app))
    missing, stale = undeclared(routes, MATRIX)

    wrong, unread = [], set()
    for rule, method in routes:
        entry = MATRIX.get(f"{rule.endpoint} {method}")
        if entry is None and not show:
            continue
        path = _url(rule, entry, seeded)
        body = {}
        if entry and entry.form is not None:
            body["data"] = {k: _value(v, seeded) for k, v in entry.form.items()}
        if entry and entry.json is not None:
            body["json"] = {k: _json_value(v, seeded) for k, v in entry.json.items()}
        unread_body = method != "GET" and not body
        for caller, client in clients.items():
            response = client.open(path, method=method, **body)
            if CALLERS[caller] and (_to_login(response) or response.status_code == 401):
                # Signed out (by an earlier cell such as /logout): sign in again and re-ask.
                _sign_in(client, caller)
                snapshot = _Snapshot()
                response = client.open(path, method=method, **body)
            if method != "GET":
                snapshot.restore()
            if show:
                print(f"{rule.endpoint} {method} {path} {caller} {response.status_code}")
            if entry is None:
                continue
            problem = _judge(caller, caller in entry.allowed, path, response, unread_body)
            if unread_body and caller not in entry.allowed and response.status_code == 422:
                unread.add(f"{rule.endpoint} {method}")
            if problem:
                said = (
                    jsonlib.dumps(response.get_json(), ensure_ascii=False)
                    if response.is_json
                    else ""
                )
                said = said[:200]
                wrong.append(
                    f"  {method} {path} [{rule.endpoint}] as {caller}: {problem} {said}".rstrip()
                )

    cells = len(routes) * len(CALLERS)
    print(f"\npermission matrix: {len(routes)} routes × {len(CALLERS)} callers = {cells} cells")
    if unread:
        print(
            f"{len(unread)} entries send no body and are refused with 422 (give them a body to "
            "see the 403/404): " + ", ".join(sorted(unread))
        )
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} routes have no entry in MATRIX (tests/test_permission_matrix.py); "
            "add who may call each:\n" + "\n".join(missing)
        )
    if stale:
        problems.append("entries for routes that no longer exist: " + ", ".join(stale))
    if wrong:
        problems.append(
            f"{len(wrong)} cells answer otherwise than the table says:\n" + "\n".join(wrong)
        )
    assert not problems, "\n\n".join(problems)
