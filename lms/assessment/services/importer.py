"""Importing questions into a bank from a spreadsheet (XLSX or CSV): every row is checked
and reported by its row number in Chinese; all rows are written, or none."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.importer import check_size
from lms.accounts.models import User
from lms.assessment.models import BankQuestion, QuestionBank
from lms.assessment.services.access import require_manager
from lms.assessment.services.banks import MAX_OPTIONS, check_question
from lms.core.tabular import RowErrors, read_table, xlsx_bytes
from lms.extensions import db

MAX_ROWS = 5000
LETTERS = string.ascii_uppercase[:MAX_OPTIONS]
OPTION_FIELDS = [f"option_{letter}" for letter in LETTERS]

COLUMNS = {
    "题型": "kind",
    "kind": "kind",
    "题干": "text",
    "text": "text",
    "知识点": "topic",
    "topic": "topic",
    "难度": "difficulty",
    "difficulty": "difficulty",
    "答案": "answer",
    "answer": "answer",
    "分值": "points",
    "points": "points",
    "解析": "explanation",
    "explanation": "explanation",
    **{f"选项{letter}": f"option_{letter}" for letter in LETTERS},
    **{f"option {letter}": f"option_{letter}" for letter in LETTERS},
}
TEMPLATE_HEADERS = [
    "题型",
    "知识点",
    "难度",
    "题干",
    *[f"选项{x}" for x in "ABCD"],
    "答案",
    "分值",
    "解析",
]
KIND_WORDS = {
    "单选": "single",
    "单选题": "single",
    "single": "single",
    "多选": "multiple",
    "多选题": "multiple",
    "multiple": "multiple",
    "判断": "true_false",
    "判断题": "true_false",
    "true_false": "true_false",
    "填空": "fill",
    "填空题": "fill",
    "fill": "fill",
}
DIFFICULTY_WORDS = {"易": 1, "简单": 1, "中": 2, "中等": 2, "难": 3, "困难": 3}
DIFFICULTY_WORDS |= {"1": 1, "2": 2, "3": 3, "easy": 1, "medium": 2, "hard": 3}
TRUE_WORDS = {"对", "正确", "是", "√", "t", "true", "a"}
FALSE_WORDS = {"错", "错误", "否", "×", "x", "f", "false", "b"}
REQUIRED = {"kind": "题型", "text": "题干", "topic": "知识点", "answer": "答案"}
FIELD_NAMES = {
    "kind": "题型",
    "text": "题干",
    "topic": "知识点",
    "difficulty": "难度",
    "options": "选项",
    "answer": "答案",
    "points": "分值",
}


@dataclass
class ImportResult:
    created: int
    rows: int
    errors: RowErrors

    def messages(self) -> list[str]:
        return [
            _("第 %(row)d 行（%(col)s）：%(msg)s", row=e["row"], col=e["column"], msg=m)
            for e in self.errors.as_list()
            for m in e["messages"]
        ]


def template_xlsx() -> bytes:
    rows = [
        [
            "单选",
            "安全规程",
            "易",
            "焊接作业前应首先检查什么？",
            "焊机接地",
            "焊条颜色",
            "工服品牌",
            "天气",
            "A",
            "1",
            "",
        ],
        [
            "多选",
            "焊接工艺",
            "中",
            "下列属于焊接缺陷的有：",
            "气孔",
            "夹渣",
            "裂纹",
            "余高合格",
            "ABC",
            "2",
            "",
        ],
        [
            "判断",
            "安全规程",
            "易",
            "在密闭容器内焊接可以不设监护人。",
            "",
            "",
            "",
            "",
            "错",
            "1",
            "",
        ],
        [
            "填空",
            "焊接材料",
            "中",
            "E4303 焊条的药皮类型是____型。",
            "",
            "",
            "",
            "",
            "钛钙|钛钙型",
            "1",
            "",
        ],
    ]
    notes = [
        _("每行一道题。题型：单选、多选、判断、填空；难度：易、中、难。"),
        _(
            "选择题的答案写选项字母，如 A 或 ACD；判断题写 对 或 错；填空题的多个可接受答案用 | 分隔。"
        ),
        _("任何一行有错误时，整个文件都不会导入；请按提示改正后重新上传。"),
    ]
    return xlsx_bytes(_("题库导入模板"), TEMPLATE_HEADERS, rows, notes)


def _answer(kind: str, text: str) -> list | None:
    """The answer column read for the kind: option indexes, or accepted texts; None: unreadable."""
    text = text.strip()
    if kind == "fill":
        return [a.strip() for a in re.split(r"[|｜]", text) if a.strip()]
    if kind == "true_false":
        word = text.lower()
        return [0] if word in TRUE_WORDS else [1] if word in FALSE_WORDS else None
    letters = re.sub(r"[\s,，、;；]", "", text).upper()
    if not letters or any(ch not in LETTERS for ch in letters):
        return None
    return [LETTERS.index(ch) for ch in letters]


def _row(values: dict[str, str]) -> tuple[dict, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    kind = KIND_WORDS.get(values.get("kind", "").strip().lower(), "")
    difficulty_text = values.get("difficulty", "").strip().lower()
    difficulty = DIFFICULTY_WORDS.get(difficulty_text, 0) if difficulty_text else 2
    answer = _answer(kind, values.get("answer", "")) if kind else []
    if kind and kind != "fill" and answer is None:
        errors["answer"] = [
            _("判断题的答案应为“对”或“错”。")
            if kind == "true_false"
            else _("选择题的答案应为选项字母，如 A 或 ACD。")
        ]
        answer = []
    data = {
        "kind": kind,
        "text": values.get("text", ""),
        "topic": values.get("topic", ""),
        "difficulty": difficulty,
        "options": [values.get(f, "") for f in OPTION_FIELDS],
        "answer": answer,
        "points": values.get("points") or 1,
        "explanation": values.get("explanation", ""),
    }
    clean, checked = check_question(data)
    for name, messages in checked.items():
        errors.setdefault(name, []).extend(messages)
    return clean, errors


def import_questions(
    actor: User, bank: QuestionBank, filename: str, data: bytes, *, dry_run: bool = False
) -> ImportResult:
    """Check every row; write all of them in one transaction, or none if any is wrong. A
    question whose text is already in the bank (or twice in the file) is an error too."""
    require_manager(actor, bank.organization)
    check_size(filename, data, MAX_ROWS)
    sheet = read_table(filename, data, COLUMNS, MAX_ROWS)
    errors = RowErrors()
    missing = [name for field, name in REQUIRED.items() if field not in sheet.headers]
    if missing:
        errors.add(
            1, _("表头"), _("缺少必填列：%(cols)s。请使用模板的表头。", cols="、".join(missing))
        )
        return ImportResult(0, len(sheet.rows), errors)
    existing = set(
        db.session.scalars(sa.select(BankQuestion.text).where(BankQuestion.bank_id == bank.id))
    )
    seen: dict[str, int] = {}
    records = []
    for row_no, values in sheet.rows:
        clean, row_errors = _row(values)
        if row_errors.get("kind"):
            row_errors["kind"] = [_("题型应为单选、多选、判断或填空。")]
        for name, messages in row_errors.items():
            for message in messages:
                errors.add(row_no, FIELD_NAMES.get(name, name), message)
        text = clean["text"]
        if text and text in existing:
            errors.add(row_no, FIELD_NAMES["text"], _("题库中已有相同题干的题目。"))
        elif text and text in seen:
            errors.add(
                row_no, FIELD_NAMES["text"], _("与第 %(row)d 行的题干重复。", row=seen[text])
            )
        seen.setdefault(text, row_no)
        records.append({"bank_id": bank.id, "retired": False, **clean})
    if errors or dry_run:
        return ImportResult(0, len(sheet.rows), errors)
    db.session.execute(sa.insert(BankQuestion), records)
    db.session.commit()
    return ImportResult(len(records), len(sheet.rows), errors)
