"""Display names for the selection codes, translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.selection.models import (
    CampaignStatus,
    Disposition,
    DossierStatus,
    ObjectionStatus,
    StepAction,
    VettingVerdict,
    VoteChoice,
)

CAMPAIGN_STATUS = {
    CampaignStatus.nominating: _l("推荐审核中"),
    CampaignStatus.vetting: _l("征求意见与评审"),
    CampaignStatus.notice: _l("公示中"),
    CampaignStatus.approved: _l("已批准"),
    CampaignStatus.cancelled: _l("已取消"),
}

DOSSIER_STATUS = {
    DossierStatus.draft: _l("草稿"),
    DossierStatus.pending: _l("待审核"),
    DossierStatus.returned: _l("已退回"),
    DossierStatus.accepted: _l("已列入名单"),
    DossierStatus.rejected: _l("不予推荐"),
    DossierStatus.vetoed: _l("已否决"),
    DossierStatus.withdrawn: _l("已撤出"),
    DossierStatus.conferred: _l("已授予"),
}

STEP_ACTION = {
    StepAction.nominate: _l("推荐"),
    StepAction.submit: _l("报送"),
    StepAction.approve: _l("同意"),
    StepAction.return_: _l("退回"),
    StepAction.reject: _l("不予推荐"),
    StepAction.amend: _l("修改"),
    StepAction.veto: _l("一票否决"),
    StepAction.withdraw: _l("撤出名单"),
    StepAction.confer: _l("授予荣誉"),
    StepAction.revoke: _l("撤销荣誉"),
}

OBJECTION_STATUS = {
    ObjectionStatus.open: _l("待受理"),
    ObjectionStatus.investigating: _l("调查中"),
    ObjectionStatus.found: _l("已有结论"),
    ObjectionStatus.closed: _l("已办结"),
}

DISPOSITION = {Disposition.not_upheld: _l("异议不成立"), Disposition.upheld: _l("异议成立")}

VERDICT = {
    VettingVerdict.pending: _l("待答复"),
    VettingVerdict.passed: _l("通过"),
    VettingVerdict.vetoed: _l("否决"),
}

VOTE = {VoteChoice.yes: _l("赞成"), VoteChoice.no: _l("反对"), VoteChoice.abstain: _l("弃权")}


def label(table: dict, value) -> str:
    if value is None:
        return ""
    for key, text in table.items():
        if key == value or key.value == getattr(value, "value", value):
            return str(text)
    return str(value)
