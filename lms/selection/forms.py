"""Forms for the selection pages. Every field has a label; every form fits a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.accounts.labels import HONOR_KIND_LABELS, HONOR_LEVEL_LABELS


class CampaignForm(FlaskForm):
    title = StringField(_l("评选名称"), validators=[DataRequired(), Length(max=120)])
    honour_kind = SelectField(
        _l("授予的荣誉"), choices=[(k.value, v) for k, v in HONOR_KIND_LABELS.items()]
    )
    honour_level = SelectField(
        _l("荣誉级别"), choices=[(k.value, v) for k, v in HONOR_LEVEL_LABELS.items()]
    )
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(1950, 2100)])
    places = IntegerField(
        _l("表彰名额（总数）"), validators=[InputRequired(), NumberRange(1, 10000)]
    )
    nominate_until = DateField(_l("推荐截止日期"), validators=[InputRequired()])
    review_until = DateField(_l("审核截止日期"), validators=[InputRequired()])
    notice_workdays = IntegerField(
        _l("公示期（工作日）"), default=5, validators=[InputRequired(), NumberRange(1, 30)]
    )
    min_frontline_percent = IntegerField(
        _l("一线职工和专业技术人员不少于（%）"), validators=[Optional(), NumberRange(0, 100)]
    )
    max_heads_percent = IntegerField(
        _l("企业负责人不超过（%）"), validators=[Optional(), NumberRange(0, 100)]
    )
    requires_prior_honour = BooleanField(_l("须已获得下一级荣誉"))
    description = TextAreaField(_l("评选说明"), validators=[Optional(), Length(max=4000)])


class QuotaForm(FlaskForm):
    organization_id = SelectField(_l("单位"), coerce=int, validators=[InputRequired()])
    places = IntegerField(_l("名额"), validators=[InputRequired(), NumberRange(0, 10000)])


class DossierForm(FlaskForm):
    summary = StringField(
        _l("简要事迹（公示时显示）"), validators=[DataRequired(), Length(max=300)]
    )
    achievements = TextAreaField(_l("事迹材料"), validators=[DataRequired(), Length(max=20000)])
    frontline = BooleanField(_l("一线职工或专业技术人员"))
    enterprise_head = BooleanField(_l("企业负责人"))
    congress_resolution = StringField(
        _l("职代会决议（文号或说明）"), validators=[Optional(), Length(max=300)]
    )
    unit_notice_from = DateField(_l("单位公示开始日期"), validators=[Optional()])
    unit_notice_to = DateField(_l("单位公示结束日期"), validators=[Optional()])


class ObjectionForm(FlaskForm):
    dossier_id = SelectField(_l("异议涉及的人选"), coerce=int, validators=[InputRequired()])
    body = TextAreaField(
        _l("异议的具体事实"), validators=[DataRequired(), Length(min=10, max=5000)]
    )
    contact = StringField(_l("联系电话"), validators=[DataRequired(), Length(max=64)])
    real_name = BooleanField(_l("我以本人真实姓名提出异议（匿名异议不予受理）"), default=True)


class CalendarDayForm(FlaskForm):
    day = DateField(_l("日期"), validators=[InputRequired()])
    is_workday = SelectField(
        _l("这一天"),
        choices=[("0", _l("放假（节假日）")), ("1", _l("上班（调休工作日）"))],
    )
    note = StringField(_l("说明"), validators=[Optional(), Length(max=80)])
