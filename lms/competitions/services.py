"""Skill contests: setting up, registering within quota, judging by marking code, identity
reveal by two officials, release and ranking. Rules live here; views only call them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit import services as audit
from lms.competitions.models import Assignment, Contest, Contestant, Official, Quota, Title, Trade
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.scoring import services as scoring
from lms.scoring import totals
from lms.scoring.models import ScoringPanel

CENT = Decimal("0.01")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


# --- organizers ----------------------------------------------------------------------------


def is_organizer(actor: User, contest: Contest) -> bool:
    """Organizers are the officers of the organizing organization."""
    return scope.is_officer(actor) and actor.organization_id == contest.organization_id


def require_organizer(actor: User, contest: Contest) -> None:
    if not is_organizer(actor, contest):
        raise Forbidden(_("只有主办单位的培训专员可以管理本竞赛。"))


def create_contest(
    actor: User,
    organization: Organization,
    *,
    name: str,
    registration_opens_at: datetime,
    registration_closes_at: datetime,
    level: str = "city",
    venue: str = "",
    theory_weight: Decimal | str = "0.3",
    chief_technician_places: int = 0,
    technical_expert_places: int = 0,
) -> Contest:
    if not (scope.is_officer(actor) and actor.organization_id == organization.id):
        raise Forbidden(_("只有主办单位的培训专员可以管理本竞赛。"))
    if registration_closes_at <= registration_opens_at:
        raise Invalid(_("报名截止时间须晚于开始时间。"))
    weight = Decimal(str(theory_weight))
    if not (0 <= weight <= 1):
        raise Invalid(_("理论成绩权重须在 0 与 1 之间。"))
    contest = Contest(
        name=name,
        organization_id=organization.id,
        level=level,
        venue=venue,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        theory_weight=weight,
        chief_technician_places=chief_technician_places,
        technical_expert_places=technical_expert_places,
    )
    db.session.add(contest)
    db.session.flush()
    return contest


def add_trade(
    actor: User,
    contest: Contest,
    name: str,
    *,
    person_trade: str | None = None,
    skill_levels: list[str] | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    drop_extremes: bool = False,
) -> Trade:
    require_organizer(actor, contest)
    panel = scoring.create_panel(f"{contest.name} {name}", drop_extremes=drop_extremes)
    trade = Trade(
        contest_id=contest.id,
        name=name,
        person_trade=person_trade,
        skill_levels=skill_levels,
        min_age=min_age,
        max_age=max_age,
        panel_id=panel.id,
    )
    db.session.add(trade)
    db.session.flush()
    return trade


def panel_of(trade: Trade) -> ScoringPanel:
    return db.session.get(ScoringPanel, trade.panel_id)


def set_quota(actor: User, contest: Contest, organization: Organization, places: int) -> Quota:
    require_organizer(actor, contest)
    quota = db.session.scalar(
        sa.select(Quota).where(
            Quota.contest_id == contest.id, Quota.organization_id == organization.id
        )
    )
    if quota is None:
        quota = Quota(contest_id=contest.id, organization_id=organization.id, places=places)
        db.session.add(quota)
    elif places < quota.used:
        raise Conflict(_("名额不能少于已报名人数。"))
    quota.places = places
    db.session.flush()
    return quota


def assign(
    actor: User, trade: Trade, person: User, official: str, *, conflicts: str = ""
) -> Assignment:
    """Make ``person`` a judge, chief judge or supervisor of the trade. Judges also join
    the trade's scoring panel (the chief judge as its chief)."""
    require_organizer(actor, trade.contest)
    if official not in Official.__members__:
        raise Invalid(_("裁判职务无效。"))
    row = Assignment(trade_id=trade.id, user_id=person.id, official=official, conflicts=conflicts)
    db.session.add(row)
    if official in (Official.judge, Official.chief_judge):
        scoring.add_scorer(panel_of(trade), person.id, chief=official == Official.chief_judge)
    db.session.flush()
    return row


def official_of(trade: Trade, user: User, *officials: str) -> Assignment | None:
    return db.session.scalar(
        sa.select(Assignment).where(
            Assignment.trade_id == trade.id,
            Assignment.user_id == user.id,
            Assignment.official.in_(officials),
        )
    )


# --- registration --------------------------------------------------------------------------


def age_on(id_number: str | None, day: date) -> int | None:
    """Age from a resident ID number's birth date (characters 7–14), or None."""
    try:
        born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (TypeError, ValueError):
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def ineligibility(trade: Trade, person: User, *, today: date) -> str | None:
    """Why ``person`` may not enter ``trade`` (a sentence), or None when eligible."""
    if trade.person_trade and person.trade != trade.person_trade:
        return _("报名须为%(trade)s工种。", trade=trade.person_trade)
    if trade.skill_levels and (person.skill_level or "") not in trade.skill_levels:
        return _("技能等级不符合本项目的报名条件。")
    if trade.min_age is not None or trade.max_age is not None:
        age = age_on(person.id_number, today)
        if age is None:
            return _("缺少身份证号，无法核对年龄。")
        if trade.min_age is not None and age < trade.min_age:
            return _("年龄未满 %(age)s 周岁。", age=trade.min_age)
        if trade.max_age is not None and age > trade.max_age:
            return _("年龄超过 %(age)s 周岁。", age=trade.max_age)
    return None


def _lineage(organization: Organization) -> list[int]:
    """The organization and every organization above it (from its materialised path)."""
    return [int(part) for part in organization.path.strip("/").split("/") if part] or [
        organization.id
    ]


def register(actor: User, trade: Trade, person: User, *, now: datetime | None = None) -> Contestant:
    """An officer registers a person of their scope, within the organization's quota.
    Two officers racing for the last place: the quota row is locked, exactly one wins."""
    contest = trade.contest
    now = now or utcnow()
    if not scope.is_officer(actor) or not scope.can_manage_user(actor, person):
        raise Forbidden(_("只能为本单位职工报名。"))
    if not (contest.registration_opens_at <= now < contest.registration_closes_at):
        raise Conflict(_("不在报名时间内。"))
    reason = ineligibility(trade, person, today=now.date())
    if reason:
        raise Invalid(reason)
    # The quota of the nearest organization above the person (their enterprise, usually).
    quota = db.session.scalar(
        sa.select(Quota)
        .join(Organization, Organization.id == Quota.organization_id)
        .where(
            Quota.contest_id == contest.id,
            Quota.organization_id.in_(_lineage(person.organization)),
        )
        .order_by(sa.func.length(Organization.path).desc())
        .limit(1)
        .with_for_update(of=Quota)
    )
    if quota is None:
        raise Conflict(_("该单位没有本竞赛的名额。"))
    if quota.used >= quota.places:
        raise Conflict(_("该单位的名额已满。"))
    if db.session.scalar(
        sa.select(Contestant.id).where(
            Contestant.contest_id == contest.id, Contestant.user_id == person.id
        )
    ):
        raise Conflict(_("此人已报名本竞赛。"))
    quota.used += 1
    # Numbers come from the contest row, locked so two registrations never share one.
    db.session.execute(
        sa.update(Contest).where(Contest.id == contest.id).values(updated_at=utcnow())
    )
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Contestant.number)).where(Contestant.contest_id == contest.id)
        )
        or 0
    ) + 1
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    contestant = Contestant(
        contest_id=contest.id,
        trade_id=trade.id,
        user_id=person.id,
        organization_id=quota.organization_id,
        number=number,
        marking_code=code,
        registered_by_id=actor.id,
    )
    db.session.add(contestant)
    scoring.add_subject(panel_of(trade), code)
    db.session.flush()
    return contestant


# --- judging -------------------------------------------------------------------------------


def judge_codes(judge: User, trade: Trade) -> list[str]:
    """Marking codes the judge marks: never contestants of the judge's own organization."""
    if official_of(trade, judge, Official.judge, Official.chief_judge) is None:
        raise Forbidden(_("您不是本项目的裁判。"))
    return list(
        db.session.scalars(
            sa.select(Contestant.marking_code)
            .where(
                Contestant.trade_id == trade.id,
                Contestant.organization_id.not_in(_lineage(judge.organization)),
            )
            .order_by(Contestant.marking_code)
        )
    )


def may_mark(judge: User, trade: Trade, marking_code: str) -> bool:
    """Whether the code is one the judge marks (``judge_codes``, for one code: one row)."""
    if official_of(trade, judge, Official.judge, Official.chief_judge) is None:
        raise Forbidden(_("您不是本项目的裁判。"))
    return (
        db.session.scalar(
            sa.select(Contestant.id).where(
                Contestant.trade_id == trade.id,
                Contestant.marking_code == marking_code,
                Contestant.organization_id.not_in(_lineage(judge.organization)),
            )
        )
        is not None
    )


def mark(judge: User, trade: Trade, marking_code: str, marks: dict) -> None:
    if not may_mark(judge, trade, marking_code):
        raise Forbidden(_("您须回避本单位选手，或该编号不属于本项目。"))
    scoring.submit(panel_of(trade), marking_code, judge.id, marks)


def lock_trade(chief: User, trade: Trade) -> None:
    scoring.lock(panel_of(trade), chief.id)
    audit.record(
        chief, "competitions.trade_locked", "competition_trade", trade.id, summary=trade.name
    )


def enter_theory(actor: User, contestant: Contestant, score: Decimal | str) -> None:
    """Theory score entered by the organizer (a paper exam, or until the online exam)."""
    contest = db.session.get(Contest, contestant.contest_id)
    require_organizer(actor, contest)
    if contest.revealed_at is not None:
        raise Conflict(_("身份已解密，理论成绩不能再修改。"))
    score = Decimal(str(score))
    if not (0 <= score <= 100):
        raise Invalid(_("理论成绩须在 0 到 100 之间。"))
    contestant.theory_score = score
    db.session.flush()


def reveal(contest: Contest, chief: User, supervisor: User) -> None:
    """Identities are decrypted only after every trade is locked, by a chief judge and a
    supervisor of the contest together; both are recorded."""
    if contest.revealed_at is not None:
        raise Conflict(_("身份已经解密。"))
    trades = contest.trades
    if not trades or any(not panel_of(t).locked for t in trades):
        raise Conflict(_("所有项目锁定评分后才能解密身份。"))
    if not any(official_of(t, chief, Official.chief_judge) for t in trades):
        raise Forbidden(_("须由裁判长解密。"))
    if not any(official_of(t, supervisor, Official.supervisor) for t in trades):
        raise Forbidden(_("须由监督员共同解密。"))
    contest.revealed_at = utcnow()
    contest.revealed_by_chief_id = chief.id
    contest.revealed_by_supervisor_id = supervisor.id
    audit.record(
        chief,
        "competitions.identities_revealed",
        "competition_contest",
        contest.id,
        organization_id=contest.organization_id,
        after={"chief_id": chief.id, "supervisor_id": supervisor.id},
        summary=contest.name,
    )
    db.session.flush()


def release(actor: User, contest: Contest) -> None:
    require_organizer(actor, contest)
    if contest.revealed_at is None:
        raise Conflict(_("身份解密后才能发布成绩。"))
    contest.released_at = utcnow()
    db.session.flush()


# --- ranking -------------------------------------------------------------------------------


@dataclass
class Standing:
    contestant: Contestant
    theory: Decimal
    practical: Decimal
    judgement: Decimal
    total: Decimal
    rank: int = 0
    title: str | None = None


def standings(trade: Trade) -> list[Standing]:
    """Total = theory × w + practical × (1 − w); ties broken by practical, then by the
    judgement subtotal; still tied → the same rank. Titles go by rank: the first N
    chief technicians, the next M technical experts (places of the contest)."""
    contest = trade.contest
    panel = panel_of(trade)
    weight = Decimal(contest.theory_weight)
    # The whole panel's scores in a few statements, whatever the number of contestants.
    scores, judged = totals.panel_scores(panel), totals.judgement_codes(panel)
    rows = []
    for contestant in db.session.scalars(
        sa.select(Contestant).where(Contestant.trade_id == trade.id).order_by(Contestant.number)
    ):
        mine = scores.get(contestant.marking_code, {})
        theory = Decimal(contestant.theory_score or 0)
        practical = sum(mine.values(), Decimal("0"))
        total = (theory * weight + practical * (1 - weight)).quantize(CENT, ROUND_HALF_UP)
        judgement = sum((v for k, v in mine.items() if k in judged), Decimal("0"))
        rows.append(Standing(contestant, theory, practical, judgement, total))
    key = lambda s: (s.total, s.practical, s.judgement)  # noqa: E731
    rows.sort(key=lambda s: (*(-v for v in key(s)), s.contestant.number))
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and key(rows[i - 1]) == key(row) else i + 1
    chiefs, experts = contest.chief_technician_places, contest.technical_expert_places
    for row in rows:
        if row.rank <= chiefs:
            row.title = Title.chief_technician
        elif row.rank <= chiefs + experts:
            row.title = Title.technical_expert
    return rows


def results(viewer: User | None, trade: Trade) -> list[Standing]:
    """Results are hidden until the organizer releases them (organizers see them once
    identities are revealed)."""
    contest = trade.contest
    if contest.released_at is None and not (
        viewer is not None and is_organizer(viewer, contest) and contest.revealed_at is not None
    ):
        raise NotFound()
    return standings(trade)
