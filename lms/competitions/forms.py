"""Forms for the competitions' pages. Every field has a label; every form fits a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.competitions.labels import LEVEL_LABELS, OFFICIAL_LABELS, choices

NUMBER = _l("请填写数字。")


class ContestForm(FlaskForm):
    name = StringField(
        _l("竞赛名称"), validators=[DataRequired(_l("请填写竞赛名称。")), Length(max=120)]
    )
    level = SelectField(_l("级别"), choices=choices(LEVEL_LABELS))
    venue = StringField(_l("地点"), validators=[Optional(), Length(max=200)])
    registration_opens_at = DateTimeLocalField(
        _l("报名开始"), validators=[InputRequired(_l("请填写报名开始时间。"))]
    )
    registration_closes_at = DateTimeLocalField(
        _l("报名截止"), validators=[InputRequired(_l("请填写报名截止时间。"))]
    )
    theory_weight = DecimalField(
        _l("理论成绩权重（0–1，默认 0.3，即理论∶实操 = 3∶7）"),
        default=0.3,
        places=3,
        validators=[InputRequired(NUMBER), NumberRange(0, 1)],
    )
    chief_technician_places = IntegerField(
        _l("每项目首席技工名额"), default=0, validators=[InputRequired(NUMBER), NumberRange(0)]
    )
    technical_expert_places = IntegerField(
        _l("每项目技术能手名额"), default=0, validators=[InputRequired(NUMBER), NumberRange(0)]
    )


class TradeForm(FlaskForm):
    name = StringField(
        _l("项目（工种）名称"), validators=[DataRequired(_l("请填写项目名称。")), Length(max=64)]
    )
    person_trade = StringField(
        _l("报名须为工种（留空：不限）"), validators=[Optional(), Length(max=64)]
    )
    min_age = IntegerField(_l("最小年龄"), validators=[Optional(), NumberRange(14, 80)])
    max_age = IntegerField(_l("最大年龄"), validators=[Optional(), NumberRange(14, 80)])
    drop_extremes = BooleanField(_l("五裁判模式：去掉最高分和最低分"))


class QuotaForm(FlaskForm):
    organization_id = SelectField(_l("单位"), coerce=int, validators=[InputRequired()])
    places = IntegerField(_l("名额"), validators=[InputRequired(NUMBER), NumberRange(0, 10000)])


class AssignForm(FlaskForm):
    trade_id = SelectField(_l("项目"), coerce=int, validators=[InputRequired()])
    employee_no = StringField(
        _l("工号"), validators=[DataRequired(_l("请填写工号。")), Length(max=32)]
    )
    official = SelectField(_l("职务"), choices=choices(OFFICIAL_LABELS))
    conflicts = StringField(_l("申报的利益冲突（可空）"), validators=[Optional(), Length(max=255)])


class RegisterForm(FlaskForm):
    trade_id = SelectField(_l("项目"), coerce=int, validators=[InputRequired()])
    employee_no = StringField(
        _l("选手工号"), validators=[DataRequired(_l("请填写选手工号。")), Length(max=32)]
    )


class TheoryScoreForm(FlaskForm):
    score = DecimalField(
        _l("理论成绩（百分制）"), places=2, validators=[InputRequired(NUMBER), NumberRange(0, 100)]
    )


class LabourForm(FlaskForm):
    organization_id = SelectField(_l("单位"), coerce=int, validators=[InputRequired()])
    name = StringField(
        _l("竞赛名称"), validators=[DataRequired(_l("请填写竞赛名称。")), Length(max=120)]
    )


class IndicatorForm(FlaskForm):
    name = StringField(
        _l("指标名称"), validators=[DataRequired(_l("请填写指标名称。")), Length(max=120)]
    )
    weight = DecimalField(
        _l("权重"), places=2, validators=[InputRequired(NUMBER), NumberRange(0.01, 10000)]
    )
    higher_is_better = BooleanField(_l("数值越大越好"), default=True)


class EntrantForm(FlaskForm):
    team = StringField(_l("班组名称（或填工号报个人）"), validators=[Optional(), Length(max=120)])
    members = IntegerField(
        _l("班组人数"), default=1, validators=[Optional(), NumberRange(1, 10000)]
    )
    employee_no = StringField(_l("个人工号"), validators=[Optional(), Length(max=32)])


class ResultForm(FlaskForm):
    entrant_id = SelectField(_l("参赛方"), coerce=int, validators=[InputRequired()])
    indicator_id = SelectField(_l("指标"), coerce=int, validators=[InputRequired()])
    period = StringField(
        _l("周期（如 2026-11）"), validators=[DataRequired(_l("请填写周期。")), Length(max=16)]
    )
    value = DecimalField(_l("数值"), places=2, validators=[InputRequired(NUMBER)])


class RevealForm(FlaskForm):
    supervisor_no = StringField(
        _l("监督员工号"), validators=[DataRequired(_l("请填写监督员工号。")), Length(max=32)]
    )
    supervisor_password = PasswordField(
        _l("监督员密码"), validators=[DataRequired(_l("请监督员输入密码。")), Length(max=200)]
    )
