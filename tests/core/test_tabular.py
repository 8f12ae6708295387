"""Exports cannot carry a formula: a title written as a formula reaches the spreadsheet as
text, in XLSX and in CSV alike."""

import csv
import io

import pytest
from openpyxl import load_workbook

from lms.core.tabular import csv_bytes, xlsx_bytes

HOSTILE = '=HYPERLINK("http://x","y")'


def test_every_text_cell_of_an_xlsx_export_is_text_never_a_formula(app):
    data = xlsx_bytes("课程报表", ["课程", HOSTILE], [[HOSTILE, 3], ["+1+1", "@SUM(A1)"]])
    sheet = load_workbook(io.BytesIO(data)).active
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    assert cells["B1"].value == HOSTILE and cells["B1"].data_type == "s"
    assert cells["A2"].value == HOSTILE and cells["A2"].data_type == "s"
    assert cells["B2"].value == 3 and cells["B2"].data_type == "n"
    assert all(c.data_type != "f" for c in cells.values())


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_csv_cell_that_begins_like_a_formula_is_neutralised(app, start):
    text = csv_bytes(["课程", start + "头"], [[start + 'HYPERLINK("http://x","y")', -5, "讲座"]])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["课程", "'" + start + "头"]
    assert rows[1] == ["'" + start + 'HYPERLINK("http://x","y")', "-5", "讲座"]


def test_the_hostile_title_in_csv(app):
    text = csv_bytes(["课程"], [[HOSTILE]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["'" + HOSTILE]
