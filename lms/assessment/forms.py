"""Forms of the assessment pages. Every field has a label; every form fits a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

DT_FORMAT = "%Y-%m-%dT%H:%M"
KIND_CHOICES = [
    ("single", _l("单选题")),
    ("multiple", _l("多选题")),
    ("true_false", _l("判断题")),
    ("fill", _l("填空题")),
]
DIFFICULTY_CHOICES = [(1, _l("易")), (2, _l("中")), (3, _l("难"))]


class BankForm(FlaskForm):
    organization_id = SelectField(_l("所属单位"), coerce=int, validators=[InputRequired()])
    name = StringField(
        _l("题库名称"), validators=[DataRequired(_l("请填写题库名称。")), Length(max=120)]
    )
    subject = StringField(_l("工种或科目（可不填）"), validators=[Optional(), Length(max=64)])


class QuestionForm(FlaskForm):
    kind = SelectField(_l("题型"), choices=KIND_CHOICES, default="single")
    topic = StringField(_l("知识点"), validators=[Length(max=64)])
    difficulty = SelectField(_l("难度"), coerce=int, choices=DIFFICULTY_CHOICES, default=2)
    text = TextAreaField(_l("题干"), validators=[Length(max=4000)])
    options = TextAreaField(
        _l("选项（每行一个；判断题、填空题不填）"), validators=[Optional(), Length(max=4000)]
    )
    answer = StringField(
        _l("答案（选择题写字母如 A 或 ACD；判断题写 对 或 错；填空题多个答案用 | 分隔）"),
        validators=[Length(max=500)],
    )
    points = DecimalField(_l("分值"), default=1, places=2, validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField(_l("题目表格（.xlsx 或 .csv）"), validators=[FileRequired(_l("请选择文件。"))])


class ExamForm(FlaskForm):
    title = StringField(
        _l("考试名称"), validators=[DataRequired(_l("请填写考试名称。")), Length(max=120)]
    )
    blueprint = TextAreaField(
        _l("组卷规则（每行：知识点,难度,题数；难度 1 易 2 中 3 难，不限留空；知识点写 * 为不限）"),
        validators=[DataRequired(_l("组卷规则至少要有一条。")), Length(max=4000)],
    )
    duration_minutes = IntegerField(
        _l("考试时长（分钟）"), default=60, validators=[NumberRange(min=1, max=1440)]
    )
    opens_at = DateTimeLocalField(
        _l("开考时间"), format=DT_FORMAT, validators=[DataRequired(_l("请填写开考时间。"))]
    )
    closes_at = DateTimeLocalField(
        _l("截止时间（可不填）"), format=DT_FORMAT, validators=[Optional()]
    )
    partial_credit = DecimalField(
        _l("多选题少选得分比例（0 为不得分，如 0.5）"), default=0, places=2, validators=[Optional()]
    )
    pass_mark = IntegerField(
        _l("及格线（百分制）"), default=60, validators=[NumberRange(min=0, max=100)]
    )


def blueprint_lines(text: str) -> list[dict]:
    """``安全,1,3`` per line → the engine's blueprint (its checks name bad lines)."""
    parts = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        cells = [c.strip() for c in line.replace("，", ",").split(",")]
        cells += [""] * (3 - len(cells))
        topic = "" if cells[0] in ("*", "＊") else cells[0]
        parts.append({"topic": topic, "difficulty": cells[1] or None, "count": cells[2] or 0})
    return parts
