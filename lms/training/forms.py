"""Forms for the training pages. Every field has a label; times are local wall-clock."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from lms.core.urls import HttpUrlField
from lms.training.labels import MODE_LABELS, WEEKDAY_LABELS

DT_FORMAT = "%Y-%m-%dT%H:%M"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClassForm(FlaskForm):
    title = StringField(
        _l("培训班名称"), validators=[DataRequired(_l("请填写名称。")), Length(max=120)]
    )
    description = TextAreaField(_l("简介"), validators=[Optional(), Length(max=5000)])
    organization_id = SelectField(_l("主办单位"), coerce=int)
    instructor_ids = MultiCheckboxField(_l("讲师（导师）"), coerce=int)
    capacity = IntegerField(
        _l("名额（不限请留空）"), validators=[Optional(), NumberRange(min=1, max=10000)]
    )
    location = StringField(_l("上课地点"), validators=[Optional(), Length(max=200)])
    online_url = StringField(
        _l("线上课堂链接"), validators=[Optional(), Length(max=500), HttpUrlField()]
    )
    registration_mode = RadioField(
        _l("报名方式"),
        choices=[(k.value, v) for k, v in MODE_LABELS.items()],
        default="assigned",
    )
    registration_deadline = DateTimeLocalField(
        _l("报名/退出截止时间"), format=DT_FORMAT, validators=[Optional()]
    )
    city_wide = BooleanField(_l("全市开放（全市职工都能看到并报名；只有市总工会可以设置）"))
    late_threshold_minutes = IntegerField(
        _l("开课后几分钟算迟到"), default=10, validators=[NumberRange(min=0, max=240)]
    )
    checkin_window_minutes = IntegerField(
        _l("签到时段（开课前后各几分钟）"), default=30, validators=[NumberRange(min=1, max=240)]
    )
    checkin_networks = TextAreaField(
        _l("只允许从这些网络签到（每行一个网段，如 10.8.0.0/16；不限请留空）"),
        validators=[Optional(), Length(max=2000)],
    )
    qr_window_seconds = IntegerField(
        _l("二维码有效秒数（比全站默认更短时填写，不限请留空）"),
        validators=[Optional(), NumberRange(min=3, max=60)],
    )
    completion_percent = IntegerField(
        _l("结业出勤率（%）"), default=80, validators=[NumberRange(min=0, max=100)]
    )
    low_attendance_percent = IntegerField(
        _l("出勤预警线（%）"), default=80, validators=[NumberRange(min=0, max=100)]
    )
    low_attendance_min_sessions = IntegerField(
        _l("至少上过几次课后预警"), default=3, validators=[NumberRange(min=1, max=100)]
    )


class ScheduleForm(FlaskForm):
    starts_at = DateTimeLocalField(
        _l("第一次课开始时间"), format=DT_FORMAT, validators=[DataRequired(_l("请填写开始时间。"))]
    )
    ends_at = DateTimeLocalField(
        _l("第一次课结束时间"), format=DT_FORMAT, validators=[DataRequired(_l("请填写结束时间。"))]
    )
    room = StringField(_l("教室"), validators=[Optional(), Length(max=120)])
    instructor_id = SelectField(_l("讲师"), coerce=int)
    repeat = RadioField(
        _l("重复"),
        choices=[("once", _l("只上一次")), ("weekly", _l("每周重复"))],
        default="once",
    )
    weekdays = MultiCheckboxField(
        _l("每周上课日"), coerce=int, choices=list(enumerate(WEEKDAY_LABELS))
    )
    interval = IntegerField(_l("每几周一次"), default=1, validators=[NumberRange(min=1, max=52)])
    until = DateField(_l("重复到哪天为止"), validators=[Optional()])
    count = IntegerField(_l("或：共几次"), validators=[Optional()])


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("开始时间"), format=DT_FORMAT, validators=[DataRequired()])
    ends_at = DateTimeLocalField(_l("结束时间"), format=DT_FORMAT, validators=[DataRequired()])
    room = StringField(_l("教室"), validators=[Optional(), Length(max=120)])
    instructor_id = SelectField(_l("讲师"), coerce=int)
    apply_to = RadioField(
        _l("修改范围"),
        choices=[("one", _l("只改本次")), ("following", _l("本次及以后各次"))],
        default="one",
    )


class CancelForm(FlaskForm):
    reason = StringField(_l("取消原因（会告知学员）"), validators=[Optional(), Length(max=255)])
    apply_to = RadioField(
        _l("取消范围"),
        choices=[("one", _l("只取消本次")), ("following", _l("本次及以后各次"))],
        default="one",
    )


class AddPersonForm(FlaskForm):
    login = StringField(_l("工号或手机号"), validators=[DataRequired(), Length(max=32)])


class AddFilterForm(FlaskForm):
    organization_id = SelectField(_l("单位（含下级）"), coerce=int)
    trade = StringField(_l("工种（可不填）"), validators=[Optional(), Length(max=64)])


class RosterImportForm(FlaskForm):
    file = FileField(
        _l("名单文件（.xlsx 或 .csv，含“工号”列）"),
        validators=[
            FileRequired(_l("请选择文件。")),
            FileAllowed(["xlsx", "csv"], _l("只支持 .xlsx 或 .csv。")),
        ],
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("签到码"),
        validators=[
            DataRequired(_l("请输入屏幕上的 6 位签到码。")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("签到码是 6 位数字。")),
        ],
    )


class ConfirmCheckinForm(FlaskForm):
    """The one tap after scanning: CSRF and the ticket the scanned page was given."""

    ticket = HiddenField()


class ExcuseForm(FlaskForm):
    reason = TextAreaField(
        _l("请假原因"), validators=[DataRequired(_l("请写明请假原因。")), Length(max=500)]
    )


class SummaryForm(FlaskForm):
    class Meta:
        csrf = False

    org = SelectField(_l("单位"), coerce=int)
    start = DateField(_l("开始日期"), validators=[DataRequired()])
    end = DateField(_l("结束日期"), validators=[DataRequired()])
