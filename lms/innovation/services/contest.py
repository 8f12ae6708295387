"""The five-smalls contest (五小竞赛): a call for entries until a deadline, an on-site
defence marked by a panel of judges on the scorecard (the shared panel engine,
``lms.scoring``; its chief locks the marks), and prizes by rank computed from the totals.

Entries are five-smalls items of the organizer's subtree, entered by their author, a team
member or an officer; no judge may be of an entry's team. Closing is one conditional
UPDATE: of two closings at once one wins and the other is told."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts import scope
from lms.accounts.models import Organization, User
from lms.audit.services import record
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.innovation.models import Innovation, InnovationKind, InnovationMember, Stage
from lms.innovation.models_awards import ContestEntry, ContestStatus, Prize, SmallsContest
from lms.innovation.services.common import can_review, get_person, now, transaction
from lms.innovation.services.scorecard import build_panel, check_marks
from lms.scoring import services as scoring
from lms.scoring.models import ScoringPanel, ScoringScorer, ScoringSubject, ScoringSubmission

SMALLS = (
    InnovationKind.small_invention,
    InnovationKind.small_innovation,
    InnovationKind.small_modification,
    InnovationKind.small_design,
    InnovationKind.small_suggestion,
)
ENTERABLE = (Stage.review, Stage.adopted, Stage.trial)


def min_judges() -> int:
    return int(current_app.config.get("INNOVATION_MIN_JUDGES", 3))


def contests_query(actor: User, q: str | None = None) -> sa.Select:
    """A call for entries is a public notice: every signed-in person sees the contests."""
    stmt = sa.select(SmallsContest).options(joinedload(SmallsContest.organization))
    if q:
        stmt = stmt.where(SmallsContest.name.like(f"%{q.strip()}%"))
    return stmt.order_by(SmallsContest.year.desc(), SmallsContest.id.desc())


def get_contest(actor: User, contest_id: int) -> SmallsContest:
    contest = db.session.get(SmallsContest, contest_id)
    if contest is None:
        raise NotFound()
    return contest


def panel_of(contest: SmallsContest) -> ScoringPanel:
    return db.session.get(ScoringPanel, contest.panel_id)


def judges(contest: SmallsContest) -> list[ScoringScorer]:
    return list(panel_of(contest).scorers)


def is_judge(actor: User, contest: SmallsContest) -> bool:
    return any(s.user_id == actor.id for s in judges(contest))


def can_manage(actor: User, contest: SmallsContest) -> bool:
    return scope.org_in_scope(actor, contest.organization)


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0")).quantize(Decimal("0.01"))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise Invalid(errors={field: [_("请填写金额（元）。")]}) from None
    if amount < 0 or amount >= Decimal("1e9"):
        raise Invalid(errors={field: [_("奖金不能为负数。")]})
    return amount


@transaction
def create_contest(
    actor: User,
    *,
    organization: Organization,
    name: str,
    year: int,
    entry_deadline: datetime,
    judge_ids: list[int],
    chief_id: int,
    call_text: str | None = None,
    defence_at: datetime | None = None,
    defence_place: str | None = None,
    counts: tuple[int, int, int] = (1, 2, 3),
    money: tuple = (0, 0, 0),
) -> SmallsContest:
    """An officer of the organizer publishes the call with its judges (at least three by
    default, one the chief) and the prizes: how many of each and the money per entry."""
    scope.require_org_in_scope(actor, organization)
    name = (name or "").strip()
    if not name:
        raise Invalid(errors={"name": [_("请填写竞赛名称。")]})
    if entry_deadline.tzinfo is None:
        raise Invalid(errors={"entry_deadline": [_("请填写报名截止时间。")]})
    if entry_deadline <= now():
        raise Invalid(errors={"entry_deadline": [_("报名截止时间须晚于现在。")]})
    if any(int(c) < 0 or int(c) > 100 for c in counts):
        raise Invalid(errors={"counts": [_("各等奖名额须在 0 到 100 之间。")]})
    amounts = [_money(m, f"{p.value}_money") for m, p in zip(money, Prize, strict=True)]
    ids = list(dict.fromkeys(int(i) for i in judge_ids or []))
    if chief_id and int(chief_id) not in ids:
        ids.insert(0, int(chief_id))
    if len(ids) < min_judges():
        raise Invalid(errors={"judge_ids": [_("至少需要 %(n)d 名评委。", n=min_judges())]})
    people = [get_person(actor, i, "judge_ids") for i in ids]
    panel = build_panel(_("五小竞赛：%(name)s", name=name))
    for person in people:
        scoring.add_scorer(panel, person.id, chief=person.id == int(chief_id))
    contest = SmallsContest(
        name=name[:120],
        organization_id=organization.id,
        year=int(year),
        call_text=(call_text or "").strip() or None,
        entry_deadline=entry_deadline,
        defence_at=defence_at,
        defence_place=(defence_place or "").strip()[:200] or None,
        panel_id=panel.id,
        first_count=int(counts[0]),
        second_count=int(counts[1]),
        third_count=int(counts[2]),
        first_money=amounts[0],
        second_money=amounts[1],
        third_money=amounts[2],
        created_by_id=actor.id,
    )
    db.session.add(contest)
    db.session.flush()
    return contest


def eligible_items(actor: User, contest: SmallsContest) -> list[Innovation]:
    """The actor's own five-smalls items that may still be entered."""
    entered = sa.select(ContestEntry.innovation_id).where(ContestEntry.contest_id == contest.id)
    return list(
        db.session.scalars(
            sa.select(Innovation)
            .where(
                Innovation.author_id == actor.id,
                Innovation.kind.in_(SMALLS),
                Innovation.stage.in_(ENTERABLE),
                Innovation.id.not_in(entered),
            )
            .order_by(Innovation.submitted_at.desc())
            .limit(50)
        )
    )


@transaction
def enter(actor: User, contest: SmallsContest, item: Innovation) -> ContestEntry:
    """Enter a five-smalls item before the deadline; it gets the next defence number."""
    team = {item.author_id, *(m.user_id for m in item.members)}
    if actor.id not in team and not can_review(actor, item):
        raise NotFound()
    if contest.status != ContestStatus.call or now() >= contest.entry_deadline:
        raise Conflict(_("报名已截止。"))
    if item.kind not in SMALLS:
        raise Invalid(errors={"item_id": [_("只有“五小”项目可以参赛。")]})
    if item.stage not in ENTERABLE:
        raise Invalid(errors={"item_id": [_("意见、未采纳或已合并的项目不能参赛。")]})
    if not item.organization.path.startswith(contest.organization.path):
        raise Invalid(errors={"item_id": [_("只有主办单位及其下属单位的项目可以参赛。")]})
    judge = next((s for s in judges(contest) if s.user_id in team), None)
    if judge is not None:
        name = db.session.get(User, judge.user_id).name
        raise Invalid(
            errors={"item_id": [_("%(name)s 是本次竞赛的评委，其参与的项目不能参赛。", name=name)]}
        )
    # The contest row's lock orders the defence numbers of entries made at the same moment.
    db.session.execute(
        sa.select(SmallsContest.id).where(SmallsContest.id == contest.id).with_for_update()
    )
    count = db.session.scalar(
        sa.select(sa.func.count(ContestEntry.id)).where(ContestEntry.contest_id == contest.id)
    )
    entry = ContestEntry(
        contest_id=contest.id,
        innovation_id=item.id,
        code=f"{count + 1:03d}",
        entered_by_id=actor.id,
        entered_at=now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("这一项已报名本次竞赛。")) from None
    scoring.add_subject(panel_of(contest), entry.code)
    return entry


def _require_manager(actor: User, contest: SmallsContest) -> None:
    if not can_manage(actor, contest):
        raise Forbidden(_("只有主办单位的专员可以进行此操作。"))


@transaction
def start_defence(actor: User, contest: SmallsContest) -> SmallsContest:
    """The organizer closes the call: the judges mark the on-site defence from now on."""
    _require_manager(actor, contest)
    if not contest.entries:
        raise Conflict(_("还没有参赛项目，不能开始答辩评分。"))
    _move(contest, ContestStatus.call, ContestStatus.defence)
    return contest


def _move(contest: SmallsContest, expected: ContestStatus, new: ContestStatus, **values) -> None:
    result = db.session.execute(
        sa.update(SmallsContest)
        .where(SmallsContest.id == contest.id, SmallsContest.status == expected)
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("竞赛的状态刚刚已经变了，请刷新查看。"))
    db.session.refresh(contest)


def get_entry(contest: SmallsContest, entry_id: int) -> ContestEntry:
    entry = db.session.get(ContestEntry, entry_id)
    if entry is None or entry.contest_id != contest.id:
        raise NotFound()
    return entry


@transaction
def score_entry(actor: User, contest: SmallsContest, entry: ContestEntry, marks: dict) -> None:
    """A judge marks one entry's defence on the scorecard, once."""
    if not is_judge(actor, contest):
        raise Forbidden(_("您不是本次竞赛的评委。"))
    if contest.status != ContestStatus.defence:
        raise Conflict(_("现在不是答辩评分阶段。"))
    panel = panel_of(contest)
    scoring.submit(panel, entry.code, actor.id, check_marks(panel, marks))


def prize_for(contest: SmallsContest, rank: int) -> Prize | None:
    if rank <= contest.first_count:
        return Prize.first
    if rank <= contest.first_count + contest.second_count:
        return Prize.second
    if rank <= contest.first_count + contest.second_count + contest.third_count:
        return Prize.third
    return None


@transaction
def close_contest(actor: User, contest: SmallsContest) -> SmallsContest:
    """The chief judge locks the marks; totals, ranks (equal totals share a rank) and
    prizes are computed, never typed."""
    if not any(s.user_id == actor.id and s.is_chief for s in judges(contest)):
        raise Forbidden(_("只有评委会主任（裁判长）可以锁定成绩。"))
    _move(contest, ContestStatus.defence, ContestStatus.closed, closed_at=now())
    panel = panel_of(contest)
    scoring.lock(panel, actor.id)  # refuses while a judge has not marked an entry
    entries = list(contest.entries)
    totals = {e.id: scoring.subject_total(panel, e.code) for e in entries}
    ordered = sorted(entries, key=lambda e: (-totals[e.id], e.code))
    money = {
        Prize.first: contest.first_money,
        Prize.second: contest.second_money,
        Prize.third: contest.third_money,
    }
    rank = 0
    for position, entry in enumerate(ordered, start=1):
        if position == 1 or totals[entry.id] != totals[ordered[position - 2].id]:
            rank = position
        entry.total = totals[entry.id]
        entry.rank = rank
        entry.prize = prize_for(contest, rank)
        entry.prize_money = money[entry.prize] if entry.prize else None
    db.session.flush()
    record(
        actor,
        "innovation.contest_close",
        "innovation_contest",
        contest.id,
        organization_id=contest.organization_id,
        after={"ranks": {e.code: [str(e.total), e.rank] for e in ordered}},
        summary=_("五小竞赛成绩锁定：%(name)s", name=contest.name),
    )
    return contest


def entries_with_items(contest: SmallsContest) -> list[ContestEntry]:
    return list(
        db.session.scalars(
            sa.select(ContestEntry)
            .options(
                joinedload(ContestEntry.innovation).options(
                    joinedload(Innovation.author), selectinload(Innovation.members)
                )
            )
            .where(ContestEntry.contest_id == contest.id)
            .order_by(ContestEntry.rank.is_(None), ContestEntry.rank, ContestEntry.code)
        )
    )


def my_marked_codes(actor: User, contest: SmallsContest) -> set[str]:
    """Entries the judge has marked already."""
    return set(
        db.session.scalars(
            sa.select(ScoringSubject.code)
            .join(ScoringSubmission, ScoringSubmission.subject_id == ScoringSubject.id)
            .where(ScoringSubject.panel_id == contest.panel_id)
            .where(ScoringSubmission.scorer_id == actor.id)
        )
    )


def prizes_of(user_id: int) -> list[ContestEntry]:
    """A person's contest prizes (author or team member), for their pages."""
    return list(
        db.session.scalars(
            sa.select(ContestEntry)
            .options(joinedload(ContestEntry.contest), joinedload(ContestEntry.innovation))
            .join(Innovation, Innovation.id == ContestEntry.innovation_id)
            .where(
                ContestEntry.prize.is_not(None),
                sa.or_(
                    Innovation.author_id == user_id,
                    Innovation.id.in_(
                        sa.select(InnovationMember.innovation_id).where(
                            InnovationMember.user_id == user_id
                        )
                    ),
                ),
            )
            .order_by(ContestEntry.id.desc())
            .limit(50)
        )
    )
