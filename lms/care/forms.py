"""Forms for the care pages. Every field has a label; every form fits a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.accounts.labels import HONOR_LEVEL_LABELS
from lms.care.labels import (
    HELP_LABELS,
    NEED_LABELS,
    OCCASION_LABELS,
    TRIP_KIND_LABELS,
    choices,
)

INTERNAL = _l("仅关爱团队可见（本人看不到）")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DutyForm(FlaskForm):
    user_id = SelectField(_l("培训专员"), coerce=int, validators=[InputRequired()])
    organization_id = SelectField(
        _l("负责单位（含下属单位）"), coerce=int, validators=[InputRequired()]
    )


class SituationForm(FlaskForm):
    surveyed_on = DateField(_l("调查日期"), validators=[Optional()])
    housing = StringField(_l("住房"), validators=[Optional(), Length(max=200)])
    income = StringField(_l("收入"), validators=[Optional(), Length(max=200)])
    health = StringField(_l("健康"), validators=[Optional(), Length(max=200)])
    family = StringField(_l("家庭"), validators=[Optional(), Length(max=200)])
    needs = TextAreaField(_l("困难与诉求"), validators=[Optional(), Length(max=4000)])
    internal = BooleanField(INTERNAL)


class CaseForm(FlaskForm):
    need = SelectField(_l("困难类别"), choices=choices(NEED_LABELS))
    help_kind = SelectField(_l("帮扶方式"), choices=choices(HELP_LABELS))
    title = StringField(_l("案由"), validators=[DataRequired(_l("请填写案由。")), Length(max=120)])
    description = TextAreaField(_l("情况说明"), validators=[Optional(), Length(max=4000)])
    internal = BooleanField(INTERNAL)


class StepForm(FlaskForm):
    text = StringField(
        _l("要办的事"), validators=[DataRequired(_l("请填写要办的事。")), Length(max=500)]
    )
    due_on = DateField(_l("办理期限"), validators=[DataRequired(_l("请填写办理期限。"))])
    internal = BooleanField(INTERNAL)


class PaymentForm(FlaskForm):
    kind = SelectField(_l("帮扶方式"), choices=choices(HELP_LABELS))
    amount = StringField(_l("金额（元）"), validators=[DataRequired(_l("请填写金额。"))])
    paid_on = DateField(_l("发放日期"), validators=[Optional()])
    note = StringField(_l("备注"), validators=[Optional(), Length(max=200)])


class CloseForm(FlaskForm):
    outcome = TextAreaField(
        _l("帮扶结果"), validators=[DataRequired(_l("结案时请写明帮扶结果。")), Length(max=4000)]
    )


class VisitPlanForm(FlaskForm):
    occasion = SelectField(_l("走访事由"), choices=choices(OCCASION_LABELS))
    planned_on = DateField(_l("计划日期"), validators=[DataRequired(_l("请填写计划走访日期。"))])
    visitors = StringField(_l("拟走访人员"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("备注"), validators=[Optional(), Length(max=4000)])
    internal = BooleanField(INTERNAL)


class VisitRecordForm(FlaskForm):
    visited_on = DateField(_l("走访日期"), validators=[Optional()])
    visitors = StringField(
        _l("走访人员"), validators=[DataRequired(_l("请填写走访人员。")), Length(max=200)]
    )
    given = StringField(_l("慰问品或慰问金"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("走访情况"), validators=[Optional(), Length(max=4000)])


class BatchForm(FlaskForm):
    name = StringField(
        _l("批次名称"), validators=[DataRequired(_l("请填写批次名称。")), Length(max=120)]
    )
    year = IntegerField(_l("年度"), validators=[InputRequired(_l("请填写年度。"))])
    organization_id = SelectField(_l("范围（单位及下属单位）"), coerce=int)
    levels = SelectMultipleField(
        _l("荣誉级别"),
        choices=[(k.value, v) for k, v in HONOR_LEVEL_LABELS.items()],
        default=["national", "provincial"],
    )
    place = StringField(_l("体检机构"), validators=[Optional(), Length(max=200)])


class BookForm(FlaskForm):
    appointment_on = DateField(_l("预约日期"), validators=[DataRequired(_l("请填写预约日期。"))])


class CheckupDoneForm(FlaskForm):
    attended_on = DateField(_l("体检日期"), validators=[Optional()])
    result_note = TextAreaField(
        _l("结果摘要（仅关爱团队可见）"), validators=[Optional(), Length(max=4000)]
    )


class TripForm(FlaskForm):
    kind = SelectField(_l("类别"), choices=choices(TRIP_KIND_LABELS))
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=120)])
    place = StringField(_l("地点"), validators=[DataRequired(_l("请填写地点。")), Length(max=120)])
    organization_id = SelectField(_l("组织单位"), coerce=int)
    starts_on = DateField(_l("出发日期"), validators=[DataRequired(_l("请填写出发日期。"))])
    ends_on = DateField(_l("返回日期"), validators=[DataRequired(_l("请填写返回日期。"))])
    capacity = IntegerField(
        _l("名额"), validators=[InputRequired(_l("请填写名额。")), NumberRange(1, 1000)]
    )
    itinerary = TextAreaField(_l("行程安排"), validators=[Optional(), Length(max=4000)])
    weight_first_time = IntegerField(
        _l("从未参加加分"), default=50, validators=[NumberRange(0, 100)]
    )
    weight_frontline = IntegerField(
        _l("一线/艰苦岗位加分"), default=30, validators=[NumberRange(0, 100)]
    )
    weight_honour = IntegerField(
        _l("荣誉级别加分（每级）"), default=10, validators=[NumberRange(0, 100)]
    )


class TourReportForm(FlaskForm):
    title = StringField(
        _l("报告标题"), validators=[DataRequired(_l("请填写报告标题。")), Length(max=120)]
    )
    summary = TextAreaField(_l("考察收获"), validators=[Optional(), Length(max=20000)])
    file = FileField(_l("报告文件（PDF、Word、PPT、图片，不超过 20 MB）"))


class QuotaForm(FlaskForm):
    organization_id = SelectField(_l("单位"), coerce=int)
    places = IntegerField(
        _l("名额"), validators=[InputRequired(_l("请填写名额。")), NumberRange(1, 1000)]
    )


class SurveyForm(FlaskForm):
    name = StringField(
        _l("调查名称"), validators=[DataRequired(_l("请填写调查名称。")), Length(max=120)]
    )
    organization_id = SelectField(_l("范围（单位及下属单位）"), coerce=int)
    levels = MultiCheckboxField(
        _l("荣誉级别"),
        choices=[(k.value, v) for k, v in HONOR_LEVEL_LABELS.items()],
        default=["national", "provincial"],
    )
    closes_on = DateField(_l("截止日期"), validators=[DataRequired(_l("请填写截止日期。"))])
    intro = TextAreaField(_l("致被调查人的话"), validators=[Optional(), Length(max=4000)])


class AnswerForm(FlaskForm):
    surveyed_on = DateField(_l("走访日期"), validators=[Optional()])
    housing = StringField(_l("住房情况"), validators=[Optional(), Length(max=200)])
    income = StringField(_l("收入情况"), validators=[Optional(), Length(max=200)])
    health = StringField(_l("健康情况"), validators=[Optional(), Length(max=200)])
    family = StringField(_l("家庭情况"), validators=[Optional(), Length(max=200)])
    flagged = MultiCheckboxField(_l("目前有困难的方面"), choices=choices(NEED_LABELS))
    needs = TextAreaField(_l("困难与诉求"), validators=[Optional(), Length(max=4000)])
