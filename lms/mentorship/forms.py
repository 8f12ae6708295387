"""Forms for the mentorship pages. Every field has a label; the log form is built for a phone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.mentorship.labels import GOAL_STATUS_LABELS, KIND_LABELS, RESOLUTION_LABELS


class PairingForm(FlaskForm):
    apprentice_id = HiddenField()
    mentor_id = HiddenField()
    programme_id = SelectField(_l("带徒项目（可不选）"), coerce=int, default=0)
    start_date = DateField(_l("开始日期"), validators=[DataRequired(_l("请填写开始日期。"))])
    planned_end = DateField(
        _l("计划出师日期"), validators=[DataRequired(_l("请填写计划出师日期。"))]
    )
    agreement = TextAreaField(
        _l("带徒协议（留空则使用标准协议）"), validators=[Optional(), Length(max=4000)]
    )


class LogForm(FlaskForm):
    mentorship_id = RadioField(
        _l("徒弟"), coerce=int, validators=[InputRequired(_l("请选择徒弟。"))]
    )
    session_date = DateField(_l("日期"), validators=[DataRequired(_l("请填写带徒日期。"))])
    minutes = IntegerField(
        _l("时长（分钟）"),
        default=60,
        validators=[
            InputRequired(_l("请填写带徒时长。")),
            NumberRange(1, 720, _l("带徒时长应在 1 到 720 分钟（12 小时）之间。")),
        ],
    )
    kind = RadioField(
        _l("方式"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[InputRequired(_l("请选择带徒方式。"))],
    )
    topic = StringField(
        _l("带徒内容"),
        validators=[DataRequired(_l("请填写带徒内容。")), Length(max=120)],
    )
    skills = StringField(_l("练习的技能（可不填）"), validators=[Optional(), Length(max=255)])
    notes = TextAreaField(_l("备注（可不填）"), validators=[Optional(), Length(max=4000)])
    files = MultipleFileField(_l("现场照片或文件（可不传）"))
    client_token = HiddenField()


class GoalForm(FlaskForm):
    skill = StringField(_l("要掌握的技能"), validators=[DataRequired(), Length(max=120)])
    target_date = DateField(_l("目标日期（可不填）"), validators=[Optional()])


class GoalStatusForm(FlaskForm):
    status = SelectField(
        _l("目标状态"), choices=[(s.value, label) for s, label in GOAL_STATUS_LABELS.items()]
    )


class AssessmentForm(FlaskForm):
    final_assessment = TextAreaField(
        _l("出师评价"), validators=[DataRequired(), Length(min=5, max=4000)]
    )
    early = BooleanField(_l("建议提前出师"))


class GraduationForm(FlaskForm):
    early = BooleanField(_l("同意提前出师（未到计划出师日期）"))


class TransitionForm(FlaskForm):
    to = HiddenField(validators=[DataRequired()])
    note = StringField(_l("说明"), validators=[Optional(), Length(max=500)])


class DisputeForm(FlaskForm):
    reason = StringField(_l("异议原因"), validators=[DataRequired(), Length(min=2, max=500)])


class ResolveForm(FlaskForm):
    resolution = RadioField(
        _l("处理结果"),
        choices=[(r.value, label) for r, label in RESOLUTION_LABELS.items()],
        validators=[InputRequired(_l("请选择处理结果。"))],
    )
    note = StringField(_l("处理说明"), validators=[Optional(), Length(max=500)])


class RequestForm(FlaskForm):
    mentor_id = HiddenField(validators=[DataRequired()])
    note = StringField(_l("想对师傅说的话（可不填）"), validators=[Optional(), Length(max=500)])
