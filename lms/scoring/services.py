"""The scoring engine's service API. Domains call it with their own codes; it never
learns what a subject or a panel stands for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.audit import services as audit
from lms.db import utcnow
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db
from lms.scoring import totals
from lms.scoring.models import (
    JUDGEMENT_LEVELS,
    CriterionKind,
    ScoringCriterion,
    ScoringMark,
    ScoringMarkVersion,
    ScoringPanel,
    ScoringResolution,
    ScoringScorer,
    ScoringSubject,
    ScoringSubmission,
)

CENT = Decimal("0.01")


# --- building a panel ----------------------------------------------------------------------


def create_panel(name: str, *, spread: int = 1, drop_extremes: bool = False) -> ScoringPanel:
    panel = ScoringPanel(name=name, spread=spread, drop_extremes=drop_extremes)
    db.session.add(panel)
    db.session.flush()
    return panel


def add_criterion(
    panel: ScoringPanel,
    code: str,
    title: str,
    kind: str,
    max_mark: Decimal | int | str,
    *,
    bands: list | None = None,
    levels: list[str] | None = None,
) -> ScoringCriterion:
    _open(panel)
    max_mark, bands, levels = check_criterion(kind, max_mark, bands, levels)
    criterion = ScoringCriterion(
        panel_id=panel.id,
        code=code,
        title=title,
        kind=kind,
        max_mark=max_mark,
        bands=bands,
        levels=levels,
        position=len(panel.criteria),
    )
    db.session.add(criterion)
    db.session.flush()
    db.session.refresh(panel)
    return criterion


def check_criterion(kind: str, max_mark, bands=None, levels=None):
    """A criterion's kind and marks checked: returns (max_mark, bands, levels) normalised."""
    try:
        max_mark = Decimal(str(max_mark))
    except ArithmeticError:
        raise Invalid(_("评分项的分值格式不正确。")) from None
    if kind not in CriterionKind.__members__:
        raise Invalid(_("评分项类型无效。"))
    if not max_mark.is_finite() or max_mark <= 0:
        raise Invalid(_("评分项的分值必须大于零。"))
    if kind == CriterionKind.judgement:
        if not levels or len(levels) != len(JUDGEMENT_LEVELS) or not all(levels):
            raise Invalid(_("评价项须为 0–3 每一级写明描述。"))
        return max_mark, None, [str(level) for level in levels]
    try:
        bands = [str(Decimal(str(b))) for b in bands or []]
    except ArithmeticError:
        raise Invalid(_("容差档的分数格式不正确。")) from None
    if any(not (0 < Decimal(b) < max_mark) for b in bands):
        raise Invalid(_("容差档的分数须在零与满分之间。"))
    return max_mark, bands, None


def revise_criteria(panel: ScoringPanel, specs: list[dict[str, Any]]) -> None:
    """Make the panel's criteria those of ``specs`` (code, title, kind, max_mark, bands,
    levels), in that order: titles and descriptions may always change; once marking has
    begun no criterion is added, a criterion already marked is not removed and keeps its
    kind, and a measurement one its marks and bands (its marks would no longer fit)."""
    _open(panel)
    current = {c.code: c for c in panel.criteria}
    marked = set(
        db.session.scalars(
            sa.select(ScoringMark.criterion_id)
            .join(ScoringCriterion, ScoringCriterion.id == ScoringMark.criterion_id)
            .where(ScoringCriterion.panel_id == panel.id)
            .distinct()
        )
    )
    wanted = {spec["code"] for spec in specs}
    for code, criterion in current.items():
        if code not in wanted:
            if criterion.id in marked:
                raise Conflict(_("评分项 %(code)s 已有评分，不能删除。", code=code))
            db.session.delete(criterion)
    for position, spec in enumerate(specs):
        kind = spec["kind"]
        max_mark, bands, levels = check_criterion(
            kind, spec["max_mark"], spec.get("bands"), spec.get("levels")
        )
        criterion = current.get(spec["code"])
        if criterion is None:
            if marked:  # subjects already marked could never be marked on it
                raise Conflict(_("已经开始评分，不能再新增评分项 %(code)s。", code=spec["code"]))
            criterion = ScoringCriterion(panel_id=panel.id, code=spec["code"])
            db.session.add(criterion)
        elif criterion.id in marked and (
            criterion.kind != kind
            or (
                kind == CriterionKind.measurement
                and (criterion.max_mark != max_mark or (criterion.bands or []) != bands)
            )
        ):
            raise Conflict(
                _(
                    "评分项 %(code)s 已有评分：只能修改名称和描述（评价项还可修改分值）。",
                    code=spec["code"],
                )
            )
        criterion.title, criterion.kind, criterion.max_mark = spec["title"], kind, max_mark
        criterion.bands, criterion.levels, criterion.position = bands, levels, position
    db.session.flush()
    db.session.refresh(panel)


def check_value(panel: ScoringPanel, criterion_code: str, value) -> Decimal:
    """A mark for the criterion, checked against what it allows (kind, marks, bands)."""
    return _valid_value(_criterion(panel, criterion_code), value)


def add_scorer(panel: ScoringPanel, user_id: int, *, chief: bool = False) -> ScoringScorer:
    _open(panel)
    scorer = ScoringScorer(panel_id=panel.id, user_id=user_id, is_chief=chief)
    db.session.add(scorer)
    db.session.flush()
    return scorer


def add_subject(panel: ScoringPanel, code: str) -> ScoringSubject:
    _open(panel)
    subject = ScoringSubject(panel_id=panel.id, code=code)
    db.session.add(subject)
    db.session.flush()
    return subject


# --- marking -------------------------------------------------------------------------------


def submit(
    panel: ScoringPanel, code: str, scorer_id: int, marks: dict[str, Any]
) -> ScoringSubmission:
    """A scorer's marks for one subject, every criterion at once. A second submit (a double
    tap, or two tabs racing) is refused: there is one record per scorer and subject."""
    _open(panel)
    _scorer(panel, scorer_id)
    subject = _subject(panel, code)
    criteria = {c.code: c for c in panel.criteria}
    if set(marks) != set(criteria):
        raise Invalid(
            _("请为每个评分项打分。"), errors={"marks": sorted(set(criteria) ^ set(marks))}
        )
    values = {code: _valid_value(criteria[code], value) for code, value in marks.items()}
    submission = ScoringSubmission(subject_id=subject.id, scorer_id=scorer_id)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("您已提交过该选手的评分。")) from None
    for criterion_code, value in values.items():
        db.session.add(
            ScoringMark(
                submission_id=submission.id, criterion_id=criteria[criterion_code].id, value=value
            )
        )
    db.session.flush()
    return submission


def marks_for(panel: ScoringPanel, code: str, reader_id: int) -> dict[int, dict[str, Decimal]]:
    """Marks of one subject as a scorer may read them: own marks always, everyone's only
    once every scorer of the panel has submitted."""
    _scorer(panel, reader_id)
    subject = _subject(panel, code)
    marks = _marks(subject)
    if not _all_submitted(panel, subject):
        return {reader_id: marks[reader_id]} if reader_id in marks else {}
    return marks


def flags(panel: ScoringPanel, code: str) -> list[str]:
    """Judgement criteria of the subject whose levels are further apart than the panel's
    spread and that the chief has not resolved yet."""
    subject = _subject(panel, code)
    marks = _marks(subject)
    resolved = set(
        db.session.scalars(
            sa.select(ScoringResolution.criterion_id).where(
                ScoringResolution.subject_id == subject.id
            )
        )
    )
    return totals.open_flags(panel, marks, resolved)


def resolve(
    panel: ScoringPanel, code: str, criterion_code: str, chief_id: int, level, note: str = ""
):
    """The chief's level settles a flagged judgement criterion."""
    _open(panel)
    _chief(panel, chief_id)
    subject = _subject(panel, code)
    criterion = _criterion(panel, criterion_code)
    if criterion_code not in flags(panel, code):
        raise Conflict(_("该评分项没有需要裁定的分歧。"))
    resolution = ScoringResolution(
        subject_id=subject.id,
        criterion_id=criterion.id,
        value=_valid_value(criterion, level),
        chief_id=chief_id,
        note=note,
    )
    db.session.add(resolution)
    db.session.flush()
    return resolution


def lock(panel: ScoringPanel, chief_id: int) -> ScoringPanel:
    """The chief locks the panel once every scorer has marked every subject and no
    spread flag is open."""
    _open(panel)
    _chief(panel, chief_id)
    scorers = len(panel.scorers)
    for subject in db.session.scalars(
        sa.select(ScoringSubject).where(ScoringSubject.panel_id == panel.id)
    ):
        if len(_marks(subject)) < scorers:
            raise Conflict(_("还有评分员未提交编号 %(code)s 的评分。", code=subject.code))
        if flags(panel, subject.code):
            raise Conflict(_("编号 %(code)s 有待裁定的评分分歧。", code=subject.code))
    panel.locked_at = utcnow()
    panel.locked_by_id = chief_id
    db.session.flush()
    return panel


def change_after_lock(
    panel: ScoringPanel,
    code: str,
    scorer_id: int,
    criterion_code: str,
    value,
    *,
    reason: str,
    requested_by_id: int,
    approved_by_id: int,
) -> ScoringMarkVersion:
    """Change one mark of a locked panel: a reason and a chief's approval (not the
    requester's own) are required; the change is kept as a new version and audited."""
    _chief(panel, approved_by_id)
    if approved_by_id == requested_by_id:
        raise Forbidden(_("修改须由另一位裁判长批准。"))
    return amend_locked(
        panel,
        code,
        scorer_id,
        criterion_code,
        value,
        reason=reason,
        requested_by_id=requested_by_id,
        approved_by_id=approved_by_id,
    )


def amend_locked(
    panel: ScoringPanel,
    code: str,
    scorer_id: int,
    criterion_code: str,
    value,
    *,
    reason: str,
    requested_by_id: int | None,
    approved_by_id: int,
) -> ScoringMarkVersion:
    """Change one mark of a locked panel, kept as a new version with before and after and
    audited. Who may approve is the calling domain's rule (``change_after_lock``: a chief
    other than the requester; contests: the supervisor, or the arbitration group)."""
    if not panel.locked:
        raise Conflict(_("评分尚未锁定，可直接修改。"))
    if not (reason or "").strip():
        raise Invalid(_("锁定后修改评分须写明理由。"), errors={"reason": [_("请填写理由。")]})
    subject = _subject(panel, code)
    criterion = _criterion(panel, criterion_code)
    mark = db.session.scalar(
        sa.select(ScoringMark)
        .join(ScoringSubmission)
        .where(
            ScoringSubmission.subject_id == subject.id,
            ScoringSubmission.scorer_id == scorer_id,
            ScoringMark.criterion_id == criterion.id,
        )
        .with_for_update()
    )
    if mark is None:
        raise NotFound()
    after = _valid_value(criterion, value)
    before = mark.value
    mark.version += 1
    mark.value = after
    version = ScoringMarkVersion(
        mark_id=mark.id,
        version=mark.version,
        before=before,
        after=after,
        reason=reason.strip(),
        requested_by_id=requested_by_id,
        approved_by_id=approved_by_id,
    )
    db.session.add(version)
    audit.record(
        db.session.get(User, approved_by_id),
        "scoring.mark_changed",
        "scoring_mark",
        mark.id,
        before={"value": str(before), "version": mark.version - 1},
        after={"value": str(after), "version": mark.version, "reason": reason.strip()},
        summary=f"{panel.name} {code} {criterion_code}",
    )
    db.session.flush()
    return version


# --- results -------------------------------------------------------------------------------


def subject_scores(panel: ScoringPanel, code: str) -> dict[str, Decimal]:
    """Marks per criterion (a chief's resolution wins; otherwise the mean of the scorers,
    without the highest and lowest in five-scorer mode); judgement levels scaled to marks."""
    subject = _subject(panel, code)
    marks = _marks(subject)
    resolutions = {
        r.criterion_id: r.value
        for r in db.session.scalars(
            sa.select(ScoringResolution).where(ScoringResolution.subject_id == subject.id)
        )
    }
    return totals.combine(panel, marks, resolutions)


def subject_total(panel: ScoringPanel, code: str) -> Decimal:
    return sum(subject_scores(panel, code).values(), Decimal("0"))


def judgement_subtotal(panel: ScoringPanel, code: str) -> Decimal:
    kinds = {c.code: c.kind for c in panel.criteria}
    return sum(
        (v for k, v in subject_scores(panel, code).items() if kinds[k] == CriterionKind.judgement),
        Decimal("0"),
    )


def versions(panel: ScoringPanel, code: str) -> list[ScoringMarkVersion]:
    subject = _subject(panel, code)
    return list(
        db.session.scalars(
            sa.select(ScoringMarkVersion)
            .join(ScoringMark, ScoringMark.id == ScoringMarkVersion.mark_id)
            .join(ScoringSubmission)
            .where(ScoringSubmission.subject_id == subject.id)
            .order_by(ScoringMarkVersion.id)
        )
    )


# --- helpers -------------------------------------------------------------------------------


def _open(panel: ScoringPanel) -> None:
    if panel.locked:
        raise Conflict(_("评分已锁定，不能再修改。"))


def _scorer(panel: ScoringPanel, user_id: int) -> ScoringScorer:
    scorer = next((s for s in panel.scorers if s.user_id == user_id), None)
    if scorer is None:
        raise Forbidden(_("您不是本组评分员。"))
    return scorer


def _chief(panel: ScoringPanel, user_id: int) -> ScoringScorer:
    scorer = next((s for s in panel.scorers if s.user_id == user_id and s.is_chief), None)
    if scorer is None:
        raise Forbidden(_("只有裁判长可以进行此操作。"))
    return scorer


def _subject(panel: ScoringPanel, code: str) -> ScoringSubject:
    subject = db.session.scalar(
        sa.select(ScoringSubject).where(
            ScoringSubject.panel_id == panel.id, ScoringSubject.code == code
        )
    )
    if subject is None:
        raise NotFound()
    return subject


def _criterion(panel: ScoringPanel, code: str) -> ScoringCriterion:
    criterion = next((c for c in panel.criteria if c.code == code), None)
    if criterion is None:
        raise NotFound()
    return criterion


def _valid_value(criterion: ScoringCriterion, value) -> Decimal:
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        raise Invalid(_("分数格式不正确。")) from None
    if criterion.kind == CriterionKind.judgement:
        allowed = {Decimal(level) for level in JUDGEMENT_LEVELS}
    else:
        allowed = {Decimal("0"), criterion.max_mark, *(Decimal(b) for b in criterion.bands or [])}
    if value not in allowed:
        raise Invalid(
            _(
                "%(title)s 只能打 %(allowed)s 分。",
                title=criterion.title,
                allowed="、".join(str(a.normalize()) for a in sorted(allowed)),
            ),
            errors={criterion.code: [_("分数不在允许范围内。")]},
        )
    return value.quantize(CENT)


def _marks(subject: ScoringSubject) -> dict[int, dict[str, Decimal]]:
    rows = db.session.execute(
        sa.select(ScoringSubmission.scorer_id, ScoringCriterion.code, ScoringMark.value)
        .join(ScoringMark, ScoringMark.submission_id == ScoringSubmission.id)
        .join(ScoringCriterion, ScoringCriterion.id == ScoringMark.criterion_id)
        .where(ScoringSubmission.subject_id == subject.id)
    )
    marks: dict[int, dict[str, Decimal]] = {}
    for scorer_id, code, value in rows:
        marks.setdefault(scorer_id, {})[code] = Decimal(value)
    return marks


def _all_submitted(panel: ScoringPanel, subject: ScoringSubject) -> bool:
    submitted = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ScoringSubmission)
        .where(ScoringSubmission.subject_id == subject.id)
    )
    return submitted >= len(panel.scorers)
