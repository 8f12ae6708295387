"""Living-conditions surveys (生活状况调查): a campaign sent to the honoured people of a scope
by honour level, answered on the phone by the person or entered by a care officer after a
visit; the answers become the care file's latest living situation, and each need the answer
flags becomes a hardship case with one click (once, whoever clicks).

Answers are sensitive personal information: only the person and the care team of the
person's organization read them, and every read by someone other than the person is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts.models import Honor, HonorLevel, Organization, User
from lms.audit.services import record
from lms.care.models import (
    AnsweredVia,
    CareCase,
    HelpKind,
    LivingSituation,
    NeedKind,
    ResponseStatus,
    Survey,
    SurveyNeed,
    SurveyResponse,
)
from lms.care.services.access import covers, require_care_team, scope_condition
from lms.care.services.cases import open_case
from lms.care.services.common import clean, load, local_today
from lms.db import insert_ignoring_duplicates, utcnow
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import care_survey_sent, emit

#: The kind of help a case opened from a flagged need starts with (the officer may change
#: the help recorded when paying).
HELP_FOR_NEED = {
    NeedKind.medical_insurance: HelpKind.special_hardship,
    NeedKind.housing: HelpKind.special_hardship,
    NeedKind.income: HelpKind.living_subsidy,
    NeedKind.illness: HelpKind.special_hardship,
    NeedKind.family: HelpKind.living_subsidy,
}


# --- campaigns -------------------------------------------------------------------------------


def surveys_query(actor: User, q: str | None = None) -> sa.Select:
    require_care_team(actor)
    stmt = (
        sa.select(Survey)
        .join(Organization, Survey.organization_id == Organization.id)
        .where(scope_condition(actor))
        .options(selectinload(Survey.organization))
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    )
    if q:
        stmt = stmt.where(Survey.name.contains(q))
    return stmt


def _levels(levels) -> list[str]:
    return [lv for lv in (levels or []) if lv in HonorLevel.__members__]


def create_survey(
    actor: User,
    organization: Organization,
    *,
    name: str,
    levels,
    closes_on: date | None,
    intro: str | None = None,
) -> Survey:
    """Create a campaign and send it to everyone in scope at once."""
    if not covers(actor, organization):
        raise NotFound()
    errors: dict = {}
    name = clean(name, 120)
    if not name:
        errors["name"] = [_("请填写调查名称。")]
    chosen = _levels(levels)
    if not chosen:
        errors["levels"] = [_("请至少选择一个荣誉级别。")]
    today = local_today()
    if closes_on is None:
        errors["closes_on"] = [_("请填写截止日期。")]
    elif closes_on < today:
        errors["closes_on"] = [_("截止日期不能早于今天。")]
    elif (closes_on - today).days > 366:
        errors["closes_on"] = [_("截止日期须在一年以内。")]
    if errors:
        raise Invalid(errors=errors)
    survey = Survey(
        name=name,
        organization_id=organization.id,
        levels=",".join(chosen),
        intro=clean(intro, 4000),
        closes_on=closes_on,
        created_by_id=actor.id,
    )
    db.session.add(survey)
    db.session.flush()
    record(
        actor,
        "care.survey.create",
        "care_survey",
        survey.id,
        organization_id=organization.id,
        summary=name,
    )
    send_survey(actor, survey, commit=False)
    db.session.commit()
    return survey


def get_survey(actor: User, survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None or not covers(actor, survey.organization):
        raise NotFound()
    return survey


def _eligible(survey: Survey) -> sa.Select:
    levels = [HonorLevel(lv) for lv in survey.levels.split(",") if lv]
    return (
        sa.select(User.id, User.organization_id)
        .join(Organization, User.organization_id == Organization.id)
        .where(
            Organization.path.startswith(survey.organization.path),
            User.active.is_(True),
            sa.exists(sa.select(Honor.id).where(Honor.user_id == User.id, Honor.level.in_(levels))),
        )
    )


def send_survey(actor: User, survey: Survey, *, commit: bool = True) -> int:
    """Put everyone in scope on the survey and ask them (again safe: people already on it
    are neither added nor asked twice). Returns how many were newly asked."""
    survey = get_survey(actor, survey.id)
    if survey.closes_on < local_today():
        raise Conflict(_("调查已截止，不能再发送。"))
    before = set(
        db.session.scalars(
            sa.select(SurveyResponse.person_id).where(SurveyResponse.survey_id == survey.id)
        )
    )
    rows = [
        {"survey_id": survey.id, "person_id": pid, "organization_id": oid, "status": "pending"}
        for pid, oid in db.session.execute(_eligible(survey))
        if pid not in before
    ]
    if rows:
        db.session.execute(
            insert_ignoring_duplicates(db.session, SurveyResponse, ["survey_id", "person_id"]),
            rows,
        )
        added = dict(
            db.session.execute(
                sa.select(SurveyResponse.person_id, SurveyResponse.id).where(
                    SurveyResponse.survey_id == survey.id,
                    SurveyResponse.person_id.in_([r["person_id"] for r in rows]),
                )
            ).all()
        )
        emit(
            care_survey_sent,
            survey_id=survey.id,
            person_ids=list(added),
            url_by_person={pid: f"/care/responses/{rid}/answer" for pid, rid in added.items()},
        )
    survey.sent_at = survey.sent_at or utcnow()
    if commit:
        db.session.commit()
    return len(rows)


@dataclass
class SurveyCounts:
    asked: int
    answered: int
    flagged: int
    cased: int


def survey_counts(actor: User, survey: Survey) -> SurveyCounts:
    asked, answered = db.session.execute(
        sa.select(
            sa.func.count(SurveyResponse.id),
            sa.func.count(SurveyResponse.answered_at),
        )
        .join(Organization, SurveyResponse.organization_id == Organization.id)
        .where(SurveyResponse.survey_id == survey.id, scope_condition(actor))
    ).one()
    flagged, cased = db.session.execute(
        sa.select(sa.func.count(SurveyNeed.id), sa.func.count(SurveyNeed.case_id))
        .join(SurveyResponse, SurveyNeed.response_id == SurveyResponse.id)
        .join(Organization, SurveyResponse.organization_id == Organization.id)
        .where(SurveyResponse.survey_id == survey.id, scope_condition(actor))
    ).one()
    return SurveyCounts(asked, answered, flagged, cased)


def responses_query(
    actor: User, survey: Survey, status: str | None = None, q: str | None = None
) -> sa.Select:
    """The people of a survey in the actor's care scope (names, status and flagged needs —
    never the answers, which are read one at a time and audited)."""
    survey = get_survey(actor, survey.id)
    stmt = (
        sa.select(SurveyResponse)
        .join(Organization, SurveyResponse.organization_id == Organization.id)
        .join(User, SurveyResponse.person_id == User.id)
        .where(SurveyResponse.survey_id == survey.id, scope_condition(actor))
        .options(selectinload(SurveyResponse.person), selectinload(SurveyResponse.needs))
        .order_by(SurveyResponse.status, User.name, SurveyResponse.id)
    )
    if status in ResponseStatus.__members__:
        stmt = stmt.where(SurveyResponse.status == ResponseStatus(status))
    if q:
        stmt = stmt.where(sa.or_(User.name.contains(q), User.employee_no.contains(q)))
    return stmt


# --- one person's answers ----------------------------------------------------------------------


def get_response(actor: User, response_id: int, *, lock: bool = False) -> SurveyResponse:
    """The person's own, or one in the actor's care scope; anyone else: not found."""
    response = load(SurveyResponse, response_id, lock=lock)
    if response is None:
        raise NotFound()
    if response.person_id != actor.id and not covers(actor, response.organization):
        raise NotFound()
    return response


def read_response(actor: User, response_id: int) -> SurveyResponse:
    """A response with its answers; a read by anyone but the person is audited."""
    response = get_response(actor, response_id)
    if response.person_id != actor.id and response.status == ResponseStatus.answered:
        record(
            actor,
            "care.survey.read",
            "care_survey_response",
            response.id,
            organization_id=response.organization_id,
            summary=response.person.name,
        )
        db.session.commit()
    return response


def my_responses(person: User) -> list[SurveyResponse]:
    return list(
        db.session.scalars(
            sa.select(SurveyResponse)
            .where(SurveyResponse.person_id == person.id)
            .options(selectinload(SurveyResponse.survey))
            .order_by(SurveyResponse.id.desc())
            .limit(20)
        )
    )


def _checked_answers(day: date, today: date, fields: dict, flagged) -> list[NeedKind]:
    """The flagged needs as kinds; an answer with nothing in it, an unknown need or a visit
    in the future is refused with field messages."""
    errors: dict = {}
    if day > today:
        errors["surveyed_on"] = [_("走访日期不能晚于今天。")]
    kinds: list[NeedKind] = []
    for value in flagged or ():
        value = getattr(value, "value", value)
        if value not in NeedKind.__members__:
            errors["flagged"] = [_("请从列表中选择困难类别。")]
        elif NeedKind(value) not in kinds:
            kinds.append(NeedKind(value))
    if not any(fields.values()) and not kinds:
        errors["housing"] = [_("请至少填写一项情况，或勾选一项困难。")]
    if errors:
        raise Invalid(errors=errors)
    return kinds


def answer(
    actor: User,
    response: SurveyResponse,
    *,
    surveyed_on: date | None = None,
    housing=None,
    income=None,
    health=None,
    family=None,
    needs=None,
    flagged=(),
) -> SurveyResponse:
    """Record the answers once: by the person on the phone, or by a care officer (with the
    date of the visit). Two answers at once: one conditional update decides, the other is
    told and writes nothing."""
    response = get_response(actor, response.id)
    own = response.person_id == actor.id
    today = local_today()
    if response.survey.closes_on < today:
        raise Conflict(
            _("这次调查已于 %(d)s 截止，不能再填写。", d=response.survey.closes_on.isoformat())
        )
    if response.status == ResponseStatus.answered:
        raise Conflict(_("这份调查已经填写过了。"))
    day = today if own else (surveyed_on or today)
    fields = {
        "housing": clean(housing, 200),
        "income": clean(income, 200),
        "health": clean(health, 200),
        "family": clean(family, 200),
        "needs": clean(needs, 4000),
    }
    kinds = _checked_answers(day, today, fields, flagged)
    taken = db.session.execute(
        sa.update(SurveyResponse)
        .where(SurveyResponse.id == response.id, SurveyResponse.status == ResponseStatus.pending)
        .values(
            status=ResponseStatus.answered,
            via=AnsweredVia.self if own else AnsweredVia.officer,
            answered_at=utcnow(),
            answered_by_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise Conflict(_("这份调查刚刚已由他人填写，请刷新后查看。"))
    situation = LivingSituation(
        person_id=response.person_id, surveyed_on=day, recorded_by_id=actor.id, **fields
    )
    db.session.add(situation)
    db.session.flush()
    db.session.execute(
        sa.update(SurveyResponse)
        .where(SurveyResponse.id == response.id)
        .values(situation_id=situation.id)
        .execution_options(synchronize_session=False)
    )
    for kind in kinds:
        db.session.add(SurveyNeed(response_id=response.id, need=kind))
    record(
        actor,
        "care.survey.answer",
        "care_survey_response",
        response.id,
        organization_id=response.organization_id,
        after={"via": "self" if own else "officer", "needs": [k.value for k in kinds]},
    )
    db.session.commit()
    db.session.refresh(response)
    return response


# --- flagged needs become cases ----------------------------------------------------------------


def get_need(actor: User, need_id: int, *, lock: bool = False) -> SurveyNeed:
    need = load(SurveyNeed, need_id, lock=lock)
    if need is None or not covers(actor, need.response.organization):
        raise NotFound()
    return need


def case_from_need(actor: User, need_id: int) -> CareCase:
    """Open a case for a flagged need, prefilled from the answers; once per need, whoever
    of two officers clicks first."""
    need = get_need(actor, need_id)
    if need.case_id:
        raise Conflict(_("这项困难已经立案。"))
    response = need.response
    from lms.care import labels

    situation = response.situation
    case = open_case(
        actor,
        response.person,
        need=need.need.value,
        help_kind=HELP_FOR_NEED[need.need].value,
        title=_(
            "%(survey)s：%(need)s困难", survey=response.survey.name, need=labels.need(need.need)
        )[:120],
        description=(situation.needs if situation else None),
        commit=False,
    )
    linked = db.session.execute(
        sa.update(SurveyNeed)
        .where(SurveyNeed.id == need.id, SurveyNeed.case_id.is_(None))
        .values(case_id=case.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if linked != 1:
        db.session.rollback()
        raise Conflict(_("这项困难刚刚已由他人立案，请刷新后查看。"))
    db.session.commit()
    return case
