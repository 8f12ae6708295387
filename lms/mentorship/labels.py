"""Display names for mentorship codes, translated."""

from flask_babel import lazy_gettext as _l

from lms.mentorship.models import GoalStatus, LogKind, LogStatus, MentorshipStatus, Resolution

STATUS_LABELS = {
    MentorshipStatus.proposed: _l("待签约"),
    MentorshipStatus.active: _l("带徒中"),
    MentorshipStatus.paused: _l("已暂停"),
    MentorshipStatus.completed: _l("已出师"),
    MentorshipStatus.cancelled: _l("已解除"),
}

GOAL_STATUS_LABELS = {
    GoalStatus.open: _l("未开始"),
    GoalStatus.in_progress: _l("学习中"),
    GoalStatus.achieved: _l("已掌握"),
    GoalStatus.dropped: _l("已取消"),
}

KIND_LABELS = {
    LogKind.on_the_job: _l("岗位带教"),
    LogKind.demonstration: _l("操作示范"),
    LogKind.practice: _l("实操练习"),
    LogKind.assessment: _l("考核评估"),
}

LOG_STATUS_LABELS = {
    LogStatus.submitted: _l("待徒弟确认"),
    LogStatus.confirmed: _l("已确认"),
    LogStatus.disputed: _l("有异议，待专员处理"),
    LogStatus.resolved: _l("专员已处理"),
}

RESOLUTION_LABELS = {
    Resolution.upheld: _l("属实，计入学时"),
    Resolution.rejected: _l("不属实，不计学时"),
}


def label(mapping: dict, value) -> str:
    return str(mapping.get(value, value or ""))
