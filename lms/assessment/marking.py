"""The one marking rule, for every paper the platform marks: exams drawn from question banks
and the quizzes of courses alike.

- single choice and true/false: the one right option, or nothing;
- multiple choice: exactly the right options, in any order; with partial credit configured
  (``Rule(partial_credit=Decimal("0.5"))``), a choice of only right options that misses some
  earns that share of the points (少选得部分分); any wrong option earns nothing (错选不得分);
- fill-in: any of the accepted answers, compared after folding full-width characters,
  case and runs of spaces (``ＡＢＣ`` = ``abc``, ``M 16`` = ``m 16``);
- no answer earns nothing.

Pure functions on plain values: no database, no request.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
KINDS = ("single", "multiple", "true_false", "fill")


@dataclass(frozen=True)
class Rule:
    #: Multiple choice: share of the points for right but incomplete choices (0: none).
    partial_credit: Decimal = Decimal(0)

    def __post_init__(self):
        if not (Decimal(0) <= Decimal(self.partial_credit) < 1):
            raise ValueError("partial_credit must be at least 0 and below 1")


EXACT = Rule()


@dataclass(frozen=True)
class Answer:
    """One question to mark: its kind, the key (right options or accepted texts), the
    response (chosen options or the written text) and the points it carries."""

    kind: str
    key: Iterable
    response: Iterable | None
    points: Decimal | int | str = 1


@dataclass
class Marked:
    marks: list[Decimal] = field(default_factory=list)
    score: Decimal = Decimal(0)
    max_score: Decimal = Decimal(0)

    @property
    def percent(self) -> Decimal:
        return percent(self.score, self.max_score)

    def full(self, index: int, answer: Answer) -> bool:
        return self.marks[index] == Decimal(str(answer.points))


def normalize(text: object) -> str:
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def mark(answer: Answer, rule: Rule = EXACT) -> Decimal:
    """The mark one answer earns under ``rule``."""
    if answer.kind not in KINDS:
        raise ValueError(f"unknown question kind {answer.kind!r}")
    points = Decimal(str(answer.points))
    response = list(answer.response or [])
    if not response:
        return Decimal(0).quantize(CENT)
    if answer.kind == "fill":
        accepted = {normalize(k) for k in answer.key}
        written = normalize(response[0])
        return points.quantize(CENT) if written and written in accepted else Decimal("0.00")
    key, chosen = set(answer.key), set(response)
    if chosen == key:
        return points.quantize(CENT)
    if answer.kind == "multiple" and rule.partial_credit and chosen < key:
        return (points * Decimal(rule.partial_credit)).quantize(CENT, ROUND_HALF_UP)
    return Decimal("0.00")


def mark_all(answers: Iterable[Answer], rule: Rule = EXACT) -> Marked:
    """Every answer's mark, the score and the most a paper could score."""
    result = Marked()
    for answer in answers:
        result.marks.append(mark(answer, rule))
        result.max_score += Decimal(str(answer.points))
    result.score = sum(result.marks, Decimal(0)).quantize(CENT)
    result.max_score = result.max_score.quantize(CENT)
    return result


def percent(score: Decimal, max_score: Decimal) -> Decimal:
    """The score out of 100, to the cent, halves rounded up."""
    if not max_score:
        return Decimal("0.00")
    return (Decimal(100) * Decimal(score) / Decimal(max_score)).quantize(CENT, ROUND_HALF_UP)
