"""Display names for the glossary's codes, translated."""

from flask_babel import lazy_gettext as _l

from lms.accounts.models import HonorKind, HonorLevel, OrgKind, Role, SkillLevel

ROLE_LABELS = {
    Role.worker: _l("学员"),
    Role.mentor: _l("导师"),
    Role.officer: _l("培训专员"),
    Role.admin: _l("管理员"),
}

SKILL_LABELS = {
    SkillLevel.apprentice: _l("学徒工"),
    SkillLevel.junior: _l("初级工"),
    SkillLevel.intermediate: _l("中级工"),
    SkillLevel.senior: _l("高级工"),
    SkillLevel.technician: _l("技师"),
    SkillLevel.senior_technician: _l("高级技师"),
    SkillLevel.principal_technician: _l("特级技师"),
    SkillLevel.chief_technician: _l("首席技师"),
}

HONOR_KIND_LABELS = {
    HonorKind.model_worker: _l("劳动模范"),
    HonorKind.craftsman: _l("工匠"),
    HonorKind.chief_technician: _l("首席技工"),
    HonorKind.technical_expert: _l("技术能手"),
    HonorKind.labour_medal: _l("五一劳动奖章"),
}

HONOR_LEVEL_LABELS = {
    HonorLevel.national: _l("全国"),
    HonorLevel.provincial: _l("省级"),
    HonorLevel.city: _l("市级"),
    HonorLevel.enterprise: _l("企业级"),
}

ORG_KIND_LABELS = {
    OrgKind.federation: _l("工会"),
    OrgKind.enterprise: _l("企业"),
    OrgKind.workshop: _l("车间"),
}

# Chinese spellings accepted in import files, whatever the interface language.
SKILL_FROM_TEXT = {
    "学徒工": SkillLevel.apprentice,
    "学徒": SkillLevel.apprentice,
    "初级工": SkillLevel.junior,
    "初级": SkillLevel.junior,
    "中级工": SkillLevel.intermediate,
    "中级": SkillLevel.intermediate,
    "高级工": SkillLevel.senior,
    "高级": SkillLevel.senior,
    "技师": SkillLevel.technician,
    "高级技师": SkillLevel.senior_technician,
    "特级技师": SkillLevel.principal_technician,
    "首席技师": SkillLevel.chief_technician,
    **{level.value: level for level in SkillLevel},
}

ROLE_FROM_TEXT = {
    "学员": Role.worker,
    "导师": Role.mentor,
    "培训专员": Role.officer,
    "管理员": Role.admin,
    **{role.value: role for role in Role},
}


def label(mapping: dict, value) -> str:
    return str(mapping.get(value, value or ""))
