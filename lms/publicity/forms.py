"""Forms for the publicity pages. Every field has a label; every form fits a phone."""

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
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.core.urls import HttpUrlField


class StoryForm(FlaskForm):
    column_id = SelectField(_l("专栏"), coerce=int)
    employee_no = StringField(
        _l("主人公工号"),
        validators=[DataRequired(_l("请填写事迹主人公（或团队代表）的工号。")), Length(max=32)],
    )
    team_name = StringField(_l("团队名称（写团队时填写）"), validators=[Optional(), Length(max=80)])
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题。")), Length(max=120)])
    summary = StringField(_l("摘要"), validators=[Optional(), Length(max=300)])
    body = TextAreaField(_l("正文"), validators=[DataRequired(_l("请填写正文（支持 Markdown）。"))])


class MediaForm(FlaskForm):
    file = FileField(_l("照片或视频"))
    caption = StringField(_l("说明"), validators=[Optional(), Length(max=200)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("审核意见"), validators=[Optional(), Length(max=2000)])


class ConsentForm(FlaskForm):
    show_growth = BooleanField(_l("同时公开我的成长之路（学习、带徒、竞赛、创新、荣誉记录）"))


class RevokeForm(FlaskForm):
    note = TextAreaField(_l("原因（可不填）"), validators=[Optional(), Length(max=2000)])


class ColumnForm(FlaskForm):
    name = StringField(
        _l("专栏名称"),
        validators=[DataRequired(_l("请填写专栏名称，例如“劳模风采”。")), Length(max=60)],
    )
    description = StringField(_l("简介"), validators=[Optional(), Length(max=500)])
    position = IntegerField(
        _l("排序（小的在前）"), default=0, validators=[Optional(), NumberRange(0, 999)]
    )


class ReportForm(FlaskForm):
    outlet = StringField(
        _l("媒体"),
        validators=[DataRequired(_l("请填写媒体名称，例如“江城日报”。")), Length(max=80)],
    )
    published_on = DateField(_l("报道日期"), validators=[DataRequired(_l("请填写报道日期。"))])
    title = StringField(
        _l("标题"), validators=[DataRequired(_l("请填写报道标题。")), Length(max=200)]
    )
    link = StringField(_l("链接"), validators=[Optional(), HttpUrlField()])
    scan = FileField(_l("扫描件（PDF、JPEG 或 PNG，无链接时上传）"))
    people = StringField(
        _l("涉及人员工号（多个用逗号分隔）"), validators=[Optional(), Length(max=500)]
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CollectionForm(FlaskForm):
    title = StringField(
        _l("书名"), validators=[DataRequired(_l("请填写文集的书名。")), Length(max=120)]
    )
    subtitle = StringField(_l("副标题"), validators=[Optional(), Length(max=200)])
    story_ids = MultiCheckboxField(_l("收录的事迹"), coerce=int, validate_choice=False)
