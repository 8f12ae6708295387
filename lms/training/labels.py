"""Chinese labels for the training package's values (translated through Babel)."""

from flask_babel import lazy_gettext as _l

from lms.training.models import (
    AttendanceStatus,
    CheckinMethod,
    ExcuseStatus,
    RegistrationMode,
    RosterStatus,
    SessionStatus,
)

ATTENDANCE_LABELS = {
    AttendanceStatus.present: _l("出勤"),
    AttendanceStatus.late: _l("迟到"),
    AttendanceStatus.excused: _l("请假"),
    AttendanceStatus.absent: _l("缺勤"),
}
METHOD_LABELS = {
    CheckinMethod.qr: _l("扫码"),
    CheckinMethod.code: _l("签到码"),
    CheckinMethod.manual: _l("手工"),
    CheckinMethod.auto: _l("自动"),
}
ROSTER_LABELS = {
    RosterStatus.seated: _l("在册"),
    RosterStatus.waitlisted: _l("候补"),
    RosterStatus.withdrawn: _l("已退出"),
}
SESSION_LABELS = {SessionStatus.scheduled: _l("正常"), SessionStatus.cancelled: _l("已取消")}
EXCUSE_LABELS = {
    ExcuseStatus.pending: _l("待审批"),
    ExcuseStatus.approved: _l("已批准"),
    ExcuseStatus.rejected: _l("未批准"),
}
MODE_LABELS = {
    RegistrationMode.assigned: _l("由培训专员指派"),
    RegistrationMode.open: _l("学员自行报名"),
}
WEEKDAY_LABELS = [
    _l("周一"),
    _l("周二"),
    _l("周三"),
    _l("周四"),
    _l("周五"),
    _l("周六"),
    _l("周日"),
]

ALL = {
    "attendance": ATTENDANCE_LABELS,
    "method": METHOD_LABELS,
    "roster": ROSTER_LABELS,
    "session": SESSION_LABELS,
    "excuse": EXCUSE_LABELS,
    "mode": MODE_LABELS,
}


def label(kind: str, value) -> str:
    if value is None:
        return ""
    return str(ALL[kind].get(value, value))
