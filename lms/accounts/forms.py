"""Forms for the HTML pages. Labels are on every field: workers use screen magnifiers too."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from lms.accounts.labels import HONOR_KIND_LABELS, HONOR_LEVEL_LABELS, ROLE_LABELS, SKILL_LABELS
from lms.accounts.models import Role, SkillLevel


class LoginForm(FlaskForm):
    login = StringField(
        _l("工号或手机号"), validators=[DataRequired(_l("请填写工号或手机号。")), Length(max=32)]
    )
    password = PasswordField(
        _l("密码"), validators=[DataRequired(_l("请填写密码。")), Length(max=128)]
    )
    remember = BooleanField(_l("在这台设备上保持登录"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(), Length(max=128)])
    new_password = PasswordField(
        _l("新密码（至少 8 位，含字母和数字）"), validators=[DataRequired(), Length(min=8, max=128)]
    )
    confirm = PasswordField(_l("再次输入新密码"), validators=[DataRequired(), Length(max=128)])
    revoke_tokens = BooleanField(_l("同时吊销我的全部 API 令牌（使用它们的程序需要新令牌）"))

    def validate_confirm(self, field):
        if field.data != self.new_password.data:
            from wtforms import ValidationError

            raise ValidationError(_l("两次输入的新密码不一致。"))


class ProfileForm(FlaskForm):
    mobile = StringField(
        _l("手机号"),
        validators=[Optional(), Regexp(r"^1\d{10}$", message=_l("手机号应为 11 位数字。"))],
    )
    email = StringField(
        _l("邮箱（用于接收提醒）"),
        validators=[
            Optional(),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("邮箱格式不正确。")),
            Length(max=254),
        ],
    )
    bio = TextAreaField(_l("个人简介"), validators=[Optional(), Length(max=2000)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    employee_no = StringField(
        _l("工号"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_-]+$", message=_l("工号只能包含字母、数字、-、_。")),
        ],
    )
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=64)])
    mobile = StringField(
        _l("手机号"),
        validators=[Optional(), Regexp(r"^1\d{10}$", message=_l("手机号应为 11 位数字。"))],
    )
    organization_id = SelectField(_l("单位"), coerce=int, validators=[DataRequired()])
    trade = StringField(_l("工种"), validators=[Optional(), Length(max=64)])
    skill_level = SelectField(
        _l("技能等级"),
        validators=[Optional()],
        choices=[("", "—")] + [(s.value, label) for s, label in SKILL_LABELS.items()],
    )
    roles = MultiCheckboxField(
        _l("角色"),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        default=[Role.worker.value],
    )
    password = PasswordField(
        _l("初始密码（至少 8 位，含字母和数字）"),
        validators=[DataRequired(), Length(min=8, max=128)],
    )


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(
        _l("角色"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("学员名单文件（.xlsx 或 .csv）"),
        validators=[
            FileRequired(_l("请选择要上传的文件。")),
            FileAllowed(["xlsx", "csv"], _l("只支持 .xlsx 或 .csv 文件。")),
        ],
    )
    initial_password = PasswordField(
        _l("初始密码（导入的每个人首次登录后须修改）"),
        validators=[DataRequired(), Length(min=8, max=128)],
    )


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("新密码（至少 8 位，含字母和数字；对方首次登录须修改）"),
        validators=[DataRequired(), Length(min=8, max=128)],
    )


class HonorForm(FlaskForm):
    kind = SelectField(
        _l("荣誉类别"), choices=[(k.value, label) for k, label in HONOR_KIND_LABELS.items()]
    )
    level = SelectField(
        _l("级别"), choices=[(k.value, label) for k, label in HONOR_LEVEL_LABELS.items()]
    )
    year = IntegerField(_l("年份"), validators=[DataRequired(), NumberRange(1950, 2100)])
    title = StringField(
        _l("称号全称（例如：全国劳动模范）"), validators=[Optional(), Length(max=120)]
    )
    citation = TextAreaField(_l("事迹简介"), validators=[Optional(), Length(max=4000)])


class OrganizationForm(FlaskForm):
    name = StringField(_l("单位名称"), validators=[DataRequired(), Length(max=120)])
    parent_id = SelectField(_l("上级单位"), coerce=int)


class TokenForm(FlaskForm):
    name = StringField(
        _l("令牌用途（例如：考勤机对接）"), validators=[DataRequired(), Length(max=80)]
    )


SKILL_CHOICES = [(s.value, str(label)) for s, label in SKILL_LABELS.items()]
__all__ = ["SkillLevel"]


class SkillChangeForm(FlaskForm):
    to_level = SelectField(_l("新的技能等级"), choices=SKILL_CHOICES)
    changed_on = DateField(_l("取证日期"), validators=[DataRequired()])
    certificate_no = StringField(_l("证书编号"), validators=[DataRequired(), Length(max=64)])
    issuing_body = StringField(
        _l("发证机构（例如：市职业技能鉴定中心）"), validators=[DataRequired(), Length(max=120)]
    )
