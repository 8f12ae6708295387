"""Officers import workers from XLSX/CSV: every row checked, all or nothing."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from lms.accounts.importer import import_workers
from lms.accounts.models import Role, User
from lms.extensions import db
from tests.factories import EnterpriseFactory, UserFactory, WorkshopFactory

HEADERS = ["工号", "姓名", "手机号", "单位", "工种", "技能等级", "角色"]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _people_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def _setup():
    enterprise = EnterpriseFactory(name="红星厂")
    WorkshopFactory(parent=enterprise, name="焊接车间")
    return UserFactory(roles=[Role.officer], organization=enterprise)


def test_a_good_file_imports_everyone_who_must_then_change_the_password(client, auth):
    officer = _setup()
    auth.login(officer)
    data = _xlsx(
        [
            ["W1", "张三", "13800000001", "焊接车间", "焊工", "中级工", "学员"],
            ["W2", "李四", "", "红星厂/焊接车间", "焊工", "高级工", "学员,导师"],
        ]
    )
    response = client.post(
        "/people/import",
        data={"file": (io.BytesIO(data), "名单.xlsx"), "initial_password": "start-pass-1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    li = db.session.scalar(sa.select(User).where(User.employee_no == "W2"))
    assert li.roles == {Role.worker, Role.mentor} and li.skill_level == "senior"
    auth.logout()
    login = client.post("/login", data={"login": "W1", "password": "start-pass-1"})
    assert login.headers["Location"].endswith("/me/password")


def test_one_bad_row_changes_nothing_and_every_error_is_located(client, auth):
    officer = _setup()
    UserFactory(employee_no="TAKEN")
    auth.login(officer)
    before = _people_count()
    data = _xlsx(
        [
            ["W1", "张三", "13800000001", "焊接车间", "焊工", "中级工", "学员"],
            ["W1", "重号", "12345", "不存在的厂", "焊工", "大师", "老板"],
            ["TAKEN", "", "", "焊接车间", "", "", ""],
        ]
    )
    response = client.post(
        "/people/import",
        data={"file": (io.BytesIO(data), "名单.xlsx"), "initial_password": "start-pass-1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in (
        "与第 2 行的工号重复",
        "手机号应为 11 位数字",
        "找不到此单位",
        "无法识别的技能等级",
        "角色只能是",
        "已被系统中的其他账号使用",
        "必填",
    ):
        assert message in page, message
    assert _people_count() == before


def test_csv_saved_by_chinese_excel_in_gbk_is_read(app):
    officer = _setup()
    csv_text = "工号,姓名,单位\nG1,王五,焊接车间\n"
    result = import_workers(officer, "名单.csv", csv_text.encode("gb18030"), "start-pass-1")
    assert result.created == 1 and not result.errors


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(client, auth):
    auth.login(_setup())
    response = client.post(
        "/people/import",
        data={
            "file": (io.BytesIO(b"\x00\x01garbage"), "名单.xlsx"),
            "initial_password": "start-pass-1",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "文件无法读取" in response.get_data(as_text=True)


def test_an_officer_cannot_import_into_another_enterprise(app):
    officer = _setup()
    other = EnterpriseFactory(name="东方厂")
    WorkshopFactory(parent=other, name="装配车间")
    result = import_workers(
        officer, "a.csv", "工号,姓名,单位\nX1,赵六,装配车间\n".encode(), "start-pass-1"
    )
    assert result.created == 0
    assert result.errors.as_list()[0]["column"] == "organization"


def test_ten_thousand_rows_import_in_one_go(app, query_counter):
    officer = _setup()
    lines = ["工号,姓名,手机号,单位"] + [
        f"K{i:05d},工人{i},137{i:08d},焊接车间" for i in range(10000)
    ]
    with query_counter() as statements:
        result = import_workers(officer, "big.csv", "\n".join(lines).encode(), "start-pass-1")
    assert result.created == 10000
    assert _people_count() == 10001
    # Bulk work: the number of statements does not grow row by row.
    assert len(statements) < 200


def test_the_template_downloads_with_the_expected_headers(client, auth):
    auth.login(_setup())
    response = client.get("/people/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:4] == ["工号", "姓名", "手机号", "单位"]


def test_the_same_import_is_a_cli_command(runner, tmp_path):
    _setup()
    path = tmp_path / "workers.csv"
    path.write_text("工号,姓名,单位\nC1,孙七,焊接车间\n", encoding="utf-8")
    result = runner.invoke(
        args=["accounts", "import-workers", str(path), "--password", "start-pass-1"]
    )
    assert result.exit_code == 0, result.output
    assert "已导入 1 人" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("工号,姓名,单位\nC2,,焊接车间\n", encoding="utf-8")
    result = runner.invoke(
        args=["accounts", "import-workers", str(bad), "--password", "start-pass-1"]
    )
    assert result.exit_code == 1 and "第 2 行" in result.output


def _sheet_reaching(cell: str) -> bytes:
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["W1", "张三", "13800000001", "焊接车间", "焊工", "中级工", "学员"])
    workbook.active[cell] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_tiny_file_declaring_a_huge_sheet_is_refused_before_it_is_read(client, auth, monkeypatch):
    from lms.accounts import importer

    data = _sheet_reaching("XFD1048576")
    assert len(data) < 10_000
    monkeypatch.setattr(importer, "read_table", lambda *a: pytest.fail("the sheet was read"))
    auth.login(_setup())
    before = _people_count()
    response = client.post(
        "/people/import",
        data={"file": (io.BytesIO(data), "名单.xlsx"), "initial_password": "start-pass-1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "文件超出导入上限" in response.get_data(as_text=True)
    assert _people_count() == before


@pytest.mark.parametrize("cell", ["A20002", "AY1"])  # row 20,002 (header + 20,001); column 51
def test_the_row_and_column_limits_are_checked_from_the_declared_size(app, cell):
    from lms.errors import Invalid

    officer = _setup()
    with pytest.raises(Invalid) as refused:
        import_workers(officer, "名单.xlsx", _sheet_reaching(cell), "start-pass-1")
    assert "文件超出导入上限" in str(refused.value.errors)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_opened(app):
    from flask import current_app

    from lms.errors import Invalid

    officer = _setup()
    current_app.config["IMPORT_MAX_BYTES"] = 1000
    with pytest.raises(Invalid) as refused:
        import_workers(officer, "名单.csv", b"x" * 1001, "start-pass-1")
    assert "文件超出导入上限" in str(refused.value.errors)


def _rewrite_dimension(data: bytes, new: str) -> bytes:
    """The same workbook with the first sheet's declared size replaced (or removed)."""
    import re
    import zipfile

    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<dimension ref=\"[^\"]+\"\s*/>", new.encode(), content)
            out.writestr(item, content)
    return target.getvalue()


def test_a_sheet_that_declares_no_size_is_refused_with_a_way_out(app):
    from lms.errors import Invalid

    data = _rewrite_dimension(_sheet_reaching("XFD1048576"), "")
    with pytest.raises(Invalid) as refused:
        import_workers(_setup(), "名单.xlsx", data, "start-pass-1")
    assert "无法确定表格的大小" in str(refused.value.errors)


def test_a_sheet_understating_its_size_is_read_no_further_than_it_declares(app):
    data = _rewrite_dimension(_sheet_reaching("XFD1048576"), '<dimension ref="A1:G2"/>')
    result = import_workers(_setup(), "名单.xlsx", data, "start-pass-1")
    assert result.created == 1 and result.rows == 1  # the far cell was never reached
