"""Similar earlier items, shown on submission: character-bigram Jaccard similarity of the
title and problem, in Python, over a bounded set of candidates (the same enterprise, not
merged, the last two years). The same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from lms.accounts.models import Organization, User
from lms.extensions import db
from lms.innovation.models import Innovation, Stage
from lms.innovation.services.common import enterprise_path, now

CANDIDATES = 500
THRESHOLD = 0.3
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def bigrams(text: str) -> set[str]:
    text = _NOISE.sub("", (text or "").lower())
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass
class Similar:
    item: Innovation
    score: float


def similar(
    author: User, title: str, problem: str, exclude_id: int | None = None, limit: int = 5
) -> list[Similar]:
    probe = bigrams(f"{title} {problem}")
    if not probe:
        return []
    stmt = (
        sa.select(Innovation.id, Innovation.title, Innovation.problem)
        .join(Organization, Innovation.organization_id == Organization.id)
        .where(
            Organization.path.startswith(enterprise_path(author.organization)),
            Innovation.stage != Stage.merged,
            Innovation.submitted_at >= now() - timedelta(days=730),
        )
        .order_by(Innovation.submitted_at.desc())
        .limit(CANDIDATES)
    )
    if exclude_id:
        stmt = stmt.where(Innovation.id != exclude_id)
    scores = {}
    for item_id, item_title, item_problem in db.session.execute(stmt):
        score = jaccard(probe, bigrams(f"{item_title} {item_problem}"))
        if score >= THRESHOLD:
            scores[item_id] = round(score, 2)
    best = sorted(scores, key=lambda i: (-scores[i], i))[:limit]
    if not best:
        return []
    items = {
        i.id: i for i in db.session.scalars(sa.select(Innovation).where(Innovation.id.in_(best)))
    }
    return [Similar(items[i], scores[i]) for i in best]
