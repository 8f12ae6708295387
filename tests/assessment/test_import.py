"""Questions from a spreadsheet: every row's errors in Chinese, all rows or none."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from lms.assessment import services
from lms.assessment.models import BankQuestion
from lms.errors import Forbidden
from lms.extensions import db
from tests.assessment.helpers import build

HEADERS = ["题型", "知识点", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "分值"]


def xlsx(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["单选", "安全", "易", "动火作业前要办理什么？", "动火证", "出门证", "工作证", "", "A", 1],
    ["多选", "工艺", "中", "焊接缺陷有哪些？", "气孔", "夹渣", "裂纹", "美观", "a、b、c", 2],
    ["判断", "安全", "易", "焊工可以不戴面罩。", "", "", "", "", "错", ""],
    ["填空", "材料", "难", "J422 焊条属于____型。", "", "", "", "", "钛钙|钛钙型", 1],
]


@pytest.fixture
def world(app):
    return build(per_pool=0)


def _count(bank):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(BankQuestion).where(BankQuestion.bank_id == bank.id)
    )


def test_a_good_file_imports_every_row(world):
    result = services.import_questions(world.officer, world.bank, "题库.xlsx", xlsx(GOOD))
    assert (result.created, result.rows, bool(result.errors)) == (4, 4, False)
    by_text = {q.text: q for q in db.session.scalars(sa.select(BankQuestion))}
    assert by_text["焊接缺陷有哪些？"].key == [0, 1, 2]
    assert by_text["焊工可以不戴面罩。"].key == [1]
    assert by_text["J422 焊条属于____型。"].key == ["钛钙", "钛钙型"]
    assert by_text["J422 焊条属于____型。"].difficulty == 3


def test_one_bad_row_imports_nothing_and_each_error_names_its_row(world):
    rows = [
        *GOOD,
        ["问答", "安全", "易", "什么是焊接？", "", "", "", "", "连接", 1],  # row 6
        ["单选", "安全", "很难", "题", "甲", "乙", "", "", "E", 1],  # row 7
        ["多选", "", "易", "多选只有一个答案", "甲", "乙", "丙", "", "B", "x"],  # row 8
        ["判断", "安全", "易", "焊工可以不戴面罩。", "", "", "", "", "也许", 1],  # row 9
    ]
    result = services.import_questions(world.officer, world.bank, "题库.xlsx", xlsx(rows))
    assert result.created == 0 and _count(world.bank) == 0
    messages = result.messages()
    assert "第 6 行（题型）：题型应为单选、多选、判断或填空。" in messages
    assert "第 7 行（难度）：难度应为易、中、难（1、2、3）。" in messages
    assert "第 7 行（答案）：正确答案不在选项之中。" in messages
    assert "第 8 行（知识点）：请填写知识点。" in messages
    assert "第 8 行（分值）：分值应为 0 到 100 之间的数。" in messages
    assert "第 8 行（答案）：多选题至少要有两个正确答案。" in messages
    assert "第 9 行（答案）：判断题的答案应为“对”或“错”。" in messages
    assert "第 9 行（题干）：与第 4 行的题干重复。" in messages
    assert not any(m.startswith(("第 2 行", "第 3 行", "第 5 行")) for m in messages)


def test_a_question_already_in_the_bank_is_an_error(world):
    services.import_questions(world.officer, world.bank, "a.xlsx", xlsx(GOOD[:1]))
    result = services.import_questions(world.officer, world.bank, "b.xlsx", xlsx(GOOD))
    assert result.created == 0 and _count(world.bank) == 1
    assert result.messages() == ["第 2 行（题干）：题库中已有相同题干的题目。"]


def test_missing_columns_are_named(world):
    result = services.import_questions(
        world.officer, world.bank, "a.xlsx", xlsx([["单选", "题"]], headers=["题型", "题干"])
    )
    assert result.messages() == ["第 1 行（表头）：缺少必填列：知识点、答案。请使用模板的表头。"]


def test_the_template_reads_back_without_errors(world):
    data = services.template_xlsx()
    assert load_workbook(io.BytesIO(data)).active["A1"].value == "题型"
    result = services.import_questions(world.officer, world.bank, "模板.xlsx", data)
    assert result.created == 4, result.messages()


def test_only_the_bank_managers_import(world):
    with pytest.raises(Forbidden):
        services.import_questions(world.workers[0], world.bank, "a.xlsx", xlsx(GOOD))
