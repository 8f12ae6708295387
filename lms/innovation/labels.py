"""Display names for innovation codes, translated."""

from flask_babel import lazy_gettext as _l

from lms.innovation.models import EntryKind, InnovationKind, Stage, StudioLevel, StudioStatus
from lms.innovation.models_awards import ContestStatus, Outcome, Prize, RecommendationKind

KIND_LABELS = {
    InnovationKind.suggestion: _l("合理化建议"),
    InnovationKind.small_invention: _l("小发明"),
    InnovationKind.small_innovation: _l("小创造"),
    InnovationKind.small_modification: _l("小革新"),
    InnovationKind.small_design: _l("小设计"),
    InnovationKind.small_suggestion: _l("小建议"),
    InnovationKind.technical: _l("技术革新"),
}

STAGE_LABELS = {
    Stage.opinion: _l("意见（未提出办法）"),
    Stage.review: _l("待评审"),
    Stage.adopted: _l("已采纳"),
    Stage.trial: _l("试行采纳"),
    Stage.not_adopted: _l("未采纳"),
    Stage.merged: _l("已合并"),
}

STAGE_CLASSES = {
    Stage.opinion: "grey",
    Stage.review: "blue",
    Stage.adopted: "green",
    Stage.trial: "green",
    Stage.not_adopted: "red",
    Stage.merged: "grey",
}

STUDIO_STATUS_LABELS = {
    StudioStatus.applied: _l("申报中"),
    StudioStatus.named: _l("已命名"),
    StudioStatus.rejected: _l("未通过"),
    StudioStatus.revoked: _l("已撤销"),
}

STUDIO_LEVEL_LABELS = {StudioLevel.city: _l("市级"), StudioLevel.enterprise: _l("企业级")}

ENTRY_LABELS = {EntryKind.grant: _l("拨款"), EntryKind.spending: _l("支出")}

CONTEST_STATUS_LABELS = {
    ContestStatus.call: _l("征集中"),
    ContestStatus.defence: _l("答辩评分中"),
    ContestStatus.closed: _l("已评出奖项"),
}

PRIZE_LABELS = {Prize.first: _l("一等奖"), Prize.second: _l("二等奖"), Prize.third: _l("三等奖")}

RECOMMENDATION_KIND_LABELS = {
    RecommendationKind.item: _l("创新成果"),
    RecommendationKind.method: _l("先进操作法"),
}

OUTCOME_LABELS = {
    Outcome.pending: _l("评选中"),
    Outcome.won: _l("获奖"),
    Outcome.not_won: _l("未获奖"),
}


def register(app) -> None:
    @app.context_processor
    def _labels():
        return {
            "innovation_kind_label": lambda k: str(KIND_LABELS.get(k, k)),
            "innovation_stage_label": lambda s: str(STAGE_LABELS.get(s, s)),
            "innovation_stage_class": lambda s: STAGE_CLASSES.get(s, "grey"),
            "studio_status_label": lambda s: str(STUDIO_STATUS_LABELS.get(s, s)),
            "studio_level_label": lambda s: str(STUDIO_LEVEL_LABELS.get(s, s)),
            "ledger_kind_label": lambda s: str(ENTRY_LABELS.get(s, s)),
            "contest_status_label": lambda s: str(CONTEST_STATUS_LABELS.get(s, s)),
            "prize_label": lambda s: str(PRIZE_LABELS.get(s, s)),
            "recommendation_kind_label": lambda s: str(RECOMMENDATION_KIND_LABELS.get(s, s)),
            "outcome_label": lambda s: str(OUTCOME_LABELS.get(s, s)),
        }
