"""Forms for authoring pages. Every field has a visible label."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from courses.models import Visibility
from lms.accounts.labels import SKILL_LABELS
from lms.core.urls import HttpUrlField


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def skill_choices():
    return [("", _l("不限"))] + [(level.value, label) for level, label in SKILL_LABELS.items()]


class CourseForm(FlaskForm):
    title = StringField(
        _l("课程名称"), validators=[DataRequired(_l("请填写课程名称。")), Length(max=200)]
    )
    summary = TextAreaField(_l("课程简介"), validators=[Optional(), Length(max=10000)])
    trade = StringField(_l("工种（如 焊工、电工）"), validators=[Optional(), Length(max=64)])
    skill_level = SelectField(_l("适合的技能等级"), choices=skill_choices, validators=[Optional()])
    hours = DecimalField(
        _l("学时"), places=1, default=1, validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    visibility = SelectField(
        _l("谁可以学"),
        choices=[
            (
                Visibility.organizations.value,
                _l("下面勾选的单位（含下属单位）；不勾选即本单位及下属单位"),
            ),
            (Visibility.everyone.value, _l("全市所有人（仅市总工会可设）")),
        ],
        default=Visibility.organizations.value,
    )
    organization_ids = MultiCheckboxField(_l("可以学习的单位"), coerce=int, choices=[])
    lecturer_ids = MultiCheckboxField(_l("讲师"), coerce=int, choices=[])
    self_enroll = BooleanField(_l("允许学员自主报名"), default=True)
    capacity = IntegerField(
        _l("名额（不限请留空）"), validators=[Optional(), NumberRange(min=1, max=100000)]
    )
    linked_class_id = IntegerField(
        _l("结业还需完成的培训班编号（可不填）"),
        validators=[Optional(), NumberRange(min=1)],
    )
    cover = FileField(_l("封面图片（JPG/PNG，可不传）"))


class LectureForm(FlaskForm):
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题。")), Length(max=200)])
    required = BooleanField(_l("必修（结业需完成）"), default=True)
    body = TextAreaField(_l("正文或说明（支持 Markdown）"), validators=[Optional()])
    video_url = StringField(
        _l("外部视频链接（与上传二选一）"),
        validators=[Optional(), HttpUrlField()],
    )
    duration_seconds = IntegerField(
        _l("时长（秒，可不填；上传 MP4 时按文件实际时长）"),
        validators=[Optional(), NumberRange(min=1)],
    )
    file = FileField(_l("上传文件"))
    starts_at = DateTimeLocalField(
        _l("直播开始时间"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    join_url = StringField(
        _l("直播入口链接"),
        validators=[Optional(), HttpUrlField()],
    )
    pass_mark = IntegerField(
        _l("及格分（0–100）"), default=60, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    max_attempts = IntegerField(
        _l("最多答题次数（不限请留空）"), validators=[Optional(), NumberRange(min=1, max=100)]
    )


class QuestionForm(FlaskForm):
    text = TextAreaField(_l("题干"), validators=[DataRequired(_l("请填写题干。"))])
    multiple = BooleanField(_l("多选题"))
    options = TextAreaField(
        _l("选项（每行一个，正确答案前加 *）"),
        validators=[DataRequired(_l("请填写选项。"))],
    )


class AssignForm(FlaskForm):
    organization_id = SelectField(_l("安排给单位（全体学员）"), coerce=int, choices=[])
    employee_nos = TextAreaField(
        _l("或安排给这些人（工号，每行一个或用逗号分隔）"), validators=[Optional()]
    )
    due_date = DateField(_l("截止日期"), validators=[Optional()])
