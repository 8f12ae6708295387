"""Bulk import of workers from XLSX or CSV: every row checked, all or nothing."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from openpyxl import load_workbook

from lms.accounts import scope
from lms.accounts.labels import ROLE_FROM_TEXT, SKILL_FROM_TEXT
from lms.accounts.models import Organization, Role, User, UserRole
from lms.accounts.passwords import hash_password
from lms.accounts.services import validate_password_strength
from lms.accounts.signals import account_changed
from lms.core.tabular import RowErrors, read_table, xlsx_bytes
from lms.errors import Invalid
from lms.extensions import db
from lms.signals import emit

COLUMNS = {
    "工号": "employee_no",
    "employee_no": "employee_no",
    "employee no": "employee_no",
    "姓名": "name",
    "name": "name",
    "手机号": "mobile",
    "手机": "mobile",
    "mobile": "mobile",
    "单位": "organization",
    "organization": "organization",
    "工种": "trade",
    "trade": "trade",
    "技能等级": "skill_level",
    "skill level": "skill_level",
    "skill_level": "skill_level",
    "角色": "roles",
    "roles": "roles",
    "身份证号": "id_number",
    "id_number": "id_number",
    "邮箱": "email",
    "email": "email",
}
REQUIRED = ("employee_no", "name", "organization")
TEMPLATE_HEADERS = [
    "工号",
    "姓名",
    "手机号",
    "单位",
    "工种",
    "技能等级",
    "角色",
    "身份证号",
    "邮箱",
]

MOBILE_RE = re.compile(r"^1\d{10}$")
EMPLOYEE_NO_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
ID_NUMBER_RE = re.compile(r"^\d{17}[\dXx]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class ImportResult:
    created: int
    errors: RowErrors
    rows: int


def template_xlsx() -> bytes:
    example = [
        "W10001",
        "张三",
        "13800001234",
        "示例机械厂/焊接车间",
        "焊工",
        "中级工",
        "学员",
        "",
        "",
    ]
    notes = [
        _("每行一位学员。带 * 的列必填：工号、姓名、单位。"),
        _("单位：填写您管理范围内的单位名称；重名时写成“企业/车间”。"),
        _("技能等级：学徒工、初级工、中级工、高级工、技师、高级技师、特级技师、首席技师。"),
        _("角色：学员、导师、培训专员，多个用逗号分隔；不填即为学员。"),
        _("任何一行有错误时，整个文件都不会导入；请按提示改正后重新上传。"),
    ]
    return xlsx_bytes(_("学员导入模板"), TEMPLATE_HEADERS, [example], notes)


#: Columns a people file may use: the template has 9; anything wider is not ours.
MAX_COLUMNS = 50
#: An XLSX is a zip: what it may unpack to, whatever its own size.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024


def _too_large(max_rows: int) -> Invalid:
    return Invalid(
        errors={
            "file": [
                _(
                    "文件超出导入上限：一次最多 %(rows)d 行、%(cols)d 列，文件不超过 %(mb)d MB。"
                    "请删除多余的行列或拆分后分批导入。",
                    rows=max_rows,
                    cols=MAX_COLUMNS,
                    mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024),
                )
            ]
        }
    )


def check_size(filename: str, data: bytes, max_rows: int) -> None:
    """Refuse a file over the limits before any work: its size, what an XLSX unpacks to,
    and the size its sheet declares."""
    if len(data) > current_app.config["IMPORT_MAX_BYTES"]:
        raise _too_large(max_rows)
    name = (filename or "").lower()
    if name.endswith(".csv"):
        if data.count(b"\n") > max_rows + 1000:  # blank lines allowed, a flood not
            raise _too_large(max_rows)
        return
    if not name.endswith(".xlsx"):
        return  # read_table explains which files it reads
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _too_large(max_rows)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Invalid:
        raise
    except Exception:  # noqa: BLE001 - read_table gives the person one clear message
        return
    try:
        sheet = workbook.worksheets[0]
        rows, columns = sheet.max_row, sheet.max_column
    finally:
        workbook.close()
    # openpyxl reads a sheet no further than the size it declares, so a declared size
    # within the limits bounds the reading too. Excel, WPS and LibreOffice always declare it.
    if rows is None or columns is None:
        raise Invalid(
            errors={
                "file": [_("无法确定表格的大小。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。")]
            }
        )
    if rows > max_rows + 1 or columns > MAX_COLUMNS:
        raise _too_large(max_rows)


def _organization_lookup(actor: User | None) -> dict[str, list[Organization]]:
    """Names (and 'enterprise/workshop' paths) of organizations the actor may import into."""
    stmt = sa.select(Organization)
    if actor is not None and not scope.is_admin(actor):
        stmt = stmt.where(Organization.path.startswith(actor.organization.path))
    orgs = list(db.session.scalars(stmt))
    by_id = {o.id: o for o in orgs}
    lookup: dict[str, list[Organization]] = {}
    for org in orgs:
        lookup.setdefault(org.name, []).append(org)
        parent = by_id.get(org.parent_id) if org.parent_id else None
        if parent is not None:
            lookup.setdefault(f"{parent.name}/{org.name}", []).append(org)
    return lookup


def import_workers(
    actor: User | None, filename: str, data: bytes, initial_password: str, dry_run: bool = False
) -> ImportResult:
    """Validate every row; write all of them in one transaction, or none if any is wrong.

    Everyone imported gets the same initial password (hashed once) and is asked to
    change it at first sign-in.
    """
    if actor is not None:
        scope.require_officer(actor)
    validate_password_strength(initial_password)
    max_rows = current_app.config["IMPORT_MAX_ROWS"]
    check_size(filename, data, max_rows)
    sheet = read_table(filename, data, COLUMNS, max_rows)
    missing = [c for c in REQUIRED if c not in sheet.headers]
    if missing:
        names = {"employee_no": "工号", "name": "姓名", "organization": "单位"}
        raise Invalid(
            errors={
                "file": [
                    _(
                        "缺少必填列：%(cols)s。请使用模板的表头。",
                        cols="、".join(names[c] for c in missing),
                    )
                ]
            }
        )

    errors = RowErrors()
    orgs = _organization_lookup(actor)
    seen_numbers: dict[str, int] = {}
    seen_mobiles: dict[str, int] = {}
    parsed = []
    for row_no, values in sheet.rows:
        record = _validate_row(actor, row_no, values, orgs, errors, seen_numbers, seen_mobiles)
        if record is not None:
            parsed.append(record)

    _check_existing(seen_numbers, User.employee_no, "employee_no", errors)
    _check_existing(seen_mobiles, User.mobile, "mobile", errors)
    if errors or dry_run:
        return ImportResult(created=0, errors=errors, rows=len(sheet.rows))

    # Bulk statements: 10,000 rows are a handful of INSERTs, not 20,000.
    password_hash = hash_password(initial_password)
    roles_by_row = [record.pop("roles") for record in parsed]
    for record in parsed:
        record.update(
            password_hash=password_hash,
            must_change_password=True,
            active=True,
            failed_logins=0,
        )
    db.session.execute(sa.insert(User), parsed)
    numbers = [record["employee_no"] for record in parsed]
    id_by_number: dict[str, int] = {}
    for start in range(0, len(numbers), 1000):
        id_by_number.update(
            db.session.execute(
                sa.select(User.employee_no, User.id).where(
                    User.employee_no.in_(numbers[start : start + 1000])
                )
            )
            .tuples()
            .all()
        )
    user_ids = [id_by_number[n] for n in numbers]
    role_rows = [
        {"user_id": user_id, "role": role}
        for user_id, roles in zip(user_ids, roles_by_row, strict=True)
        for role in roles
    ]
    db.session.execute(sa.insert(UserRole), role_rows)
    emit(
        account_changed,
        action="user.import",
        actor_id=actor.id if actor else None,
        entity_type="import",
        entity_id=None,
        organization_id=actor.organization_id if actor else None,
        before=None,
        after={"file": filename, "created": len(user_ids)},
        summary=_("导入学员 %(n)d 人（%(file)s）", n=len(user_ids), file=filename),
    )
    db.session.commit()
    return ImportResult(created=len(user_ids), errors=errors, rows=len(sheet.rows))


def _validate_row(actor, row_no, values, orgs, errors, seen_numbers, seen_mobiles):  # noqa: C901, PLR0912, PLR0915 - one check per spreadsheet column, each with its own message
    for column in REQUIRED:
        if not values.get(column):
            errors.add(row_no, column, _("必填。"))
    employee_no = values.get("employee_no", "")
    if employee_no:
        if not EMPLOYEE_NO_RE.match(employee_no):
            errors.add(row_no, "employee_no", _("工号只能包含字母、数字、-、_，最长 32 位。"))
        elif employee_no in seen_numbers:
            errors.add(
                row_no,
                "employee_no",
                _("与第 %(row)d 行的工号重复。", row=seen_numbers[employee_no]),
            )
        else:
            seen_numbers[employee_no] = row_no
    name = values.get("name", "")
    if len(name) > 64:
        errors.add(row_no, "name", _("姓名最长 64 个字。"))
    mobile = values.get("mobile") or None
    if mobile:
        if not MOBILE_RE.match(mobile):
            errors.add(row_no, "mobile", _("手机号应为 11 位数字，以 1 开头。"))
        elif mobile in seen_mobiles:
            errors.add(
                row_no, "mobile", _("与第 %(row)d 行的手机号重复。", row=seen_mobiles[mobile])
            )
        else:
            seen_mobiles[mobile] = row_no
    organization = None
    if values.get("organization"):
        matches = orgs.get(values["organization"].replace("／", "/").strip(), [])
        if not matches:
            errors.add(row_no, "organization", _("找不到此单位，或不在您的管理范围内。"))
        elif len(matches) > 1:
            errors.add(row_no, "organization", _("有多个同名单位，请写成“企业/车间”。"))
        else:
            organization = matches[0]
    skill_level = None
    if values.get("skill_level"):
        skill_level = SKILL_FROM_TEXT.get(values["skill_level"])
        if skill_level is None:
            errors.add(row_no, "skill_level", _("无法识别的技能等级。"))
    roles = [Role.worker]
    if values.get("roles"):
        names = [r.strip() for r in re.split(r"[,，、;；\s]+", values["roles"]) if r.strip()]
        roles = [ROLE_FROM_TEXT.get(n) for n in names]
        if None in roles:
            errors.add(row_no, "roles", _("角色只能是：学员、导师、培训专员。"))
        elif set(roles) & scope.ADMIN_MANAGED_ROLES and not (
            actor is None or scope.is_admin(actor)
        ):
            errors.add(row_no, "roles", _("只有管理员可以导入培训专员或管理员。"))
        roles = list(dict.fromkeys(r for r in roles if r))
    id_number = values.get("id_number") or None
    if id_number and not ID_NUMBER_RE.match(id_number):
        errors.add(row_no, "id_number", _("身份证号应为 18 位。"))
    email = values.get("email") or None
    if email and not EMAIL_RE.match(email):
        errors.add(row_no, "email", _("邮箱格式不正确。"))
    if len(values.get("trade", "")) > 64:
        errors.add(row_no, "trade", _("工种最长 64 个字。"))
    if row_no in errors.by_row:
        return None
    return {
        "employee_no": employee_no,
        "name": name,
        "mobile": mobile,
        "organization_id": organization.id,
        "trade": values.get("trade") or None,
        "skill_level": skill_level,
        "roles": roles,
        "id_number": id_number,
        "email": email,
    }


def _check_existing(seen: dict[str, int], column, field: str, errors: RowErrors) -> None:
    values = list(seen)
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        for taken in db.session.scalars(sa.select(column).where(column.in_(chunk))):
            errors.add(seen[taken], field, _("已被系统中的其他账号使用。"))
