"""Display names for the care codes, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.care.models import (
    CaseStatus,
    HelpKind,
    NeedKind,
    NominationStatus,
    ResponseStatus,
    TripKind,
    VisitOccasion,
    VisitStatus,
)

NEED_LABELS = {
    NeedKind.medical_insurance: _l("医疗保险"),
    NeedKind.housing: _l("住房"),
    NeedKind.income: _l("收入"),
    NeedKind.illness: _l("疾病"),
    NeedKind.family: _l("家庭"),
}

HELP_LABELS = {
    HelpKind.living_subsidy: _l("生活困难补助"),
    HelpKind.special_hardship: _l("特殊困难帮扶"),
    HelpKind.checkup_subsidy: _l("体检补助"),
}

CASE_STATUS_LABELS = {CaseStatus.open: _l("办理中"), CaseStatus.closed: _l("已结案")}

OCCASION_LABELS = {
    VisitOccasion.holiday: _l("节日"),
    VisitOccasion.illness: _l("病中"),
    VisitOccasion.other: _l("其他"),
}

VISIT_STATUS_LABELS = {
    VisitStatus.planned: _l("计划中"),
    VisitStatus.done: _l("已走访"),
    VisitStatus.cancelled: _l("已取消"),
}

NOMINATION_LABELS = {
    NominationStatus.nominated: _l("已推荐"),
    NominationStatus.approved: _l("已批准"),
    NominationStatus.declined: _l("未批准"),
    NominationStatus.withdrawn: _l("已撤回"),
}

RESPONSE_STATUS_LABELS = {
    ResponseStatus.pending: _l("待填写"),
    ResponseStatus.answered: _l("已填写"),
}

TRIP_KIND_LABELS = {TripKind.recuperation: _l("疗休养"), TripKind.study_tour: _l("学习考察")}


def _label(table, value) -> str:
    for key, text in table.items():
        if key == value or key.value == value:
            return str(text)
    return str(value or "")


def need(value) -> str:
    return _label(NEED_LABELS, value)


def help_kind(value) -> str:
    return _label(HELP_LABELS, value)


def case_status(value) -> str:
    return _label(CASE_STATUS_LABELS, value)


def occasion(value) -> str:
    return _label(OCCASION_LABELS, value)


def visit_status(value) -> str:
    return _label(VISIT_STATUS_LABELS, value)


def nomination_status(value) -> str:
    return _label(NOMINATION_LABELS, value)


def response_status(value) -> str:
    return _label(RESPONSE_STATUS_LABELS, value)


def trip_kind(value) -> str:
    return _label(TRIP_KIND_LABELS, value)


def choices(table) -> list[tuple[str, str]]:
    return [(k.value, str(v)) for k, v in table.items()]
