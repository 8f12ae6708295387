from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.certificates.models import CertificateKind
from lms.certificates.services import KIND_LABELS


class RevokeForm(FlaskForm):
    reason = StringField(_l("吊销原因"), validators=[DataRequired(), Length(max=255)])


class ReissueForm(FlaskForm):
    title = StringField(_l("更正后的证书名称"), validators=[DataRequired(), Length(max=200)])
    issued_on = DateField(_l("颁发日期"), validators=[DataRequired()])
    reason = StringField(_l("更正说明"), validators=[Optional(), Length(max=120)])


class BatchForm(FlaskForm):
    kind = SelectField(
        _l("证书类型"),
        choices=[(k.value, KIND_LABELS[k]) for k in CertificateKind],
        default=CertificateKind.training_class.value,
    )
    title = StringField(
        _l("证书名称（如培训班名称）"), validators=[DataRequired(), Length(max=200)]
    )
    subject_id = IntegerField(
        _l("培训班 / 课程编号"), validators=[DataRequired(), NumberRange(min=1)]
    )
    issued_on = DateField(_l("颁发日期"), validators=[Optional()])
    expires_on = DateField(_l("有效期至（可不填）"), validators=[Optional()])
    holders = TextAreaField(
        _l("学员工号或手机号（每行一个）"), validators=[DataRequired(), Length(max=200_000)]
    )
