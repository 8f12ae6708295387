"""Reading and writing spreadsheets (XLSX and CSV) for imports and exports.

Every package's import and export goes through here so that officers see the same
behaviour everywhere: Chinese headers, Excel's CSV encodings, row numbers as Excel
shows them, and a clear message for a file that cannot be read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lms.errors import Invalid


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as the spreadsheet shows it, values)


@dataclass
class RowErrors:
    """Errors per row and column, for a page or an API answer."""

    by_row: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, row: int, column: str, message: str) -> None:
        self.by_row.setdefault(row, {}).setdefault(column, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_row)

    def as_list(self) -> list[dict]:
        return [
            {"row": row, "column": column, "messages": messages}
            for row, columns in sorted(self.by_row.items())
            for column, messages in columns.items()
        ]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 13800000000 as 1.38e10
    return str(value).strip()


def read_table(filename: str, data: bytes, columns: dict[str, str], max_rows: int) -> Sheet:
    """Read a spreadsheet whose first row names the columns.

    ``columns`` maps a header as people write it (Chinese or English) to a field name.
    Unknown headers are ignored; missing required ones are the caller's to report.
    """
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            raw_rows = _read_xlsx(data)
        elif name.endswith(".csv"):
            raw_rows = _read_csv(data)
        else:
            raise Invalid(errors={"file": [_("只支持 .xlsx 或 .csv 文件。请用模板填写后上传。")]})
    except Invalid:
        raise
    except Exception as exc:  # openpyxl/csv raise many kinds; the person needs one message
        raise Invalid(
            errors={"file": [_("文件无法读取，可能已损坏或不是表格文件。请用模板重新填写。")]}
        ) from exc
    if not raw_rows:
        raise Invalid(errors={"file": [_("文件是空的。第一行应为表头。")]})
    header_row = [_cell_text(h) for h in raw_rows[0]]
    lookup = {k.strip().lower(): v for k, v in columns.items()}
    fields = [lookup.get(h.lower()) for h in header_row]
    body = []
    for offset, raw in enumerate(raw_rows[1:], start=2):
        values = {f: _cell_text(raw[i]) if i < len(raw) else "" for i, f in enumerate(fields) if f}
        if any(values.values()):
            body.append((offset, values))
    if len(body) > max_rows:
        raise Invalid(
            errors={
                "file": [
                    _(
                        "一次最多导入 %(max)d 行，本文件有 %(n)d 行。请拆分后分批导入。",
                        max=max_rows,
                        n=len(body),
                    )
                ]
            }
        )
    if not body:
        raise Invalid(errors={"file": [_("文件里没有数据行。请在表头下方逐行填写。")]})
    return Sheet(headers=[f for f in fields if f], rows=body)


def _read_xlsx(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Invalid(errors={"file": [_("无法识别文件编码，请另存为 UTF-8 的 CSV 或 .xlsx。")]})
    return list(csv.reader(io.StringIO(text)))


def xlsx_bytes(
    title: str, headers: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str] = ()
) -> bytes:
    """An XLSX workbook with a bold header row, frozen panes and sensible widths.

    Every text cell is written as text, never as a formula, whatever it begins with: a course
    titled ``=HYPERLINK(…)`` is shown as those characters, not run by the spreadsheet.
    """
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    _append_as_text(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"
    widths = [max(8, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        _append_as_text(sheet, row)
        for i, value in enumerate(row):
            widths[i] = min(40, max(widths[i], len(str(value or "")) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    if notes:
        notes_sheet = workbook.create_sheet(_("填写说明"))
        for note in notes:
            _append_as_text(notes_sheet, [note])
        notes_sheet.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_as_text(sheet, values: Iterable) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl makes a formula of any text that begins with "="


#: What a spreadsheet may read as the start of a formula in a CSV cell (OWASP's CSV-injection rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV value that no spreadsheet runs: text beginning like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV with a byte-order mark so Excel opens the Chinese text correctly; cells that
    begin like a formula are neutralised (``csv_cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
