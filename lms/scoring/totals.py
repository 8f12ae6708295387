"""The scoring arithmetic, and a whole panel's scores in three statements.

``combine`` is the one rule: per criterion, a chief's resolution wins; otherwise the mean of
the scorers' marks (without the highest and the lowest in five-scorer mode); judgement levels
are scaled to the criterion's marks. ``services.subject_scores`` applies it to one subject;
``panel_scores`` to every subject of a panel at once (for rankings, whatever their size).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from lms.extensions import db
from lms.scoring.models import (
    CriterionKind,
    ScoringMark,
    ScoringPanel,
    ScoringResolution,
    ScoringSubject,
    ScoringSubmission,
)

CENT = Decimal("0.01")


def combine(
    panel: ScoringPanel,
    marks: dict[int, dict[str, Decimal]],
    resolutions: dict[int, Decimal],
) -> dict[str, Decimal]:
    """Scores per criterion code from the scorers' marks (scorer → code → mark) and the
    chief's resolutions (criterion id → level)."""
    scores: dict[str, Decimal] = {}
    for criterion in panel.criteria:
        if criterion.id in resolutions:
            value = resolutions[criterion.id]
        else:
            values = sorted(m[criterion.code] for m in marks.values() if criterion.code in m)
            if not values:
                continue
            if panel.drop_extremes and len(values) >= 5:
                values = values[1:-1]
            value = sum(values) / len(values)
        if criterion.kind == CriterionKind.judgement:
            value = criterion.max_mark * value / 3
        scores[criterion.code] = Decimal(value).quantize(CENT, ROUND_HALF_UP)
    return scores


def panel_scores(panel: ScoringPanel) -> dict[str, dict[str, Decimal]]:
    """Every subject's scores per criterion (subject code → criterion code → score): the
    criteria, the marks and the resolutions of the panel read once each."""
    criteria = panel.criteria
    codes = {c.id: c.code for c in criteria}
    marks: dict[str, dict[int, dict[str, Decimal]]] = {}
    for code, scorer_id, criterion_id, value in db.session.execute(
        sa.select(
            ScoringSubject.code,
            ScoringSubmission.scorer_id,
            ScoringMark.criterion_id,
            ScoringMark.value,
        )
        .join(ScoringSubmission, ScoringSubmission.subject_id == ScoringSubject.id)
        .join(ScoringMark, ScoringMark.submission_id == ScoringSubmission.id)
        .where(ScoringSubject.panel_id == panel.id)
    ):
        if criterion_id in codes:
            marks.setdefault(code, {}).setdefault(scorer_id, {})[codes[criterion_id]] = Decimal(
                value
            )
    resolutions: dict[str, dict[int, Decimal]] = {}
    for code, criterion_id, value in db.session.execute(
        sa.select(ScoringSubject.code, ScoringResolution.criterion_id, ScoringResolution.value)
        .join(ScoringResolution, ScoringResolution.subject_id == ScoringSubject.id)
        .where(ScoringSubject.panel_id == panel.id)
    ):
        resolutions.setdefault(code, {})[criterion_id] = Decimal(value)
    subjects = db.session.scalars(
        sa.select(ScoringSubject.code).where(ScoringSubject.panel_id == panel.id)
    )
    return {
        code: combine(panel, marks.get(code, {}), resolutions.get(code, {})) for code in subjects
    }


def judgement_codes(panel: ScoringPanel) -> set[str]:
    return {c.code for c in panel.criteria if c.kind == CriterionKind.judgement}


def open_flags(
    panel: ScoringPanel, marks: dict[int, dict[str, Decimal]], resolved: set[int]
) -> list[str]:
    """The one spread rule: judgement criteria whose levels (scorer → code → level) are
    further apart than the panel's spread, and that the chief has not resolved."""
    found = []
    for criterion in panel.criteria:
        if criterion.kind != CriterionKind.judgement or criterion.id in resolved:
            continue
        levels = [m[criterion.code] for m in marks.values() if criterion.code in m]
        if len(levels) > 1 and max(levels) - min(levels) > panel.spread:
            found.append(criterion.code)
    return found


def panel_flags(panel: ScoringPanel) -> dict[str, list[str]]:
    """Every subject's open flags (subject code → criterion codes), in three statements."""
    codes = {c.id: c.code for c in panel.criteria}
    marks: dict[str, dict[int, dict[str, Decimal]]] = {}
    for code, scorer_id, criterion_id, value in db.session.execute(
        sa.select(
            ScoringSubject.code,
            ScoringSubmission.scorer_id,
            ScoringMark.criterion_id,
            ScoringMark.value,
        )
        .join(ScoringSubmission, ScoringSubmission.subject_id == ScoringSubject.id)
        .join(ScoringMark, ScoringMark.submission_id == ScoringSubmission.id)
        .where(ScoringSubject.panel_id == panel.id)
    ):
        if criterion_id in codes:
            marks.setdefault(code, {}).setdefault(scorer_id, {})[codes[criterion_id]] = Decimal(
                value
            )
    resolved: dict[str, set[int]] = {}
    for code, criterion_id in db.session.execute(
        sa.select(ScoringSubject.code, ScoringResolution.criterion_id)
        .join(ScoringResolution, ScoringResolution.subject_id == ScoringSubject.id)
        .where(ScoringSubject.panel_id == panel.id)
    ):
        resolved.setdefault(code, set()).add(criterion_id)
    subjects = db.session.scalars(
        sa.select(ScoringSubject.code).where(ScoringSubject.panel_id == panel.id)
    )
    return {
        code: open_flags(panel, marks.get(code, {}), resolved.get(code, set())) for code in subjects
    }
