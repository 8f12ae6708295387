"""Who may do what with banks, exams and sittings, and fetching them with that check.

Officers of the owning organization's subtree (and admins) manage its banks and exams and
read its sittings; a candidate reads only their own sitting. Out of reach is not found.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.assessment.models import Candidate, Exam, QuestionBank, Sitting
from lms.errors import Forbidden, NotFound
from lms.extensions import db


def manages(actor: User | None, organization: Organization) -> bool:
    return (
        bool(actor)
        and (scope.is_admin(actor) or scope.is_officer(actor))
        and (scope.org_in_scope(actor, organization))
    )


def require_manager(actor: User, organization: Organization) -> None:
    if not manages(actor, organization):
        raise Forbidden(_("只有本单位的培训专员可以管理题库和考试。"))


def get_bank(actor: User, bank_id: int) -> QuestionBank:
    bank = db.session.get(QuestionBank, bank_id)
    if bank is None or not manages(actor, bank.organization):
        raise NotFound()
    return bank


def get_exam(actor: User, exam_id: int) -> Exam:
    """An exam for its managers."""
    exam = db.session.get(Exam, exam_id)
    if exam is None or not manages(actor, exam.organization):
        raise NotFound()
    return exam


def may_sit(actor: User, exam: Exam) -> bool:
    if exam.open_to_scope:
        return actor.organization is not None and actor.organization.path.startswith(
            exam.organization.path
        )
    return db.session.get(Candidate, {"exam_id": exam.id, "user_id": actor.id}) is not None


def exam_for_candidate(actor: User, exam_id: int) -> Exam:
    exam = db.session.get(Exam, exam_id)
    if exam is None or not (may_sit(actor, exam) or manages(actor, exam.organization)):
        raise NotFound()
    return exam


def sitting_for(actor: User, sitting_id: int) -> Sitting:
    """A sitting for its candidate or the exam's managers."""
    sitting = db.session.get(Sitting, sitting_id)
    if sitting is None:
        raise NotFound()
    if sitting.user_id != actor.id and not manages(actor, sitting.exam.organization):
        raise NotFound()
    return sitting


def banks_query(actor: User) -> sa.Select:
    return (
        sa.select(QuestionBank)
        .join(Organization, QuestionBank.organization_id == Organization.id)
        .where(scope.subtree_condition(actor))
        .order_by(QuestionBank.id.desc())
    )


def exams_query(actor: User) -> sa.Select:
    return (
        sa.select(Exam)
        .join(Organization, Exam.organization_id == Organization.id)
        .where(scope.subtree_condition(actor))
        .order_by(Exam.id.desc())
    )


def candidate_exams_query(actor: User) -> sa.Select:
    """Exams the actor may sit: open to an organization above theirs, or listed for them."""
    path = actor.organization.path if actor.organization else "\x00"
    open_here = sa.and_(
        Exam.open_to_scope.is_(True), sa.literal(path).startswith(Organization.path)
    )
    listed = Exam.id.in_(sa.select(Candidate.exam_id).where(Candidate.user_id == actor.id))
    return (
        sa.select(Exam)
        .join(Organization, Exam.organization_id == Organization.id)
        .where(sa.or_(open_here, listed))
        .order_by(Exam.opens_at.desc(), Exam.id.desc())
    )


def require_officer_like(actor: User) -> None:
    """Lists of banks and exams are for officers and admins."""
    scope.require_officer(actor)
