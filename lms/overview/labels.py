"""Names of the five links and of the growth record's kinds of entry, for pages and reports."""

from flask_babel import lazy_gettext as _l

LINK_LABELS = {
    "service": _l("服务"),
    "publicity": _l("宣传"),
    "cultivation": _l("培育"),
    "competition": _l("竞赛"),
    "selection": _l("选树"),
}

LINK_LONG = {
    "service": _l("服务劳模工匠"),
    "publicity": _l("宣传先进典型"),
    "cultivation": _l("培育技能人才"),
    "competition": _l("竞赛比武创新"),
    "selection": _l("选树先进典型"),
}


def link(value: str) -> str:
    return str(LINK_LABELS.get(value, value))
