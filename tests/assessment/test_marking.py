"""The one marking rule, as a table: kind, key, response, points, rule → mark."""

from decimal import Decimal

import pytest

from lms.assessment import marking
from lms.assessment.marking import Answer, Rule

HALF = Rule(partial_credit=Decimal("0.5"))


@pytest.mark.parametrize(
    ("kind", "key", "response", "points", "rule", "expected"),
    [
        ("single", [2], [2], 1, marking.EXACT, "1.00"),
        ("single", [2], [1], 1, marking.EXACT, "0.00"),
        ("single", [2], None, 1, marking.EXACT, "0.00"),
        ("single", [2], [], 3, marking.EXACT, "0.00"),
        ("true_false", [1], [1], 1, marking.EXACT, "1.00"),
        ("true_false", [1], [0], 1, marking.EXACT, "0.00"),
        # multiple choice: any order, exactly the right ones
        ("multiple", [0, 2, 3], [3, 0, 2], 2, marking.EXACT, "2.00"),
        ("multiple", [0, 2, 3], [0, 2], 2, marking.EXACT, "0.00"),
        ("multiple", [0, 2, 3], [0, 1, 2, 3], 2, marking.EXACT, "0.00"),
        # partial credit: right but incomplete earns the share; a wrong option nothing
        ("multiple", [0, 2, 3], [0, 2], 2, HALF, "1.00"),
        ("multiple", [0, 2, 3], [2], 3, HALF, "1.50"),
        ("multiple", [0, 2, 3], [0, 1], 2, HALF, "0.00"),
        ("multiple", [0, 2, 3], [0, 2, 3], 2, HALF, "2.00"),
        ("multiple", [0, 2], [0, 1, 2], 2, HALF, "0.00"),
        # partial credit never touches single choice
        ("single", [0], [1], 2, HALF, "0.00"),
        # fill-in: any accepted answer, full width, case and spaces folded
        ("fill", ["钛钙", "钛钙型"], ["钛钙型"], 1, marking.EXACT, "1.00"),
        ("fill", ["M16"], ["  ｍ１６ "], 1, marking.EXACT, "1.00"),
        ("fill", ["直流 反接"], ["直流   反接"], 1, marking.EXACT, "1.00"),
        ("fill", ["钛钙"], ["低氢"], 1, marking.EXACT, "0.00"),
        ("fill", ["钛钙"], [""], 1, marking.EXACT, "0.00"),
    ],
)
def test_rule_table(kind, key, response, points, rule, expected):
    assert marking.mark(Answer(kind, key, response, points), rule) == Decimal(expected)


def test_paper_score_percent_and_full_marks():
    answers = [
        Answer("single", [0], [0], 1),
        Answer("multiple", [0, 1], [0], 2),
        Answer("fill", ["是"], ["否"], 1),
    ]
    marked = marking.mark_all(answers, HALF)
    assert marked.marks == [Decimal("1.00"), Decimal("1.00"), Decimal("0.00")]
    assert (marked.score, marked.max_score) == (Decimal("2.00"), Decimal("4.00"))
    assert marked.percent == Decimal("50.00")
    assert [marked.full(i, a) for i, a in enumerate(answers)] == [True, False, False]


def test_percent_rounds_half_up_and_handles_an_empty_paper():
    assert marking.percent(Decimal(1), Decimal(8)) == Decimal("12.50")
    assert marking.percent(Decimal(2), Decimal(3)) == Decimal("66.67")
    assert marking.percent(Decimal(0), Decimal(0)) == Decimal("0.00")


def test_rule_refuses_a_share_of_one_or_more_and_unknown_kinds():
    with pytest.raises(ValueError):
        Rule(partial_credit=Decimal(1))
    with pytest.raises(ValueError):
        marking.mark(Answer("essay", [], ["…"], 1))
