"""Template globals and filters for people: labels and masking."""

from flask import Flask
from flask_babel import gettext as _

from lms.accounts import labels, masking


def import_column_label(column: str) -> str:
    names = {
        "employee_no": _("工号"),
        "name": _("姓名"),
        "mobile": _("手机号"),
        "organization": _("单位"),
        "trade": _("工种"),
        "skill_level": _("技能等级"),
        "roles": _("角色"),
        "id_number": _("身份证号"),
        "email": _("邮箱"),
        "file": _("文件"),
    }
    return names.get(column, column)


def register(app: Flask) -> None:
    app.add_template_global(
        lambda v: labels.label(labels.SKILL_LABELS, v) if v else "", "skill_label"
    )
    app.add_template_global(lambda v: labels.label(labels.ROLE_LABELS, v), "role_label")
    app.add_template_global(lambda v: labels.label(labels.HONOR_KIND_LABELS, v), "honor_kind_label")
    app.add_template_global(
        lambda v: labels.label(labels.HONOR_LEVEL_LABELS, v), "honor_level_label"
    )
    app.add_template_global(lambda v: labels.label(labels.ORG_KIND_LABELS, v), "org_kind_label")
    app.add_template_global(
        lambda: [(r.value, str(lbl)) for r, lbl in labels.ROLE_LABELS.items()], "role_choices"
    )
    app.add_template_global(import_column_label, "import_column_label")
    app.add_template_filter(masking.mask_mobile, "mask_mobile")
    app.add_template_filter(masking.mask_id_number, "mask_id_number")
    app.add_template_filter(masking.mask_name, "mask_name")
