"""Forms for the innovation pages; the submission form is built for a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.innovation.labels import KIND_LABELS, STUDIO_LEVEL_LABELS
from lms.innovation.models import DECISIONS, EntryKind


class SubmitForm(FlaskForm):
    kind = SelectField(_l("类别"), choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题。")), Length(max=120)])
    problem = TextAreaField(
        _l("存在的问题"),
        validators=[DataRequired(_l("请写明存在的问题。")), Length(max=4000)],
    )
    method = TextAreaField(_l("解决办法"), validators=[Optional(), Length(max=6000)])
    expected_benefit = TextAreaField(_l("预期效益"), validators=[Optional(), Length(max=2000)])
    major = BooleanField(_l("重大项目（评审期限 90 天）"))
    team = TextAreaField(_l("团队成员（可不填）"), validators=[Optional(), Length(max=2000)])
    files = MultipleFileField(_l("照片或 PDF（可不传）"))


class DecideForm(FlaskForm):
    outcome = RadioField(
        _l("评审结论"),
        choices=[(s.value, s.value) for s in DECISIONS],
        validators=[InputRequired(_l("请选择评审结论。"))],
    )
    reason = TextAreaField(
        _l("意见或理由（不采纳时必填，提交人可见）"), validators=[Length(max=2000)]
    )


class MergeForm(FlaskForm):
    original_id = IntegerField(
        _l("并入的原项目编号"), validators=[InputRequired(_l("请填写原项目编号。"))]
    )


class BenefitForm(FlaskForm):
    target_benefit = DecimalField(_l("目标年净效益（元）"), places=2, validators=[Optional()])
    forecast_benefit = DecimalField(_l("预测年净效益（元）"), places=2, validators=[Optional()])
    actual_benefit = DecimalField(_l("实际年净效益（元）"), places=2, validators=[Optional()])
    formula = TextAreaField(_l("计算公式"), validators=[Optional(), Length(max=2000)])
    reason = StringField(_l("修改理由（已核定时必填）"), validators=[Optional(), Length(max=500)])


class EmptyForm(FlaskForm):
    """CSRF only: a button that changes something."""


class StudioForm(FlaskForm):
    name = StringField(
        _l("工作室名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=120)]
    )
    lead_no = StringField(_l("领办人工号"), validators=[DataRequired(_l("请填写领办人工号。"))])
    organization_id = SelectField(_l("依托单位"), coerce=int)
    trade = StringField(_l("工种"), validators=[Optional(), Length(max=64)])
    level = SelectField(_l("级别"), choices=[(k.value, v) for k, v in STUDIO_LEVEL_LABELS.items()])
    year = IntegerField(_l("命名年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    plan = TextAreaField(_l("工作计划"), validators=[Optional(), Length(max=4000)])
    members = TextAreaField(_l("成员工号（每行一个）"), validators=[Optional(), Length(max=2000)])


class StudioDecisionForm(FlaskForm):
    approve = RadioField(
        _l("审核结论"),
        choices=[("1", _l("予以命名")), ("0", _l("不予命名"))],
        validators=[InputRequired(_l("请选择结论。"))],
    )
    reason = TextAreaField(_l("理由（不予命名时必填）"), validators=[Length(max=2000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("理由"), validators=[DataRequired(_l("请写明理由。")), Length(max=2000)]
    )


class LedgerForm(FlaskForm):
    kind = SelectField(
        _l("类型"),
        choices=[(EntryKind.grant.value, _l("拨款")), (EntryKind.spending.value, _l("支出"))],
    )
    amount = DecimalField(
        _l("金额（元）"), places=2, validators=[InputRequired(_l("请填写金额。"))]
    )
    description = StringField(
        _l("用途或来源"), validators=[DataRequired(_l("请写明用途或来源。")), Length(max=200)]
    )
    corrects_id = IntegerField(_l("更正的记录编号（可不填）"), validators=[Optional()])


class DutyForm(FlaskForm):
    employee_no = StringField(_l("专员工号"), validators=[DataRequired(_l("请填写工号。"))])
    organization_id = SelectField(_l("负责单位"), coerce=int)


class StudioLinkForm(FlaskForm):
    studio_id = SelectField(_l("所属创新工作室"), coerce=int)


class EvaluationOpenForm(FlaskForm):
    evaluators = TextAreaField(
        _l("评审人工号（空格或换行分隔）"),
        validators=[DataRequired(_l("请填写评审人工号。")), Length(max=500)],
    )
    lead_no = StringField(
        _l("评审组长工号"), validators=[DataRequired(_l("请填写评审组长工号。")), Length(max=20)]
    )


class DeclareForm(FlaskForm):
    conflict = RadioField(
        _l("利益冲突声明"),
        choices=[("0", _l("与本项目无利益冲突")), ("1", _l("存在利益冲突，申请回避"))],
        validators=[InputRequired(_l("请选择。"))],
    )
    reason = TextAreaField(_l("利益关系（回避时必填）"), validators=[Length(max=500)])


class EvaluatorForm(FlaskForm):
    employee_no = StringField(
        _l("评审人工号"), validators=[DataRequired(_l("请填写工号。")), Length(max=20)]
    )
    lead = BooleanField(_l("担任评审组长（原组长已回避时）"))


class ScorecardForm(FlaskForm):
    lines = TextAreaField(
        _l("评分项（每行：代码 名称 满分）"),
        validators=[DataRequired(_l("请至少填写一个评分项。")), Length(max=2000)],
    )


class ContestForm(FlaskForm):
    name = StringField(
        _l("竞赛名称"), validators=[DataRequired(_l("请填写竞赛名称。")), Length(max=120)]
    )
    organization_id = SelectField(_l("主办单位"), coerce=int)
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    call_text = TextAreaField(_l("征集通知"), validators=[Optional(), Length(max=4000)])
    entry_deadline = DateField(
        _l("报名截止日期"), validators=[InputRequired(_l("请填写报名截止日期。"))]
    )
    defence_at = DateField(_l("现场答辩日期"), validators=[Optional()])
    defence_place = StringField(_l("答辩地点"), validators=[Optional(), Length(max=200)])
    judges = TextAreaField(
        _l("评委工号（空格或换行分隔）"),
        validators=[DataRequired(_l("请填写评委工号。")), Length(max=500)],
    )
    chief_no = StringField(
        _l("评委会主任工号"), validators=[DataRequired(_l("请填写评委会主任工号。"))]
    )
    first_count = IntegerField(_l("一等奖名额"), default=1, validators=[NumberRange(0, 100)])
    second_count = IntegerField(_l("二等奖名额"), default=2, validators=[NumberRange(0, 100)])
    third_count = IntegerField(_l("三等奖名额"), default=3, validators=[NumberRange(0, 100)])
    first_money = DecimalField(_l("一等奖奖金（元）"), places=2, default=0, validators=[Optional()])
    second_money = DecimalField(
        _l("二等奖奖金（元）"), places=2, default=0, validators=[Optional()]
    )
    third_money = DecimalField(_l("三等奖奖金（元）"), places=2, default=0, validators=[Optional()])


class EntryForm(FlaskForm):
    item_id = SelectField(_l("参赛项目"), coerce=int)


class RecommendForm(FlaskForm):
    kind = RadioField(
        _l("推荐类型"),
        choices=[("item", _l("已采纳项目或创新成果")), ("method", _l("先进操作法"))],
        default="item",
        validators=[InputRequired(_l("请选择推荐的类型。"))],
    )
    item_id = IntegerField(_l("项目编号（推荐项目时填）"), validators=[Optional()])
    title = StringField(
        _l("操作法名称（推荐操作法时填）"), validators=[Optional(), Length(max=120)]
    )
    summary = TextAreaField(_l("要点和成效"), validators=[Optional(), Length(max=4000)])
    author_no = StringField(_l("操作法创造人工号"), validators=[Optional(), Length(max=20)])
    studio_id = SelectField(_l("所属创新工作室"), coerce=int)
    award = StringField(
        _l("推荐参评的奖项"),
        validators=[DataRequired(_l("请填写推荐参评的奖项。")), Length(max=120)],
    )
    awarding_body = StringField(
        _l("评选单位"), validators=[DataRequired(_l("请填写评选单位。")), Length(max=120)]
    )
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    reason = TextAreaField(_l("推荐理由"), validators=[Optional(), Length(max=2000)])


class OutcomeForm(FlaskForm):
    won = RadioField(
        _l("评选结果"),
        choices=[("1", _l("获奖")), ("0", _l("未获奖"))],
        validators=[InputRequired(_l("请选择评选结果。"))],
    )
    outcome_level = StringField(_l("获奖等级"), validators=[Optional(), Length(max=60)])
    prize_money = DecimalField(_l("奖金（元）"), places=2, validators=[Optional()])


class AppraisalForm(FlaskForm):
    year = IntegerField(_l("考核年度"), validators=[InputRequired(), NumberRange(2000, 2100)])
    note = StringField(_l("考核意见"), validators=[Optional(), Length(max=500)])
